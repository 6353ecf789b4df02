"""Webhooks: register an endpoint, record events, deliver each event to each endpoint exactly once.

1. ``record_event`` (a ``kesbang.core.events`` listener, inside the emitting service's transaction):
   when an active endpoint wants the event, a ``WebhookEvent`` row (the outbox) is written and
   ``webhook_event_dispatch`` is enqueued after commit. A rolled-back change leaves no event.
2. ``webhook_event_plan`` (task ``webhook_event_dispatch``): one ``WebhookDelivery`` per endpoint that
   wants it AND may hear of it (the classification policy for the endpoint's clearance: an incident
   above it gets no row at all); the unique (event, endpoint) constraint makes a second run plan
   nothing new.
3. ``webhook_send`` (task ``webhook_deliver``, retried with exponential backoff): the core
   ``deliver`` claims the row before the request, so two workers or a redelivered message never send
   twice; the body is built at send time from the record as it is then (a class raised meanwhile is
   withheld, never sent), signed (``transport.sign``) with a fresh timestamp per attempt.
4. ``webhooks_sweep`` (beat): events whose dispatch message was lost, and deliveries never tried or
   left by a dead worker, are enqueued again.
"""

from __future__ import annotations

import datetime
import json
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kesbang.core.delivery import deliver
from kesbang.core.events import EVENTS, Event
from kesbang.core.tasks import enqueue_after_commit
from kesbang.core.validation import validated_save
from kesbang.integrations import payloads, sealing, transport
from kesbang.integrations.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

logger = logging.getLogger(__name__)

DISPATCH_TASK = "kesbang.integrations.tasks.webhook_event_dispatch"
DELIVER_TASK = "kesbang.integrations.tasks.webhook_deliver"


def max_attempts() -> int:
    return int(getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 8))


# --- Registration ------------------------------------------------------------------------------------


def _check_clearance(user, clearance: str) -> None:
    """A login registers or changes an endpoint only up to the classes it reads itself."""
    from incidents.classification import readable_classes

    if user is not None and clearance not in readable_classes(user):
        raise ValidationError({"clearance": _(
            "Anda hanya dapat mendaftarkan endpoint sampai klasifikasi yang boleh Anda baca sendiri. Endpoint "
            "berklasifikasi %(c)s didaftarkan oleh pengguna yang berwenang membaca insiden %(c)s.") % {"c": clearance}})


