"""The registers' counts and the filter forms' options are cached under the ``registers`` generation
(``kesbang.core.generations``): read once per query, shown afresh as soon as a write of a register row
commits, and never shared between logins whose queries differ (a regency login's own scope)."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kesbang.core import generations
from teams import services
from tests.factories import PersonFactory, make_member, make_team

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def _team_options(response) -> list[str]:
    field = response.context["filter"].form.fields["team"]
    return [str(label) for value, label in field.widget.choices if value]


def test_member_list_count_and_options_are_kept_until_a_register_write(
        client, staf_provinsi, staf_bangka, django_capture_on_commit_callbacks):
    bangka = make_team("19.01", name="Tim Terpadu Bangka")
    make_member(bangka)
    url = reverse("teams:membership_list")
    client.force_login(staf_provinsi)
    cache.clear()
    cold = _queries(client, url)
    # The count and the two selects (teams, regions) are not read again: session, login, rows.
    assert _queries(client, url) == cold - 3 == 3

    with django_capture_on_commit_callbacks(execute=True):
        belitung = make_team("19.02", name="Tim Terpadu Belitung")
        make_member(belitung)
    response = client.get(url)
    assert response.context["total"] == 2
    assert _team_options(response) == ["Tim Terpadu Bangka", "Tim Terpadu Belitung"]

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_end(membership=belitung.memberships.get(), end_date=datetime.date(2025, 6, 1),
                                reason="mutasi")
    assert client.get(url).context["total"] == 1, "an ended membership leaves the active list at once"

    # The same address for a regency login: its own query, so its own count and options.
    client.force_login(staf_bangka)
    response = client.get(url)
    assert response.context["total"] == 1
    assert _team_options(response) == ["Tim Terpadu Bangka"]


def test_person_list_counts_afresh_after_a_new_person(client, staf_provinsi, django_capture_on_commit_callbacks):
    url = reverse("teams:person_list")
    client.force_login(staf_provinsi)
    before = client.get(url).context["paginator"].count
    assert client.get(url).context["paginator"].count == before
    with django_capture_on_commit_callbacks(execute=True):
        PersonFactory(name="Orang Baru")
    assert client.get(url).context["paginator"].count == before + 1


def test_person_list_counts_only_active_memberships(client, staf_provinsi):
    team = make_team("19.01")
    other = make_team("19.02")
    person = PersonFactory(name="Anggota Dua Tim")
    make_member(team, person=person)
    ended = make_member(other, person=person)
    services.membership_end(membership=ended, end_date=datetime.date(2025, 6, 1), reason="mutasi")
    client.force_login(staf_provinsi)
    rows = client.get(reverse("teams:person_list") + "?q=Anggota+Dua").context["table"].rows
    assert [(p.name, p.active_memberships) for p in rows] == [("Anggota Dua Tim", 1)]


def test_options_of_a_model_the_generation_does_not_watch_are_read_every_time():
    from meetings.models import Meeting

    calls = []

    def pairs():
        calls.append(1)
        return [(1, "x")]

    assert not generations.watches(generations.REGISTERS, Meeting)
    for _ in range(2):
        assert generations.cached_choices(Meeting.objects.all(), pairs, kind="t") == [(1, "x")]
    assert len(calls) == 2


def test_options_are_keyed_on_how_they_are_labelled():
    from teams.models import Region

    regions = Region.objects.filter(code="19")
    assert generations.cached_choices(regions, lambda: [(1, "satu")], kind="a") == [(1, "satu")]
    assert generations.cached_choices(regions, lambda: [(1, "dua")], kind="a") == [(1, "satu")]
    assert generations.cached_choices(regions, lambda: [(1, "dua")], kind="b") == [(1, "dua")]
