"""Query baselines of the API (tests/test_query_counts.py's style): the exact number of SQL queries
each endpoint costs with a token, at a small and a larger data set; both must cost exactly the
baseline (an N+1 fails, and so does a cheaper endpoint: lower the number on purpose). A token request
pays two queries before the endpoint's own: the token, then the login with its person, roles and
permissions (the use is written at most once a minute: the warm-up request writes it).

The incident list rows are the bench's (tests/bench_api.py ``rows()``): at most 10 queries (issue 17)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import make_token, token_client
from tests.factories import ReportFactory, make_incident, make_meeting, make_member
from tests.test_query_counts import build

pytestmark = pytest.mark.django_db

BASELINES = {
    "regions": 3,
    "regions/<id>": 3,
    "institutions": 3,
    "institutions/<id>": 3,
    "teams": 3,
    "teams/<id>": 5,
    "people": 3,
    "people/<id>": 4,
    "action-plans": 3,
    "action-plans/<id>": 6,
    # token, login, the page (the filter's region choices are cached until a write of a region: warm-up)
    "incidents": 3,
    "incidents/<id>": 7,
    "meetings": 3,
    "meetings/<id>": 9,
    "action-items": 3,
    "action-items/<id>": 4,
    "reports": 3,
    "reports/<id>": 3,
}


def world(size: int) -> dict:
    """``build(size)`` (teams, members, plans) plus ``4 * size`` incidents with follow-ups and a
    Status Keadaan Konflik, ``size`` meetings with invitees, linked incidents and action items,
    and ``size`` reports."""
    from incidents import services
    from meetings import services as meeting_services

    first = build(size)
    team = first["team"]  # Kabupaten Bangka's (build's first region)
    members = [make_member(team).person for _ in range(2 * size)]
    incidents = []
    for i in range(4 * size):
        incident = make_incident(region_code="19.01", status="ditangani", kind="peristiwa", handling_team=team,
                                 occurred_on=datetime.date(2026, 3, 1 + i))
        for n in range(size):
            services.follow_up_add(incident=incident, user=incident.reporter, date=incident.occurred_on,
                                   kind="koordinasi", description=f"Langkah {n}")
        services.conflict_status_declare(incident=incident, user=incident.reporter, scale="kabkota",
                                         decree_number=f"SK/{i}", decree_date=incident.occurred_on,
                                         start_date=incident.occurred_on,
                                         end_date=incident.occurred_on + datetime.timedelta(days=30))
        incidents.append(incident)
    for _ in range(size):
        meeting = make_meeting(team=team, linked_incidents=incidents[:2])
        meeting_services.invite_people(meeting=meeting, people=members)
        meeting_services.agenda_item_add(meeting=meeting, title="Pembukaan")
        for person in members:
            meeting_services.action_item_create(meeting=meeting, description="Tindak lanjut", owner_person=person,
                                                due_date=datetime.date(2026, 12, 31))
        first.setdefault("meeting", meeting)
    for _ in range(size):
        first.setdefault("report", ReportFactory())
    first["incident"] = incidents[0]
    first["action_item"] = meeting.action_items.first()
    first["institution"] = first["person"].institution
    first["region"] = first["person"].region
    return first


def urls(objs: dict) -> dict:
    out = {}
    for name, key in (("regions", "region"), ("institutions", "institution"), ("teams", "team"),
                      ("people", "person"), ("action-plans", "plan"), ("incidents", "incident"),
                      ("meetings", "meeting"), ("action-items", "action_item"), ("reports", "report")):
        out[name] = f"/api/v1/{name}/"
        out[f"{name}/<id>"] = f"/api/v1/{name}/{objs[key].pk}/"
    return out


def count(client, url: str) -> int:
    client.get(url)  # warm-up: the token's use is recorded, caches filled
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return len(ctx.captured_queries)


@pytest.mark.parametrize("size", [1, 3])
def test_endpoints_cost_exactly_their_baseline(staf_provinsi, size):
    objs = world(size)
    client = token_client(make_token(staf_provinsi)[1])
    found = {name: count(client, url) for name, url in urls(objs).items()}
    assert found == BASELINES


def test_bench_rows_are_wired_and_within_ten_queries(staf_provinsi):
    """The bench's incident list rows (tests/bench_api.py) run here on a small data set: each costs
    the incident list's baseline, which is at most 10 queries."""
    from tests import bench, bench_api

    assert "tests.bench_api" in bench.APP_BENCH_MODULES and hasattr(bench_api, "bench_extra")
    for i in range(5):
        make_incident(region_code="19.01", status="selesai", severity="tinggi",
                      occurred_on=datetime.date(2026, 1, 1 + i))
    client = token_client(bench_api.token_for(staf_provinsi))
    for label, url in bench_api.rows():
        measured = bench_api.measure(client, url, rounds=2)
        assert measured["status"] == 200, label
        assert measured["queries"] == BASELINES["incidents"] <= bench_api.QUERY_LIMIT, (label, measured)
