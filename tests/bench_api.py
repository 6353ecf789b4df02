"""The REST API in ``make bench`` (called from tests/bench.py): the incident list endpoint at the
benchmark volume (100,000 incidents, seeded by tests/bench_incidents.py), as a machine client calls
it: with a personal access token of the province's staff (made once, from a "verified" session as the
token page would record it). Median and 95th percentile over ``BENCH_ROUNDS`` requests, SQL queries
per request; targets ≤ 10 queries and a median under 100 ms (issue 17). Rows: page 1, a deep page
(the cursor 90 % of the way down: keyset pagination must not slow down with depth), 100 rows, three
filters, this week's reports.

``rows()`` is what is measured (also read by tests/api/test_query_counts.py, which pins the queries of
the same requests on a small data set, so the wiring is tested without running the bench)."""

import statistics
import time

QUERY_LIMIT = 10
MEDIAN_LIMIT_MS = 100.0
TOKEN_NAME = "bench"


def rows() -> list[tuple[str, str]]:
    """(label, URL) of the API requests the bench times."""
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    base = reverse("api:incident-list")
    year = timezone.localdate().year
    week = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    return [
        ("api incident list", base),
        ("api incident list (deep page)", f"{base}?cursor={deep_cursor()}"),
        ("api incident list (100 rows)", f"{base}?page_size=100"),
        ("api incident list (3 filters)", f"{base}?status=selesai&severity=tinggi&date_from={year - 3}-01-01"),
        ("api incident list (this week)", f"{base}?dilaporkan_dari={week.isoformat()}"),
    ]


def deep_cursor(depth: float = 0.9) -> str:
    """The keyset cursor after the row ``depth`` of the way down the list (row 90,000 of 100,000): the
    page a client reaches by following ``next`` that far, which costs what page 1 costs (an index range
    on ``incident_date_id``, no OFFSET)."""
    from incidents.models import Incident
    from kesbang.api.pagination import KeysetPagination
    from kesbang.api.views import IncidentViewSet

    order = IncidentViewSet.ordering
    rows = Incident.objects.order_by(*order)
    position = max(0, int(rows.count() * depth) - 1)
    values = rows.values_list(*(name.lstrip("-") for name in order))[position]
    return KeysetPagination()._encode(list(values))


def token_for(user) -> str:
    """A fresh read token of ``user`` (the old bench token revoked: the clear one is never stored)."""
    from kesbang.api import services
    from kesbang.api.models import AccessToken

    for old in AccessToken.objects.filter(user=user, name=TOKEN_NAME, revoked_at__isnull=True):
        services.token_revoke(token=old, user=user)
    return services.token_create(user=user, name=TOKEN_NAME, scope="read", days=30, second_factor=True)[1]


def measure(client, url: str, rounds: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up (and the token's use recorded once)
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    ordered = sorted(timings)
    return {"status": response.status_code, "median": statistics.median(timings),
            "p95": ordered[min(len(ordered) - 1, max(0, round(len(ordered) * 0.95) - 1))],
            "queries": len(ctx.captured_queries)}


def bench_extra(_session_client) -> None:
    import os

    from django.test import Client

    from tests import bench_seed

    user = bench_seed.bench_users()["bench.provinsi"]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}", raise_request_exception=False)
    rounds = int(os.environ.get("BENCH_ROUNDS", "30"))
    print()
    print(f"{'api request (token)':34} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url in rows():
        m = measure(client, url, rounds)
        flag = (" >10q" if m["queries"] > QUERY_LIMIT else "") + (" >100ms" if m["median"] > MEDIAN_LIMIT_MS else "")
        flag += "" if m["status"] == 200 else " NOT 200"
        print(f"{label:34} {m['status']:>6} {m['median']:>10.1f} {m['p95']:>8.1f} {m['queries']:>8}{flag}")
