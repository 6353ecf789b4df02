"""Office layer in ``make bench`` (called from tests/bench.py): the dashboard at 100,000 incidents,
the weekly summary build and the caturwulan report build (PDF + xlsx, in a subprocess for its peak
memory).

``seed()`` tops the incidents up to ``BENCH_INCIDENTS`` (100,000) by bulk insert when the incidents
bench seeder (``tests/bench_incidents.py``, run first) has not put them there already: spread over
the last 400 days, every regency, source, severity and status; idempotent (counts what exists)."""

import datetime
import os
import random

TARGET = int(os.environ.get("BENCH_INCIDENTS", "100000"))
BATCH = 5000


def seed() -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from incidents.models import Category, Incident
    from teams.models import Region

    existing = Incident.objects.count()
    if existing >= TARGET:
        return {"incidents": existing}
    rng = random.Random(9)
    regions = list(Region.objects.filter(level__in=["kabupaten", "kota"]))
    category = Category.objects.order_by("pk").first() or Category.objects.create(name="Lahan")
    users = get_user_model().objects
    reporter = users.filter(is_superuser=True).first() or users.order_by("pk").first()
    today = timezone.localdate()
    statuses = ["dilaporkan", "terverifikasi", "ditangani", "pemulihan", "selesai", "selesai", "ditolak"]
    now = timezone.now()
    n = existing
    while n < TARGET:
        batch = []
        for _ in range(min(BATCH, TARGET - n)):
            occurred = today - datetime.timedelta(days=rng.randint(0, 400))
            status = rng.choice(statuses)
            batch.append(Incident(
                reference=f"BENCH-OFFICE-{n:06d}", title="Sengketa lahan tambang timah (bench)",
                chronology="Data uji beban.", kind=rng.choice(["potensi", "peristiwa"]), occurred_on=occurred,
                reported_at=now - datetime.timedelta(days=(today - occurred).days, hours=rng.randint(0, 72)),
                region=rng.choice(regions), source=rng.choice(Incident.Source.values), category=category,
                severity=rng.choice(Incident.Severity.values), status=status,
                rejection_reason="Bukan konflik sosial." if status == "ditolak" else "",
                killed=rng.choice([0, 0, 0, 0, 1]), injured=rng.choice([0, 0, 1, 2]),
                displaced=rng.choice([0, 0, 0, 15]), reporter=reporter,
            ))
            n += 1
        with transaction.atomic():
            Incident.objects.bulk_create(batch)
    from django.db import connection

    if connection.vendor == "postgresql":  # fresh statistics, as autovacuum would soon have them
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE incidents_incident")
    return {"incidents": n}


def bench_pages() -> list[tuple[str, str]]:
    from django.urls import reverse

    return [("report archive", reverse("reports:report_list"))]


def build_summary() -> dict:
    """Build last complete week's summary and render its email (what the Monday task does before
    sending), without sending or recording anything."""
    from kesbang.office.weekly import services
    from kesbang.office.weekly.weeks import last_complete_week

    content = services.weekly_summary_build(last_complete_week())
    services.weekly_summary_email(content, to=["pimpinan@example.go.id"])
    return content


def build_report() -> None:
    """The last complete caturwulan report of the province, built in this process as the worker does."""
    from django.utils import timezone

    from kesbang.office.models import Report
    from kesbang.office.reports import services
    from kesbang.office.reports.periods import CATURWULAN, current_period
    from teams.models import Region

    period = current_period(CATURWULAN, timezone.localdate())
    province = Region.objects.get(code="19")  # the bench's province (one of 38 at national scale)
    report = services.report_request(kind=CATURWULAN, period=period.code, region=province, enqueue=False)
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    if report.status != Report.Status.SELESAI:
        raise RuntimeError(report.failure_reason)
