"""kesbang.core.generations: bumped at the write and once more at its commit, one callback per
transaction; a cached query result is keyed on its SQL and ends with the generation."""

import pytest
from django.db import connection, transaction

from incidents.models import Incident
from kesbang.core import generations

pytestmark = pytest.mark.django_db


def _pending():
    return [c for _sids, c, _robust in connection.run_on_commit if getattr(c, "kesbang_generation", False)]


def test_one_commit_callback_per_transaction_covering_every_name(django_capture_on_commit_callbacks):
    before = {name: generations.generation(name) for name in ("incidents", "summary")}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        generations.bump_now_and_at_commit(["incidents"])
        generations.bump_now_and_at_commit(["summary"])
        generations.bump_now_and_at_commit(["incidents"])
    ours = [c for c in callbacks if getattr(c, "kesbang_generation", False)]
    assert len(ours) == 1 and ours[0].names == {"incidents", "summary"}
    after_writes = {name: generations.generation(name) for name in before}
    assert after_writes["incidents"] == before["incidents"] + 2 and after_writes["summary"] == before["summary"] + 1
    ours[0]()  # the commit
    assert generations.generation("incidents") == after_writes["incidents"] + 1
    assert generations.generation("summary") == after_writes["summary"] + 1


def test_a_rolled_back_savepoint_takes_its_callback_and_the_next_write_registers_again():
    with transaction.atomic():
        generations.bump_now_and_at_commit(["incidents"])
        transaction.set_rollback(True)
    # The rolled-back block's callback is gone; the outer (test) transaction gets a new one.
    assert not _pending()
    generations.bump_now_and_at_commit(["incidents"])
    assert len(_pending()) == 1


def test_cached_query_result_is_keyed_on_the_sql_and_ends_with_the_generation():
    calls = []

    def count(qs):
        calls.append(qs)
        return qs.count()

    tinggi = Incident.objects.filter(severity="tinggi")
    rendah = Incident.objects.filter(severity="rendah")
    assert generations.cached_query_result("incidents", tinggi, lambda: count(tinggi), kind="count") == 0
    assert generations.cached_query_result("incidents", tinggi, lambda: count(tinggi), kind="count") == 0
    assert len(calls) == 1
    generations.cached_query_result("incidents", rendah, lambda: count(rendah), kind="count")
    generations.cached_query_result("incidents", tinggi, lambda: "grouped", kind="map")
    assert len(calls) == 2, "another query or another kind of read is another entry"
    generations.bump("incidents")
    generations.cached_query_result("incidents", tinggi, lambda: count(tinggi), kind="count")
    assert len(calls) == 3
    # A queryset that cannot match has no SQL: computed, never kept.
    assert generations.cached_query_result("incidents", Incident.objects.none(), lambda: 0, kind="count") == 0
