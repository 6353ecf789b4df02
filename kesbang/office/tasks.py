"""Office-wide tasks."""

import logging

from celery import shared_task
from django.utils import timezone

from kesbang.core.tasks import MAIL, once

logger = logging.getLogger(__name__)


@shared_task(name="kesbang.tasks.heartbeat", ignore_result=False, **once(soft_time_limit=20, time_limit=30).options())
def heartbeat(token: str = "") -> dict:
    """Proves the worker is alive and configured: returns its clock in Asia/Jakarta and the token."""
    now = timezone.localtime()
    logger.info("heartbeat %s at %s", token, now.isoformat())
    return {"token": token, "at": now.isoformat(), "tz": str(now.tzinfo)}


# --- Periodic reports ----------------------------------------------------------------------------


@shared_task(name="kesbang.tasks.report_generate", **once(soft_time_limit=9 * 60, time_limit=10 * 60).options())
def report_generate(report_id: int) -> dict:
    """Build one report version (progress on the Report row). Idempotent: a redelivered or
    re-enqueued message finds the report claimed or done and does nothing."""
    from kesbang.office.reports.services import report_generate as generate

    report = generate(report_id=report_id)
    return {"report": report_id, "status": report.status if report else "skipped"}


@shared_task(name="kesbang.tasks.reports_resume_stuck", **once(soft_time_limit=60, time_limit=90).options())
def reports_resume_stuck() -> dict:
    """Every 5 minutes (beat): enqueue again the reports whose worker died or whose message was lost."""
    from kesbang.office.reports.services import reports_resume_stuck as stuck

    ids = stuck()
    for report_id in ids:
        report_generate.delay(report_id)
    if ids:
        logger.warning("reports resumed after a stall: %s", ids)
    return {"resumed": ids}


@shared_task(name="kesbang.tasks.reports_schedule_due", **once(soft_time_limit=120, time_limit=180).options())
def reports_schedule_due(today: str | None = None) -> dict:
    """Daily (beat, 06:00 WIB): the scheduled province reports of periods that just ended."""
    import datetime

    from kesbang.office.reports.services import reports_schedule_due as schedule

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    created = schedule(today=day)
    return {"created": [f"{r.kind} {r.period}" for r in created]}


# --- Emails: weekly summary and reports (exactly once per recipient through delivery rows) ----------

@shared_task(name="kesbang.tasks.weekly_summary_plan", **once(soft_time_limit=120, time_limit=180).options())
def weekly_summary_plan(week: str | None = None) -> dict:
    """Monday 07:00 WIB (beat): the last complete week's summary for every recipient, each sent by
    its own task. Running it twice plans nothing new and sends nothing twice."""
    from kesbang.office.weekly import services

    target = services.parse_week(week) if week else services.last_complete_week()
    summary = services.weekly_summary_plan(week=target)
    ids = services.pending_ids(summary)
    for delivery_id in ids:
        weekly_summary_send.delay(delivery_id)
    return {"week": summary.week, "queued": ids}


@shared_task(
    name="kesbang.tasks.weekly_summary_send", **MAIL.options(backoff_max=30 * 60, soft_time_limit=60, time_limit=90),
)
def weekly_summary_send(delivery_id: int) -> dict:
    from kesbang.office.weekly.services import weekly_summary_send as send

    return {"delivery": delivery_id, "sent": send(delivery_id=delivery_id)}


@shared_task(name="kesbang.tasks.deliveries_sweep", **once(soft_time_limit=120, time_limit=180).options())
def deliveries_sweep() -> dict:
    """Every 10 minutes (beat): plan a missed Monday, re-send summary and report emails still pending
    or held by a dead worker (lost when Redis restarted or a worker died)."""
    from kesbang.core.delivery import pending
    from kesbang.office.models import ReportDelivery
    from kesbang.office.weekly.services import weekly_summary_due

    summary_ids = weekly_summary_due()
    for delivery_id in summary_ids:
        weekly_summary_send.delay(delivery_id)
    report_ids = list(pending(ReportDelivery).values_list("pk", flat=True))
    for delivery_id in report_ids:
        report_send_one.delay(delivery_id)
    return {"weekly_summary": summary_ids, "reports": report_ids}


@shared_task(name="kesbang.tasks.report_send", **once(soft_time_limit=60, time_limit=90).options())
def report_send(report_id: int) -> dict:
    """Email a finished report to the report recipients, one task per recipient."""
    from kesbang.office.models import Report
    from kesbang.office.reports.delivery import report_deliveries_plan

    report = Report.objects.get(pk=report_id)
    ids = report_deliveries_plan(report=report)
    for delivery_id in ids:
        report_send_one.delay(delivery_id)
    return {"report": report_id, "queued": ids}


@shared_task(
    name="kesbang.tasks.report_send_one", **MAIL.options(backoff_max=30 * 60, soft_time_limit=120, time_limit=150),
)
def report_send_one(delivery_id: int) -> dict:
    from kesbang.office.reports.delivery import report_send_one as send

    return {"delivery": delivery_id, "sent": send(delivery_id=delivery_id)}
