"""Query baselines: the exact number of SQL queries each page costs (NetBox's style).

Each page is requested as a province-wide staff login against a small and a larger data set; both
must cost exactly the baseline. A page that starts costing more (an N+1) fails, and so does one
that got cheaper: lower the number here on purpose, with the change that earned it. Add a row for
every new list or detail page (incidents, meetings and office pages belong here too).
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import InstitutionFactory, make_member, make_team

pytestmark = pytest.mark.django_db

# page → queries per request (a logged-in staff of the province; session and user included: two queries,
# the user row bringing its person, roles and permissions, see kesbang.core.auth)
BASELINES = {
    # its blocks are cached (the warm-up request fills the cache): the teams summary and the meetings
    # block until a write changes them, the incident aggregates a minute
    "dashboard": 2,
    # the registers' counts and their filters' options are cached (the warm-up request fills the cache)
    # until a write of their rows (kesbang.core.generations.REGISTERS): session, user and the page's rows
    "teams:team_list": 3,
    "teams:team_detail": 5,  # its change history is a page of its own (teams:team_history)
    "teams:team_history": 8,
    "teams:membership_list": 3,  # no institution select (typed: thousands of options at national volume)
    "teams:membership_export_xlsx": 3,
    "teams:membership_export_csv": 3,
    "teams:team_members_pdf": 4,
    "teams:person_list": 3,  # no institution select (the search box matches institution names)
    "teams:person_detail": 4,
    "teams:plan_list": 5,
    "teams:plan_detail": 6,  # its change history is a page of its own (teams:plan_history)
    "teams:plan_history": 7,
    "teams:plan_export": 6,
    "teams:realisation_update": 5,
    "integrations:package_list": 5,
    "integrations:package_detail": 3,
    "integrations:package_status": 3,
    "api_tokens": 3,  # the login's own tokens (kesbang.api); the API's endpoints: tests/api/test_query_counts.py
    "api:docs": 2,  # Swagger UI loads the document itself
}


def build(size: int) -> dict:
    """``size`` teams (regencies 19.01 ...), each with ``3 * size`` members and a plan of ``2 * size``
    activities with a realisation and an evidence count; the first of each is returned."""
    from teams import services

    codes = ["19.01", "19.02", "19.03", "19.04", "19.05", "19.06"][:size]
    first = {}
    institution = InstitutionFactory()
    for code in codes:
        team = make_team(code)
        members = [make_member(team) for _ in range(3 * size)]
        plan = services.plan_create(team=team, year=2026)
        activities = [
            services.activity_create(plan=plan, phase="pencegahan", name=f"Kegiatan {n}",
                                     responsible_institution=institution, targets={"B04": Decimal(2)})
            for n in range(2 * size)
        ]
        for activity in activities:
            services.realisation_record(activity_period=activity.periods.get(period="B04"), realisation=Decimal(1))
        first.setdefault("team", team)
        first.setdefault("person", members[0].person)
        first.setdefault("plan", plan)
        first.setdefault("activity", activities[0])
    from tests.factories import NationalPackageFactory

    packages = [NationalPackageFactory() for _ in range(2 * size)]
    first.setdefault("package", packages[0])
    return first


def urls(objs: dict) -> dict:
    return {
        "dashboard": reverse("dashboard"),
        "teams:team_list": reverse("teams:team_list"),
        "teams:team_detail": reverse("teams:team_detail", args=[objs["team"].pk]),
        "teams:team_history": reverse("teams:team_history", args=[objs["team"].pk]),
        "teams:membership_list": reverse("teams:membership_list") + "?per_page=50",
        "teams:membership_export_xlsx": reverse("teams:membership_export", args=["xlsx"]),
        "teams:membership_export_csv": reverse("teams:membership_export", args=["csv"]),
        "teams:team_members_pdf": reverse("teams:team_members_pdf", args=[objs["team"].pk]),
        "teams:person_list": reverse("teams:person_list") + "?per_page=50",
        "teams:person_detail": reverse("teams:person_detail", args=[objs["person"].pk]),
        "teams:plan_list": reverse("teams:plan_list"),
        "teams:plan_detail": reverse("teams:plan_detail", args=[objs["plan"].pk]),
        "teams:plan_history": reverse("teams:plan_history", args=[objs["plan"].pk]),
        "teams:plan_export": reverse("teams:plan_export", args=[objs["plan"].pk]),
        "teams:realisation_update": reverse("teams:realisation_update", args=[objs["activity"].pk, "B04"]),
        "integrations:package_list": reverse("integrations:package_list"),
        "integrations:package_detail": reverse("integrations:package_detail", args=[objs["package"].pk]),
        "integrations:package_status": reverse("integrations:package_status", args=[objs["package"].pk]),
        "api_tokens": reverse("api_tokens"),
        "api:docs": reverse("api:docs"),
    }


def count(client, url: str) -> int:
    client.get(url)  # warm-up: template and content-type caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("size", [1, 3])
def test_pages_cost_exactly_their_baseline(client, staf_provinsi, size):
    objs = build(size)
    client.force_login(staf_provinsi)
    found = {name: count(client, url) for name, url in urls(objs).items()}
    assert found == BASELINES


# The weekly summary's preview (administrators only): the page and the HTML part in its frame, for a
# week not planned yet (the content is built on the fly from every app's user-free selectors).
# +1 each (issue 16): the week's reports from the public counted in one aggregate.
WEEKLY_PREVIEW_BASELINES = {"reports:weekly_preview": 21, "reports:weekly_preview_html": 19}


@pytest.mark.parametrize("size", [1, 3])
def test_weekly_summary_preview_costs_exactly_its_baseline(client, admin_user, size):
    import datetime

    from django.utils import timezone

    from kesbang.office.weekly.weeks import last_complete_week
    from tests.factories import make_incident

    build(size)
    week = last_complete_week()
    jkt = timezone.get_current_timezone()
    for i in range(4 * size):
        incident = make_incident(severity=["tinggi", "kritis", "sedang"][i % 3], status="terverifikasi",
                                 occurred_on=week.start)
        type(incident).objects.filter(pk=incident.pk).update(
            reported_at=datetime.datetime.combine(week.start, datetime.time(9), tzinfo=jkt))
    client.force_login(admin_user)
    found = {name: count(client, reverse(name) + f"?minggu={week.code}") for name in WEEKLY_PREVIEW_BASELINES}
    assert found == WEEKLY_PREVIEW_BASELINES


# The report archive (session, user, count, page and the region filter's choices) with a filter in
# force, and one report's page (session, user, the report with whether the login may change it as an
# Exists() of restrict(user, "change"), its versions), for a staff of the province.
# the list's region options are cached (the warm-up request fills the cache) until a region is written
REPORT_BASELINES = {"reports:report_list": 4, "reports:report_detail": 4}


@pytest.mark.parametrize("size", [1, 3])
def test_report_pages_cost_exactly_their_baseline(client, staf_provinsi, size):
    from django.utils import timezone

    from tests.factories import ReportFactory, make_user, region

    requester = make_user("Staf Provinsi", username="peminta", region_code="19")
    for code in ["19", "19.01", "19.02"][:size]:
        for version in range(1, 2 * size + 1):
            for n in range(4 * size):
                ReportFactory(period=f"2025-{n + 1:02d}", region=region(code), version=version,
                              requested_by=requester, finalised_at=timezone.now() if version == 1 else None)
    report = ReportFactory(period="2026-01", region=region("19"))
    client.force_login(staf_provinsi)
    found = {
        "reports:report_list": count(client, reverse("reports:report_list") + "?kind=bulanan&per_page=50"),
        "reports:report_detail": count(client, reverse("reports:report_detail", args=[report.pk])),
    }
    assert found == REPORT_BASELINES
