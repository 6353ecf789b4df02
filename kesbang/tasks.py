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
