"""``EXPLAIN (ANALYZE, BUFFERS)`` of the heaviest queries of the benchmark's incident pages
(``make bench-explain``; issue 15, part 4).

Uses the database ``make bench`` seeded (``DATABASE_URL``, default kesbang_bench, or
kesbang_bench_national with ``BENCH_SCALE=national``) and the bench's own setup and logins. Requests
the pages whose queries grow with the number of incidents: the incident list (the province-wide login
and a regency login, whose scope filters by region, in the list's order), the free-text search, the
list with three filters and the dashboard with its cache emptied (its aggregates by region run
again); captures every SQL query exactly as the page sent it, runs each distinct one once more under
``EXPLAIN (ANALYZE, BUFFERS)`` and prints the plans of the ``EXPLAIN_TOP`` (3) slowest by their
execution time. Prints, reads only: safe on a production copy.
"""

import datetime
import os
import sys


def main(argv: list[str]) -> int:
    from tests import bench

    bench._environment()
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment

    setup_test_environment()
    override_settings(ROOT_URLCONF="tests.bench_urls").enable()
    from tests import bench_seed, otp

    otp.install()
    users = bench_seed.bench_users()
    clients = {}
    for who, username in (("province", "bench.provinsi"), ("regency", "bench.bangka")):
        clients[who] = Client()
        clients[who].force_login(users[username])
    wanted = (
        "incident list",
        "incident list (regency login)",
        "incident list (search)",
        "incident list (3 filters)",
        "incident list (50 rows)",
        "dashboard",
        "dashboard (regency login)",
    )
    rows = [(label, url, who) for label, url, _why, who in bench.page_list() if url and label in wanted]
    if not rows:
        print("no incident pages in this database: run make bench first")
        return 1
    captured: dict[str, tuple[float, str]] = {}
    for label, url, who in rows:
        clients[who].get(url)  # warm-up: sessions, templates, lazily loaded data
        if label.startswith("dashboard"):
            cache.clear()  # its aggregates are cached until a write; measure them computed
        with CaptureQueriesContext(connection) as ctx:
            clients[who].get(url)
        for query in ctx.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or "django_session" in sql or '"auth_user"' in sql[:200]:
                continue
            captured.setdefault(sql, (float(query["time"]), label))
    # A page's timings swing with a busy machine: rank by the plans' own execution times instead.
    plans = []
    with connection.cursor() as cursor:
        for sql, (_seconds, label) in captured.items():
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            lines = [line for (line,) in cursor.fetchall()]
            took = next(
                (float(line.split(":")[1].split()[0]) for line in lines if line.startswith("Execution Time")), 0.0
            )
            plans.append((took, label, sql, lines))
        cursor.execute("SELECT count(*) FROM incidents_incident")
        incidents = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM teams_region WHERE level IN ('kabupaten', 'kota')")
        regencies = cursor.fetchone()[0]
    plans.sort(key=lambda plan: plan[0], reverse=True)
    top = plans[: int(os.environ.get("EXPLAIN_TOP", "3"))]
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M")
    print(
        f"# {now} UTC, database {connection.settings_dict['NAME']}: {incidents:,} incidents, {regencies:,} "
        f"regencies/cities; the {len(top)} slowest of {len(plans)} distinct queries of {len(rows)} pages"
    )
    for n, (took, label, sql, lines) in enumerate(top, start=1):
        print(f"\n## {n}. {label}: {took:.1f} ms\n")
        print(sql)
        print()
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
