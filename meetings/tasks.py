"""Tasks of the meetings app: thin adapters around ``meetings.notifications`` (house style 5).

They take ids, are enqueued after commit by the services, have time limits, and retry SMTP and
connection failures with exponential backoff. Each email is a ``MeetingDelivery`` row claimed before
sending (core ``deliver``), so a retry or a second beat run never sends anything twice.
"""

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from kesbang.core.tasks import MAIL
from meetings import notifications

logger = logging.getLogger(__name__)

# A meeting's mails go to every invitee in one task: longer limits, a slower first retry.
RETRY = MAIL.options(backoff=60, soft_time_limit=5 * 60, time_limit=6 * 60)


@shared_task(name="meetings.tasks.meeting_invitations_send", **RETRY)
def meeting_invitations_send(meeting_id: int) -> dict:
    result = notifications.invitations_send(meeting_id)
    result.raise_first()
    return result.as_dict()


@shared_task(name="meetings.tasks.meeting_change_notify", **RETRY)
def meeting_change_notify(meeting_id: int, sequence: int) -> dict:
    result = notifications.change_notify(meeting_id, sequence)
    result.raise_first()
    return result.as_dict()


@shared_task(name="meetings.tasks.meeting_cancel_notify", **RETRY)
def meeting_cancel_notify(meeting_id: int) -> dict:
    result = notifications.cancel_notify(meeting_id)
    result.raise_first()
    return result.as_dict()


@shared_task(name="meetings.tasks.meeting_reminders_send", **RETRY)
def meeting_reminders_send(today: str | None = None) -> dict:
    """Daily (beat, 07:00 WIB): RSVP, attendee, due-date and weekly overdue reminders.
    ``today`` (ISO date) re-runs a missed day; by default the Asia/Jakarta date."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    result = notifications.reminders_send(day)
    logger.info("meeting reminders for %s: %s", day.isoformat(), result.as_dict())
    result.raise_first()
    return result.as_dict()
