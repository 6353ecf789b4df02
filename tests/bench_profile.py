"""Profile one page of the benchmark database (``python -m tests.bench_profile LABEL [N]``).

Uses the database ``make bench`` seeded (``DATABASE_URL``, default kesbang_bench) and the bench's own
setup (production template rendering, the floors' urlconf, a province-wide staff login with a verified
second factor). Renders the page named by its bench label N times (default 20) and prints the median
milliseconds beside the password-form floor's, the queries per request and the 25 costliest
functions by cumulative and by own time (cProfile). ``PROFILE=0`` skips cProfile (e.g. under
``valgrind --tool=callgrind``, whose instruction counts do not depend on how busy the machine is).
``PROFILE_OUT=file`` also saves the profile (``pstats``). ``QUERIES=1`` also prints each query of one
request with its median time over N requests (where the database's share of a page goes).
``python -m tests.bench_profile list`` prints the labels.
"""

import cProfile
import os
import pstats
import statistics
import sys
import time


def main(argv: list[str]) -> int:
    from tests import bench

    bench._environment()
    import django

    django.setup()
    from django.template import Template
    from django.test import Client
    from django.test.utils import _TestState, override_settings, setup_test_environment

    setup_test_environment()
    Template._render = _TestState.saved_data.template_render
    override_settings(ROOT_URLCONF="tests.bench_urls").enable()
    from tests import bench_seed, otp

    otp.install()
    users = bench_seed.bench_users()
    clients = {}
    for who, username in (("province", "bench.provinsi"), ("regency", "bench.bangka")):
        clients[who] = Client(raise_request_exception=True)
        clients[who].force_login(users[username])
    rows = {label: (url, who) for label, url, _why, who in bench.page_list() if url}
    if not argv or argv[0] == "list":
        print("\n".join(rows))
        return 0
    label, count = argv[0], int(argv[1]) if len(argv) > 1 else 20
    url, who = rows[label]
    floor_url, _ = rows[bench.FLOOR]
    client = clients[who]
    for target in (url, floor_url):
        bench._get(client, target)
    queries = bench._queries(client, url)
    page, floor = [], []
    for _ in range(count):
        for target, into in ((url, page), (floor_url, floor)):
            started = time.perf_counter()
            bench._get(client, target)
            into.append((time.perf_counter() - started) * 1000)
    print(
        f"{label}: {url} median {statistics.median(page):.1f} ms, floor {statistics.median(floor):.1f} ms, "
        f"x floor {statistics.median(p / f for p, f in zip(page, floor, strict=True)):.2f}, {queries} queries"
    )
    if os.environ.get("QUERIES") == "1":
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        timings: list[list[float]] = []
        sqls: list[str] = []
        for _ in range(count):
            with CaptureQueriesContext(connection) as captured:
                bench._get(client, url)
            sqls = [q["sql"] for q in captured.captured_queries]
            for index, query in enumerate(captured.captured_queries):
                if index >= len(timings):
                    timings.append([])
                timings[index].append(float(query["time"]) * 1000)
        for sql, times in zip(sqls, timings, strict=False):
            print(f"{statistics.median(times):7.2f} ms  {sql[:400]}")
    if os.environ.get("PROFILE", "1") != "0":
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(count):
            bench._get(client, url)
        profile.disable()
        if os.environ.get("PROFILE_OUT"):
            profile.dump_stats(os.environ["PROFILE_OUT"])
        stats = pstats.Stats(profile).strip_dirs()
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
