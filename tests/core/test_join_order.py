"""``kesbang.core.querysets.joins_in_written_order``: the planner setting holds only inside the block,
is reset after it (also when the lookup raises), and never changes what a query returns."""

import pytest
from django.db import DatabaseError, connection, transaction

from kesbang.core.querysets import joins_in_written_order
from tests.conftest import require

pytestmark = pytest.mark.django_db


def _limit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        return cursor.fetchone()[0]


def test_set_inside_the_block_and_reset_after_it_and_after_an_error(demo):
    require(connection.vendor == "postgresql", "join_collapse_limit is PostgreSQL's (DATABASE_URL)")
    from incidents.models import Incident
    from incidents.selectors import incident_detail_queryset

    before = _limit()
    pk = Incident.objects.order_by("pk").values_list("pk", flat=True).first()
    plain = incident_detail_queryset(Incident.objects.all()).get(pk=pk)
    with joins_in_written_order():
        assert _limit() == "1"
        ordered = incident_detail_queryset(Incident.objects.all()).get(pk=pk)
    assert _limit() == before
    assert (ordered.pk, ordered.region_id, ordered.category.parent_id, ordered.reporter_id) == (
        plain.pk, plain.region_id, plain.category.parent_id, plain.reporter_id)

    with pytest.raises(Incident.DoesNotExist), joins_in_written_order():
        Incident.objects.get(pk=-1)
    assert _limit() == before

    # A failed statement aborts the transaction: the SQL error comes through (not the RESET's), and the
    # rollback undoes the SET.
    with (pytest.raises(DatabaseError, match="division by zero"), transaction.atomic(),
          joins_in_written_order(), connection.cursor() as cursor):
        cursor.execute("SELECT 1 / 0")
    assert _limit() == before


def test_nothing_on_other_databases():
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite run covers this (make test-quick)")
    with joins_in_written_order(), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
