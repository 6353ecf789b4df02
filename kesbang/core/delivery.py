"""Claim-before-send: each delivery (a reminder, an alert, a summary) goes out exactly once per key,
even with two workers, retries and crashes.

    sent = deliver(PlanReminderLog, key={"plan": plan, "period": "B04", ...},
                   send=lambda row: send_email(...), recipient="a@x, b@y")

1. ``get_or_create`` the row for ``key`` (a unique constraint covers the key fields), then in a short
   transaction lock it (``select_for_update(of=("self",))``: only that row) and claim it, unless it
   is already SENT or another worker claimed it less than ``stale_after`` ago → False.
2. ``send(row)`` runs OUTSIDE any transaction (an SMTP call never holds a lock); on success the row
   becomes SENT with ``sent_at`` → True.
3. If ``send`` raises: ``attempts`` += 1, ``last_error``, status PENDING (FAILED after
   ``max_attempts``), claim cleared, and the exception propagates (the Celery task retries).

A crash between sending and marking leaves a claimed row that is retried after ``stale_after``:
at-least-once in that one window, exactly-once otherwise.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

STALE_AFTER = datetime.timedelta(minutes=15)


def _claim(model, pk, *, stale_after: datetime.timedelta, recipient: str):
    now = timezone.now()
    with transaction.atomic():
        row = model.objects.select_for_update(of=("self",)).order_by().get(pk=pk)
        if row.status == model.Status.SENT:
            return None
        if row.claimed_at is not None and now - row.claimed_at < stale_after:
            return None
        row.claimed_at = now
        if recipient:
            row.recipient = recipient
        row.save(update_fields=["claimed_at", "recipient"])
    return row


def deliver(model, *, key: dict, send: Callable, recipient: str = "", stale_after: datetime.timedelta = STALE_AFTER,
            max_attempts: int | None = None) -> bool:
    """Send once per ``key``; True when this call sent it, False when it was sent or is being sent."""
    try:
        row, _created = model.objects.get_or_create(**key, defaults={"recipient": recipient})
    except IntegrityError:  # a concurrent worker created it between our get and create
        row = model.objects.get(**key)
    if row.status == model.Status.SENT:
        return False
    claimed = _claim(model, row.pk, stale_after=stale_after, recipient=recipient)
    if claimed is None:
        return False
    try:
        send(claimed)
    except Exception as exc:
        claimed.attempts += 1
        claimed.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        claimed.claimed_at = None
        failed = max_attempts is not None and claimed.attempts >= max_attempts
        claimed.status = model.Status.FAILED if failed else model.Status.PENDING
        model.objects.filter(pk=claimed.pk).update(
            attempts=claimed.attempts, last_error=claimed.last_error, claimed_at=None, status=claimed.status
        )
        raise
    claimed.status = model.Status.SENT
    claimed.sent_at = timezone.now()
    claimed.attempts += 1
    claimed.last_error = ""
    model.objects.filter(pk=claimed.pk).update(
        status=claimed.status, sent_at=claimed.sent_at, attempts=claimed.attempts, last_error=""
    )
    return True


def pending(model, *, stale_after: datetime.timedelta = STALE_AFTER) -> QuerySet:
    """Rows not sent (nor given up) that nobody holds: unclaimed, or claimed longer ago than
    ``stale_after`` (for sweepers)."""
    cutoff = timezone.now() - stale_after
    return model.objects.filter(status=model.Status.PENDING).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=cutoff)
    )


def already_sent(model, keys: list[dict]) -> set:
    """Helper for batch senders: which of ``keys`` (each a dict with the same fields) are SENT,
    in one query. Returns a set of tuples of the key values in the order of the first key's fields."""
    if not keys:
        return set()
    fields = list(keys[0])
    condition = Q()
    for key in keys:
        condition |= Q(**key)
    rows = model.objects.filter(condition, status=model.Status.SENT).values_list(*fields)
    return {tuple(row) for row in rows}
