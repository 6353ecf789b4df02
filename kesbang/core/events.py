"""Domain events: a service says, explicitly and by name, that something happened; an upper layer
that cares (the webhooks of ``kesbang.integrations``) has registered a listener at ``ready()``.

Why not signals (DESIGN.md §1, house style 2): a ``post_save`` fires for every save, from any code,
with no idea of *what* happened (reported? verified? an unrelated edit?). Here the one service that
makes the change names it, once, at the moment it is true, and a lower app never imports the app
that listens (``incidents`` knows nothing of ``integrations``: no import, no cycle).

    from kesbang.core import events
    events.emit(events.INCIDENT_VERIFIED, object_id=incident.pk, from_status="dilaporkan")

Contract:

- ``emit`` is called INSIDE the service's transaction, after the change is written. Every listener
  runs there and then, in that transaction: what a listener records (an outbox row) commits with
  the change or rolls back with it, so an event exists exactly when its change does. A listener does
  no network I/O; it records and enqueues after commit (``kesbang.core.tasks.enqueue_after_commit``).
- A listener that raises makes the service fail (the change rolls back): listeners keep to cheap,
  local writes.
- ``data`` holds primitives only (ids, status codes): listeners and tasks load what they need.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INCIDENT_REPORTED = "incident.reported"
INCIDENT_VERIFIED = "incident.verified"
INCIDENT_ESCALATED = "incident.escalated"
INCIDENT_CLOSED = "incident.closed"
MEETING_SCHEDULED = "meeting.scheduled"
REPORT_FINALISED = "report.finalised"

# Every event a service may emit, with its label (the webhook admin offers these).
EVENTS: dict[str, object] = {
    INCIDENT_REPORTED: _("Insiden dilaporkan"),
    INCIDENT_VERIFIED: _("Insiden diverifikasi"),
    INCIDENT_ESCALATED: _("Potensi konflik dieskalasi"),
    INCIDENT_CLOSED: _("Insiden selesai ditangani"),
    MEETING_SCHEDULED: _("Rapat dijadwalkan"),
    REPORT_FINALISED: _("Laporan berkala difinalkan"),
}


@dataclass(frozen=True)
class Event:
    name: str
    object_id: int
    at: datetime.datetime
    data: Mapping = field(default_factory=dict)


Listener = Callable[[Event], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> Listener:
    """Register ``listener`` (from an ``AppConfig.ready()``); registering it again changes nothing."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def unlisten(listener: Listener) -> None:
    """Take ``listener`` away again (tests)."""
    if listener in _listeners:
        _listeners.remove(listener)


def emit(name: str, *, object_id: int, **data) -> Event:
    """Tell every listener that ``name`` happened to the object ``object_id`` (see the module doc)."""
    if name not in EVENTS:
        raise ValueError(f"unknown event {name!r}; add it to kesbang.core.events.EVENTS")
    event = Event(name=name, object_id=int(object_id), at=timezone.now(), data=dict(data))
    for listener in list(_listeners):
        listener(event)
    return event