@transaction.atomic
def endpoint_register(*, name: str, url: str, events: list[str], clearance: str, active: bool = True,
                      description: str = "", user=None) -> tuple[WebhookEndpoint, str]:
    """A new endpoint with a freshly generated secret; returns (endpoint, the secret in clear, to be
    shown once and never again)."""
    _check_clearance(user, clearance)
    secret = sealing.new_secret()
    endpoint = WebhookEndpoint(
        name=name.strip(), url=url.strip(), events=list(dict.fromkeys(events)), clearance=clearance,
        active=active, description=description, secret_sealed=sealing.seal(secret),
        secret_hint=sealing.hint(secret), secret_set_at=timezone.now(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    validated_save(endpoint)
    return endpoint, secret


@transaction.atomic
def endpoint_update(*, endpoint: WebhookEndpoint, user=None, **changes) -> WebhookEndpoint:
    """Change an endpoint's name, URL, events, clearance, state or description (not its secret)."""
    allowed = {"name", "url", "events", "clearance", "active", "description"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    _check_clearance(user, locked.clearance)  # may the login touch this endpoint at all
    _check_clearance(user, changes.get("clearance", locked.clearance))
    for field, value in changes.items():
        setattr(locked, field, value)
    return validated_save(locked)


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: WebhookEndpoint, user=None) -> tuple[WebhookEndpoint, str]:
    """A new secret (the old one stops signing at once); returns it in clear, to be shown once."""
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    try:
        _check_clearance(user, locked.clearance)
    except ValidationError as exc:
        raise PermissionDenied from exc
    secret = sealing.new_secret()
    locked.secret_sealed = sealing.seal(secret)
    locked.secret_hint = sealing.hint(secret)
    locked.secret_set_at = timezone.now()
    locked.save(update_fields=["secret_sealed", "secret_hint", "secret_set_at"])
    return locked, secret


# --- 1. Recording ---------------------------------------------------------------------------------------


def record_event(event: Event) -> WebhookEvent | None:
    """The ``kesbang.core.events`` listener: an outbox row when an active endpoint wants ``event``
    (one query when none does)."""
    wanted = [names for names in WebhookEndpoint.objects.filter(active=True).values_list("events", flat=True)
              if event.name in (names or [])]
    if not wanted:
        return None
    row = WebhookEvent.objects.create(name=event.name, object_id=event.object_id, data=dict(event.data),
                                      occurred_at=event.at)
    enqueue_after_commit(DISPATCH_TASK, row.pk)
    return row


# --- 2. Planning ---------------------------------------------------------------------------------------


def _endpoint_body(event: WebhookEvent, endpoint: WebhookEndpoint) -> dict | None:
    return payloads.webhook_body(uid=event.uid, name=event.name, occurred_at=event.occurred_at,
                                 object_id=event.object_id, data=event.data, clearance=endpoint.clearance)


def webhook_event_plan(*, event_id: int) -> list[int]:
    """The deliveries of one event (created once per endpoint); returns the ids still to send."""
    event = WebhookEvent.objects.filter(pk=event_id).first()
    if event is None:
        return []
    for endpoint in WebhookEndpoint.objects.filter(active=True).order_by("pk"):
        if not endpoint.wants(event.name) or _endpoint_body(event, endpoint) is None:
            continue  # not subscribed, or the policy withholds this event from its clearance: no row
        WebhookDelivery.objects.get_or_create(event=event, endpoint=endpoint,
                                              defaults={"recipient": endpoint.url})
    if event.dispatched_at is None:
        WebhookEvent.objects.filter(pk=event.pk, dispatched_at__isnull=True).update(dispatched_at=timezone.now())
    return list(event.deliveries.filter(status=WebhookDelivery.Status.PENDING, endpoint__active=True)
                .order_by("pk").values_list("pk", flat=True))


# --- 3. Sending ----------------------------------------------------------------------------------------


def _withhold(row: WebhookDelivery, reason: str) -> None:
    WebhookDelivery.objects.filter(pk=row.pk).exclude(status=WebhookDelivery.Status.SENT).update(
        status=WebhookDelivery.Status.FAILED, last_error=reason, claimed_at=None)


def webhook_send(*, delivery_id: int) -> bool:
    """Send one delivery once (see the module doc). True when this call sent it; raises
    ``transport.WebhookSendError`` (or a network error) for the task to retry with backoff."""
    row = WebhookDelivery.objects.select_related("event", "endpoint").filter(pk=delivery_id).first()
    if row is None or row.is_sent:
        return False
    endpoint, event = row.endpoint, row.event
    if not endpoint.wants(event.name):
        return False  # switched off or unsubscribed meanwhile: stays pending, a later change may resume it
    body_dict = _endpoint_body(event, endpoint)
    if body_dict is None:
        _withhold(row, _("Ditahan: insiden kini di atas klasifikasi endpoint (atau sudah dihapus); tidak dikirim."))
        return False
    try:
        secret = sealing.unseal(endpoint.secret_sealed)
    except sealing.SecretUnavailable:
        _withhold(row, _("Rahasia bersama tidak dapat dibuka (kunci server berganti); ganti rahasia endpoint ini."))
        return False
    body = json.dumps(body_dict, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")

    def send(claimed: WebhookDelivery) -> None:
        timestamp = int(timezone.now().timestamp())
        headers = {
            "X-Kesbang-Event": event.name, "X-Kesbang-Event-Id": str(event.uid),
            "X-Kesbang-Delivery": str(claimed.pk), "X-Kesbang-Timestamp": str(timestamp),
            "X-Kesbang-Signature": transport.sign(secret, timestamp, body),
        }
        fields = {"body": body.decode("utf-8"), "last_attempt_at": timezone.now()}
        try:
            answer = transport.post(endpoint.url, body, headers)
        except transport.WebhookSendError as exc:
            answer = getattr(exc, "answer", None)
            WebhookDelivery.objects.filter(pk=claimed.pk).update(
                response_status=answer.status if answer else None, response_excerpt=answer.excerpt if answer else "",
                duration_ms=answer.duration_ms if answer else None, **fields)
            raise
        WebhookDelivery.objects.filter(pk=claimed.pk).update(
            response_status=answer.status, response_excerpt=answer.excerpt, duration_ms=answer.duration_ms, **fields)

    return deliver(WebhookDelivery, key={"event": event, "endpoint": endpoint}, send=send, recipient=endpoint.url,
                   max_attempts=max_attempts())


# --- 4. Sweeping ---------------------------------------------------------------------------------------


def webhooks_due(*, now: datetime.datetime | None = None) -> tuple[list[int], list[int]]:
    """(events to dispatch again, deliveries to send again): events not dispatched two minutes after
    they happened; pending deliveries never tried after two minutes, claimed by a worker silent for
    15 minutes, or last tried longer ago than the longest backoff (their retry message was lost)."""
    now = now or timezone.now()
    grace = now - datetime.timedelta(minutes=2)
    event_ids = list(WebhookEvent.objects.filter(dispatched_at__isnull=True, occurred_at__lt=grace)
                     .order_by("pk").values_list("pk", flat=True)[:500])
    backoff = datetime.timedelta(seconds=int(getattr(settings, "WEBHOOK_BACKOFF_MAX", 3600)) * 2)
    delivery_ids = list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, endpoint__active=True)
        .filter(Q(attempts=0, claimed_at__isnull=True, created_at__lt=grace)
                | Q(claimed_at__lt=now - datetime.timedelta(minutes=15))
                | Q(claimed_at__isnull=True, last_attempt_at__lt=now - backoff))
        .order_by("pk").values_list("pk", flat=True)[:500])
    return event_ids, delivery_ids


def deliveries_resend(*, endpoint: WebhookEndpoint | None = None, ids=None) -> list[int]:
    """Give failed deliveries (of ``endpoint``, or the given ``ids``) another round of attempts."""
    qs = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.FAILED, endpoint__active=True)
    if endpoint is not None:
        qs = qs.filter(endpoint=endpoint)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    chosen = list(qs.values_list("pk", flat=True))
    WebhookDelivery.objects.filter(pk__in=chosen).update(status=WebhookDelivery.Status.PENDING, attempts=0,
                                                         claimed_at=None)
    for pk in chosen:
        enqueue_after_commit(DELIVER_TASK, pk)
    return chosen


def event_choices() -> list[tuple[str, str]]:
    return [(name, str(label)) for name, label in EVENTS.items()]
