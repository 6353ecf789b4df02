"""Tasks of the teams app: thin adapters that call one service (house style 5)."""

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from kesbang.core.tasks import MAIL
from teams.services.reminders import plan_reminders_send

logger = logging.getLogger(__name__)


@shared_task(
    name="teams.tasks.action_plan_reminders_send",
    **MAIL.options(backoff=60, max_retries=6, soft_time_limit=5 * 60, time_limit=6 * 60),
)
def action_plan_reminders_send(today: str | None = None) -> dict:
    """Daily (beat, 07:00 WIB): email action-plan reminders 14 and 3 days before each deadline.

    ``today`` (ISO date) is for re-running a missed day; by default the Asia/Jakarta date. Idempotent:
    PlanReminderLog delivery rows say what was already sent, so a retry sends only what failed."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    result = plan_reminders_send(today=day).as_dict()
    logger.info("action plan reminders for %s: %s", day.isoformat(), result)
    return result
