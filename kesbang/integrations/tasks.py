"""Tasks of the integrations: thin adapters (house style 5); the work is in ``webhooks`` and ``package``."""

import logging

from celery import shared_task
from django.conf import settings

from kesbang.core.tasks import TRANSIENT_ERRORS, RetryPolicy, once
from kesbang.integrations.transport import WebhookSendError

logger = logging.getLogger(__name__)

SHORT = once(soft_time_limit=60, time_limit=90).options()

# A receiver that is down or answers 5xx is retried with exponential backoff and jitter: 30 s, 1, 2, 4 ...
# minutes up to WEBHOOK_BACKOFF_MAX, WEBHOOK_MAX_ATTEMPTS tries in all; the delivery row counts them.
WEBHOOK = RetryPolicy(
    retry_for=(WebhookSendError, *TRANSIENT_ERRORS),
    backoff=int(getattr(settings, "WEBHOOK_BACKOFF", 30)),
    backoff_max=int(getattr(settings, "WEBHOOK_BACKOFF_MAX", 3600)),
    max_retries=max(int(getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 8)) - 1, 0),
    soft_time_limit=60, time_limit=90,
)


@shared_task(name="kesbang.integrations.tasks.webhook_event_dispatch", **SHORT)
def webhook_event_dispatch(event_id: int) -> dict:
    """Plan one event's deliveries (once per endpoint) and send each in its own task."""
    from kesbang.integrations.webhooks import webhook_event_plan

    ids = webhook_event_plan(event_id=event_id)
    for delivery_id in ids:
        webhook_deliver.delay(delivery_id)
    return {"event": event_id, "queued": ids}


@shared_task(name="kesbang.integrations.tasks.webhook_deliver", **WEBHOOK.options())
def webhook_deliver(delivery_id: int) -> dict:
    """One delivery, exactly once; a failure raises and Celery retries with backoff."""
    from kesbang.integrations.webhooks import webhook_send

    return {"delivery": delivery_id, "sent": webhook_send(delivery_id=delivery_id)}


@shared_task(name="kesbang.integrations.tasks.webhooks_sweep", **SHORT)
def webhooks_sweep() -> dict:
    """Every 10 minutes (beat): events and deliveries whose message was lost or whose worker died."""
    from kesbang.integrations.webhooks import webhooks_due

    event_ids, delivery_ids = webhooks_due()
    for event_id in event_ids:
        webhook_event_dispatch.delay(event_id)
    for delivery_id in delivery_ids:
        webhook_deliver.delay(delivery_id)
    if event_ids or delivery_ids:
        logger.warning("webhooks swept again: events %s, deliveries %s", event_ids, delivery_ids)
    return {"events": event_ids, "deliveries": delivery_ids}


@shared_task(name="kesbang.integrations.tasks.package_build",
             **once(soft_time_limit=9 * 60, time_limit=10 * 60).options())
def package_build(package_id: int) -> dict:
    """Build one national package (progress on its row). Idempotent: a second copy finds it claimed."""
    from kesbang.integrations.package import package_build as build

    package = build(package_id=package_id)
    return {"package": package_id, "status": package.status if package else "skipped"}


@shared_task(name="kesbang.integrations.tasks.packages_resume_stuck", **SHORT)
def packages_resume_stuck() -> dict:
    """Every 5 minutes (beat): packages whose worker died or whose message was lost are built again."""
    from kesbang.integrations.package import packages_stuck

    ids = packages_stuck()
    for package_id in ids:
        package_build.delay(package_id)
    return {"resumed": ids}
