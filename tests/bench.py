"""Page benchmarks: ``make bench`` (or ``python -m tests.bench``). Prints figures; asserts nothing.

Builds a throw-away test database (PostgreSQL when DATABASE_URL is set, else SQLite), seeds the
demo, then scales it up (every regency team gets MEMBERS members, the provincial plan ACTIVITIES
activities) and times each page through Django's test client: median and 95th percentile in ms,
queries per request, and peak Python memory for the exports.
"""

import os
import statistics
import sys
import time
import tracemalloc

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "150"))
ACTIVITIES = int(os.environ.get("BENCH_ACTIVITIES", "60"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesbang.settings_test")
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        return run()
    finally:
        teardown_databases(old, verbosity=0)


def scale_up() -> None:
    import datetime
    from decimal import Decimal

    from kesbang.demo import seed_demo
    from teams import services
    from teams.models import ActionPlan, Institution, Person, Team

    seed_demo()
    institution = Institution.objects.order_by("pk").first()
    for team in Team.objects.filter(status="aktif"):
        for i in range(MEMBERS):
            person = services.person_create(
                name=f"Anggota Uji {team.pk}-{i}", institution=institution, region=team.region,
                position="Staf", email=f"uji{team.pk}.{i}@example.go.id",
            )
            services.membership_start(
                team=team, person=person, role="anggota", start_date=max(team.period_start, datetime.date(2025, 1, 1))
            )
    plan = ActionPlan.objects.order_by("pk").first()
    if plan is not None and hasattr(services, "activity_create"):
        for i in range(ACTIVITIES):
            services.activity_create(
                plan=plan, phase=["pencegahan", "penghentian", "pemulihan"][i % 3], name=f"Kegiatan uji {i}",
                indicator="Terlaksana", unit="kegiatan", responsible_institution=institution, budget=None,
                budget_source="", targets={"B04": Decimal(1), "B08": Decimal(1), "B12": Decimal(2)},
            )
    print(f"data: {Team.objects.count()} teams, {Person.objects.count()} people, "
          f"{sum(1 for _ in ActionPlan.objects.all())} plans")


def run() -> int:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from teams.models import ActionPlan, Person, Team

    scale_up()
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="staf.provinsi"))
    team = Team.objects.filter(level="provinsi").first()
    person = Person.objects.first()
    plan = ActionPlan.objects.first()
    pages = [
        ("dashboard", ()),
        ("teams:team_list", ()),
        ("teams:team_detail", (team.pk,)),
        ("teams:person_list", ()),
        ("teams:person_detail", (person.pk,)),
        ("teams:membership_list", ()),
        ("teams:membership_export", ("xlsx",)),
        ("teams:team_members_pdf", (team.pk,)),
        ("teams:plan_list", ()),
        ("teams:plan_detail", (plan.pk,) if plan else None),
        ("teams:plan_export", (plan.pk,) if plan else None),
    ]
    print(f"{'page':34} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'peak MiB':>9}")
    for name, args in pages:
        if args is None:
            continue
        try:
            url = reverse(name, args=args)
        except NoReverseMatch:
            continue
        timings = []
        for _ in range(ROUNDS):
            reset_queries()
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            tracemalloc.start()
            response = client.get(url)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        p95 = sorted(timings)[max(0, int(len(timings) * 0.95) - 1)]
        print(f"{name:34} {response.status_code:>6} {statistics.median(timings):>10.1f} {p95:>8.1f} "
              f"{len(ctx.captured_queries):>8} {peak / 2**20:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
