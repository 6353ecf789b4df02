"""Dashboard incident figures against a hand-computed dataset, the links behind every number, the
period selector, scope, and the query count (at most 10 once warm, the same at 6 and 56 incidents).

Today is Wednesday 25 November 2026 (this week from Monday 23 November, last week 16-22 November).
  I1 Bangka     23 Nov  tinggi  dilaporkan   sda      -> this week, open, awaiting verification
  I2 Bangka     22 Nov  sedang  ditangani    ekonomi  -> last week (reported late, on 24 Nov), open
  I3 Belitung   16 Nov  kritis  selesai      sda      -> last week (its Monday 00:00), closed
  I4 Pangkalpinang 10 Oct rendah ditolak     politik  -> last month, not open
  I5 Bangka     24 Nov  draf                          -> nowhere
  I6 Bangka      1 May  tinggi  terverifikasi          -> open, outside the 26-week series
"""

import datetime
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.filters import IncidentFilter
from incidents.models import Incident
from kesbang.office.selectors import incident_overview
from tests.factories import make_incident

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def incidents(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    made = {
        "I1": make_incident(occurred_on=datetime.date(2026, 11, 23), severity="tinggi", status="dilaporkan"),
        "I2": make_incident(occurred_on=datetime.date(2026, 11, 22), severity="sedang", status="ditangani",
                            source="ekonomi"),
        "I3": make_incident(region_code="19.02", occurred_on=datetime.date(2026, 11, 16), severity="kritis",
                            status="selesai"),
        "I4": make_incident(region_code="19.71", occurred_on=datetime.date(2026, 10, 10), severity="rendah",
                            status="ditolak", source="politik"),
        "I5": make_incident(occurred_on=datetime.date(2026, 11, 24), status="draf"),
        "I6": make_incident(occurred_on=datetime.date(2026, 5, 1), severity="tinggi", status="terverifikasi"),
    }
    jkt = timezone.get_current_timezone()
    Incident.objects.filter(pk=made["I2"].pk).update(reported_at=datetime.datetime(2026, 11, 24, 9, 0, tzinfo=jkt))
    return made


def test_figures_equal_hand_computed(staf_provinsi, incidents):
    o = incident_overview(user=staf_provinsi, today=TODAY, period="30h")
    assert (o["week"]["n"], o["week"]["prev"]) == (1, 2)
    assert (o["month"]["n"], o["month"]["prev"]) == (3, 1)
    assert o["open"] == 3 and o["awaiting"] == 1 and o["in_period"] == 3
    assert {code: n for code, _label, n in o["open_by_severity"]} == {"rendah": 0, "sedang": 1, "tinggi": 2,
                                                                        "kritis": 0}
    assert {r["code"]: r["open"] for r in o["regions"]} == {"19.01": 3, "19.02": 0, "19.71": 0}
    assert {code: n for code, _l, n in o["by_source"] if n} == {"sda": 2, "ekonomi": 1}
    series = {w["week"]: w["n"] for w in o["series"] if w["n"]}
    assert series == {"2026-11-16": 2, "2026-11-23": 1, "2026-10-05": 1}
    assert len(o["series"]) == 26 and o["series"][0]["week"] == "2026-06-01"
    year = incident_overview(user=staf_provinsi, today=TODAY, period="th")
    assert year["in_period"] == 5 and year["period"]["start"] == datetime.date(2026, 1, 1)


def test_regency_staff_sees_its_regency_only(staf_bangka, incidents):
    o = incident_overview(user=staf_bangka, today=TODAY, period="30h")
    assert (o["week"]["n"], o["week"]["prev"], o["open"]) == (1, 1, 3)
    assert [r["code"] for r in o["regions"]] == ["19.01"]


def _list_count(user, url: str) -> int:
    params = QueryDict(urlsplit(url).query)
    assert params.get("tanpa_draf") == "1"  # the dashboard leaves drafts out; so must the list
    qs = Incident.objects.restrict(user, "view")
    return IncidentFilter(data=params, queryset=qs).qs.count()


def test_every_number_links_to_the_list_that_shows_it(client, staf_provinsi, incidents):
    client.force_login(staf_provinsi)
    response = client.get("/")
    assert response.status_code == 200
    links, o = response.context["links"], response.context["inc"]
    assert _list_count(staf_provinsi, links["week"]) == o["week"]["n"]
    assert _list_count(staf_provinsi, links["prev_week"]) == o["week"]["prev"]
    assert _list_count(staf_provinsi, links["month"]) == o["month"]["n"]
    assert _list_count(staf_provinsi, links["prev_month"]) == o["month"]["prev"]
    assert _list_count(staf_provinsi, links["open"]) == o["open"]
    assert _list_count(staf_provinsi, links["awaiting"]) == o["awaiting"]
    assert _list_count(staf_provinsi, links["period"]) == o["in_period"]
    for code, _label, n in o["open_by_severity"]:
        assert _list_count(staf_provinsi, links["severity"][code]) == n
    data = response.context["chart_data"]
    for key in ("weekly", "sources", "regions"):
        for url, n in zip(data[key]["urls"], data[key]["values"], strict=True):
            assert _list_count(staf_provinsi, url) == n, (key, url)
    body = response.content.decode()
    assert 'id="dashboard-data"' in body and "chart.umd.js" in body and "<script>" not in body


def test_period_selector_and_bad_value(client, staf_provinsi, incidents):
    client.force_login(staf_provinsi)
    assert client.get("/?periode=th").context["inc"]["in_period"] == 5
    bad = client.get("/?periode=%3Cscript%3E")
    assert bad.status_code == 200 and bad.context["inc"]["period"]["code"] == "30h"


@pytest.mark.parametrize("query", [
    "?periode=", "?periode=9" * 1, "?periode=" + "x" * 5000, "?periode=7h&periode=%00", "?periode[]=th",
    "?periode=30H", "?periode=%F0%9F%92%A5", "?periode=-1",
])
def test_bad_period_values_fall_back_to_the_default(client, staf_provinsi, incidents, query):
    client.force_login(staf_provinsi)
    response = client.get("/" + query)
    assert response.status_code == 200
    assert response.context["inc"]["period"]["code"] == "30h"
    assert "27 Oktober 2026 s.d. 25 November 2026" in " ".join(response.content.decode().split())


def test_roles_without_incident_rights_get_no_incident_block(client, no_role_user):
    client.force_login(no_role_user)
    assert client.get("/").status_code == 403


def _count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_query_count_pinned_and_constant(client, staf_provinsi, incidents):
    client.force_login(staf_provinsi)
    cold = _count(client)
    warm = _count(client)
    for i in range(50):
        Incident.objects.create(**{
            f.name: getattr(incidents["I1"], f.name) for f in Incident._meta.concrete_fields
            if f.name not in ("id", "reference", "client_key", "escalated_from")
        } | {"reference": f"UJI/{i}"})
    from django.core.cache import cache

    cache.clear()
    assert _count(client) == cold
    assert _count(client) == warm <= 10


@pytest.mark.django_db
def test_province_wide_readers_share_the_cached_incident_figures(staf_provinsi, pimpinan, staf_bangka):
    """Pimpinan and Staf Provinsi see the same non-draft incidents, so one cached overview serves all of
    them (30 users under load no longer compute it 30 times); a regency's staff keep their own."""
    from kesbang.office.selectors import office_dashboard

    make_incident(region_code="19.01", occurred_on=timezone.localdate())
    make_incident(region_code="19.71", occurred_on=timezone.localdate(), classification="rahasia")
    first = office_dashboard(user=staf_provinsi)["incidents"]
    with CaptureQueriesContext(connection) as shared:
        second = office_dashboard(user=pimpinan)["incidents"]
    assert second == first
    assert not any("incidents_incident" in q["sql"] for q in shared.captured_queries)
    bangka = office_dashboard(user=staf_bangka)["incidents"]
    assert bangka != first  # its own key: one regency, no rahasia


@pytest.mark.django_db
def test_the_cache_key_follows_the_logins_permissions_and_scope(staf_bangka, staf_belitung):
    """A login's own key part changes with any permission or its region (no role name in it), so a
    clearance granted or taken away never serves figures cached under the old access."""
    from django.contrib.auth.models import Permission

    from kesbang.core.auth import KesbangBackend
    from kesbang.office.selectors import _access_stamp

    def fresh(user):
        return KesbangBackend().get_user(user.pk)

    before = _access_stamp(fresh(staf_bangka))
    assert _access_stamp(fresh(staf_bangka)) == before
    assert _access_stamp(fresh(staf_belitung)) != before  # same role and permissions, another regency
    staf_bangka.user_permissions.add(Permission.objects.get(codename="view_rahasia_incident"))
    assert _access_stamp(fresh(staf_bangka)) != before
