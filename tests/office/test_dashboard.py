"""The dashboard: team coverage per region, plan achievement, next deadline; scoped; fixed queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from kesbang.office.selectors import dashboard_summary, next_deadline
from teams import services
from teams.models import Institution
from tests.factories import make_member, make_team


@pytest.mark.django_db
def test_next_deadline_defaults_to_ten_days_after_the_period():
    assert next_deadline(datetime.date(2026, 5, 1)).period == "B04"
    assert next_deadline(datetime.date(2026, 5, 1)).due == datetime.date(2026, 5, 10)
    late = next_deadline(datetime.date(2026, 12, 20))
    assert (late.period, late.due, late.days_left) == ("B12", datetime.date(2027, 1, 10), 21)
    january = next_deadline(datetime.date(2027, 1, 5))
    assert (january.period, january.due) == ("B12", datetime.date(2027, 1, 10))


@pytest.mark.django_db
def test_summary_shows_teams_chairs_and_gaps(staf_provinsi):
    team = make_team("19.01")
    make_member(team, "ketua", name="Bupati Bangka")
    make_member(team, "anggota")
    summary = dashboard_summary(user=staf_provinsi, today=datetime.date(2026, 5, 1))
    rows = {r.region.code: r for r in summary["rows"]}
    assert len(rows) == 8  # province and its 7 regencies/cities
    assert rows["19.01"].team == team and rows["19.01"].chair.person.name == "Bupati Bangka"
    assert rows["19.02"].team is None
    assert summary["teams_active"] == 1 and summary["members_active"] == 2
    assert summary["regions_without_team"] == 7


@pytest.mark.django_db
def test_summary_of_regency_staff_is_their_region_only(staf_bangka):
    make_team("19.01")
    make_team("19.02")
    summary = dashboard_summary(user=staf_bangka)
    assert [r.region.code for r in summary["rows"]] == ["19.01"]
    assert summary["teams_active"] == 1


@pytest.mark.django_db
def test_plan_achievement_reaches_the_dashboard(staf_provinsi):
    team = make_team("19.71")
    plan = services.plan_create(team=team, year=2026, user=staf_provinsi)
    activity = services.activity_create(
        plan=plan, phase="pencegahan", name="Rakor", indicator="", unit="kali",
        responsible_institution=Institution.objects.create(name="Kesbangpol Pangkalpinang"), budget=None,
        budget_source="", targets={"B04": Decimal(2), "B08": Decimal(2), "B12": Decimal(0)},
    )
    services.realisation_record(activity_period=activity.periods.get(period="B04"), realisation=Decimal(2),
                                narrative="Terlaksana", user=staf_provinsi)
    summary = dashboard_summary(user=staf_provinsi, today=datetime.date(2026, 6, 1))
    row = next(r for r in summary["rows"] if r.region.code == "19.71")
    assert row.achievement == Decimal("50.0") and summary["plan_achievement"] == Decimal("50.0")


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_teams(client, staf_provinsi, django_assert_max_num_queries,
                                                         django_assert_num_queries):
    client.force_login(staf_provinsi)
    make_team("19.01")
    # Cold (nothing cached yet): teams, incidents and meetings blocks.
    with django_assert_max_num_queries(17):  # +1: overdue count uses the list's own scope
        assert client.get(reverse("dashboard")).status_code == 200
    # Warm: the session and the login, nothing else.
    with django_assert_num_queries(2):
        assert client.get(reverse("dashboard")).status_code == 200
    make_member(make_team("19.02"))  # a write the teams and meetings blocks read: both computed again
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse("dashboard")).status_code == 200
    for code in ("19.03", "19.04", "19.05", "19.06", "19.71"):
        team = make_team(code)
        for _ in range(5):
            make_member(team)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "Kabupaten Belitung Timur" in response.content.decode()


@pytest.mark.django_db
def test_teams_summary_is_kept_until_a_write_changes_it(client, staf_provinsi, django_assert_num_queries,
                                                         django_capture_on_commit_callbacks):
    """Cached per login, never staler than the last committed write: a team, a member, a plan's
    realisation, a person or a deadline saved or deleted anywhere computes it afresh."""
    from kesbang.core.generations import generation
    from kesbang.office.selectors import cached_dashboard_summary

    today = datetime.date(2026, 5, 1)
    team = make_team("19.01")
    first = cached_dashboard_summary(user=staf_provinsi, today=today)
    assert first["teams_active"] == 1
    with django_assert_num_queries(0):
        assert cached_dashboard_summary(user=staf_provinsi, today=today)["teams_active"] == 1
    before = generation("summary")
    with django_capture_on_commit_callbacks(execute=True):
        make_member(team, "ketua", name="Bupati Bangka")
    from django.db import connection

    # The test's transaction holds one bump for its commit, covering every generation it wrote to.
    at_commit = [c for _sids, c, _robust in connection.run_on_commit if getattr(c, "kesbang_generation", False)]
    assert at_commit and "summary" in at_commit[0].names, "the generation is bumped again when the write commits"
    assert generation("summary") > before
    again = cached_dashboard_summary(user=staf_provinsi, today=today)
    assert again["members_active"] == 1
    assert next(r for r in again["rows"] if r.region.code == "19.01").chair.person.name == "Bupati Bangka"
    team.delete()
    assert cached_dashboard_summary(user=staf_provinsi, today=today)["teams_active"] == 0


@pytest.mark.django_db
def test_teams_summary_cache_follows_the_logins_access(staf_provinsi, staf_bangka):
    """Another role or region is another key: a regency login never gets the province's figures."""
    from kesbang.office.selectors import cached_dashboard_summary

    make_team("19.01")
    make_team("19.02")
    assert cached_dashboard_summary(user=staf_provinsi, today=datetime.date(2026, 5, 1))["teams_active"] == 2
    assert cached_dashboard_summary(user=staf_bangka, today=datetime.date(2026, 5, 1))["teams_active"] == 1


