"""Office-wide tasks."""

import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="kesbang.tasks.heartbeat", ignore_result=False, soft_time_limit=20, time_limit=30)
def heartbeat(token: str = "") -> dict:
    """Proves the worker is alive and configured: returns its clock in Asia/Jakarta and the token."""
    now = timezone.localtime()
    logger.info("heartbeat %s at %s", token, now.isoformat())
    return {"token": token, "at": now.isoformat(), "tz": str(now.tzinfo)}


# --- Periodic reports ----------------------------------------------------------------------------


@shared_task(name="kesbang.tasks.report_generate", acks_late=True, soft_time_limit=9 * 60, time_limit=10 * 60)
def report_generate(report_id: int) -> dict:
    """Build one report version (progress on the Report row). Idempotent: a redelivered or
    re-enqueued message finds the report claimed or done and does nothing."""
    from kesbang.reports.services import report_generate as generate

    report = generate(report_id=report_id)
    return {"report": report_id, "status": report.status if report else "skipped"}


@shared_task(name="kesbang.tasks.reports_resume_stuck", soft_time_limit=60, time_limit=90)
def reports_resume_stuck() -> dict:
    """Every 5 minutes (beat): enqueue again the reports whose worker died or whose message was lost."""
    from kesbang.reports.services import reports_resume_stuck as stuck

    ids = stuck()
    for report_id in ids:
        report_generate.delay(report_id)
    if ids:
        logger.warning("reports resumed after a stall: %s", ids)
    return {"resumed": ids}


@shared_task(name="kesbang.tasks.reports_schedule_due", soft_time_limit=120, time_limit=180)
def reports_schedule_due(today: str | None = None) -> dict:
    """Daily (beat, 06:00 WIB): the scheduled province reports of periods that just ended."""
    import datetime

    from kesbang.reports.services import reports_schedule_due as schedule

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    created = schedule(today=day)
    return {"created": [f"{r.kind} {r.period}" for r in created]}
