"""Tasks of the incidents app: thin adapters (house style 5); the work is in ``incidents.alerts``."""

import logging

from celery import shared_task
from django.db import DatabaseError

from kesbang.core.tasks import MAIL, RetryPolicy

logger = logging.getLogger(__name__)

RETRY = MAIL.options()


@shared_task(name="incidents.tasks.incident_alert_send", **RETRY)
def incident_alert_send(incident_id: int) -> dict:
    """Early warning for one incident: one email per level reached and recipient, each sent once.
    An SMTP failure raises, and Celery retries with backoff; what was sent is not sent again."""
    from incidents.alerts import incident_alerts_send

    return incident_alerts_send(incident_id=incident_id)


@shared_task(name="incidents.tasks.verification_digest_send", **RETRY)
def verification_digest_send(day: str | None = None) -> dict:
    """Daily (beat): reports awaiting verification to each verifier, once per day and verifier."""
    import datetime

    from django.utils import timezone

    from incidents.alerts import verification_digest_send as run

    return run(day=datetime.date.fromisoformat(day) if day else timezone.localdate())


@shared_task(name="incidents.tasks.conflict_status_reminders_send", **RETRY)
def conflict_status_reminders_send(today: str | None = None) -> dict:
    """Daily (beat): Status Keadaan Konflik reminders 14 and 3 days before the end, each once."""
    import datetime

    from django.utils import timezone

    from incidents.alerts import conflict_status_reminders_send as run

    return run(today=datetime.date.fromisoformat(today) if today else timezone.localdate())


@shared_task(name="incidents.tasks.incident_alerts_sweep", soft_time_limit=60, time_limit=90)
def incident_alerts_sweep(at: str | None = None) -> dict:
    """Every 10 minutes (beat): send again the alerts of recent incidents whose message was lost or whose
    delivery is still pending (``incidents.sweep``). Sends nothing twice. ``at`` (ISO time) is for tests."""
    import datetime

    from incidents.sweep import alerts_due

    ids = alerts_due(now=datetime.datetime.fromisoformat(at) if at else None)
    for incident_id in ids:
        incident_alert_send.delay(incident_id)
    if ids:
        logger.warning("incident alerts swept again: %s", ids)
    return {"queued": ids}


# Retention of the public's personal data: a database error (a lock, a restart) is retried with backoff;
# every report is claimed by a conditional update, so a retry or a second worker erases nothing twice.
RETENTION = RetryPolicy(retry_for=(DatabaseError,), backoff=60, max_retries=5, soft_time_limit=5 * 60,
                        time_limit=6 * 60)


@shared_task(name="incidents.tasks.public_report_retention", **RETENTION.options())
def public_report_retention(now: str | None = None) -> dict:
    """Daily (beat): erase the reporter's name and contact (and photos still held) of public reports
    closed longer than ``PUBLIC_REPORT_RETENTION_DAYS`` ago, each exactly once with an audit event
    (``incidents.intake.personal_data_retention``). ``now`` (ISO time) is for tests."""
    import datetime

    from incidents.intake import personal_data_retention

    result = personal_data_retention(now=datetime.datetime.fromisoformat(now) if now else None)
    if result["erased"]:
        logger.info("public reports: personal data erased for %s", result["erased"])
    return result