@pytest.mark.django_db
def test_anggota_tim_sees_the_team_they_sit_on(client, anggota_tim):
    own = make_team("19.71")
    make_team("19.01")
    make_member(own, person=anggota_tim.person)
    make_member(own)
    summary = dashboard_summary(user=anggota_tim)
    assert [r.region.code for r in summary["rows"]] == ["19.71"] and summary["rows"][0].team == own
    assert summary["members_active"] == 2 and summary["people_total"] == 2
    client.force_login(anggota_tim)
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_dashboard_after_an_early_b12_deadline_set_in_the_admin(client, staf_provinsi, monkeypatch):
    """Issue 6: B12 due before 31 December and today after it left no candidate: min() of [] → 500."""
    from django.utils import timezone

    from teams.models import ReportingDeadline

    ReportingDeadline.objects.create(year=2026, period="B12", due_date=datetime.date(2026, 12, 15))
    today = datetime.date(2026, 12, 20)
    nxt = next_deadline(today)
    assert (nxt.period, nxt.due) == ("B04", datetime.date(2027, 5, 10))
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    client.force_login(staf_provinsi)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "10 Mei 2027" in response.content.decode()
    # Even deadlines of next year set in the past: a dash, never a 500.
    for period in ("B04", "B08", "B12"):
        ReportingDeadline.objects.create(year=2027, period=period, due_date=datetime.date(2026, 12, 1))
    assert next_deadline(today) is None
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_regency_dashboard_names_the_regency(client, staf_bangka, anggota_tim):
    client.force_login(staf_bangka)
    body = client.get(reverse("dashboard")).content.decode()
    header = body.split('class="kb-page-header"', 1)[1].split("</div>\n", 3)
    assert "Kabupaten Bangka ·" in " ".join(header)
    assert "Wilayah Anda" not in body
    assert dashboard_summary(user=staf_bangka)["scope_label"] == "Kabupaten Bangka"
    assert dashboard_summary(user=anggota_tim)["scope_label"] is None
