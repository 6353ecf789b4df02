"""Sweeper for early-warning alerts (issue 10, fault drills): an alert's task message can be lost
(Redis restarted, a worker died before it took the message) before any delivery row exists, so the
rows alone cannot tell what is missing. This finds the recent incidents at an alert level that still
lack a sent alert for one of their levels, or that have a delivery row left pending, and the beat
task ``incidents.tasks.incident_alerts_sweep`` sends them again through the same idempotent path
(``incidents.alerts.incident_alerts_send``: what was sent is never sent twice)."""

from __future__ import annotations

import datetime
import logging

from django.db.models import Q
from django.utils import timezone

from incidents.models import Incident, IncidentAlert
from kesbang.core.delivery import pending

logger = logging.getLogger(__name__)

# Only recent reports: an old report's alert is history, not a warning.
WINDOW = datetime.timedelta(days=3)
# Leave the task enqueued on commit a moment to run before the sweeper doubles it.
GRACE = datetime.timedelta(minutes=5)
# At most this many incidents a sweep (the most recent first): a bulk change that touched many old
# reports must not turn into an email storm; the rest waits for the next sweeps, with a warning.
MAX_PER_SWEEP = 50


def alerts_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Ids of incidents whose alerts are due again (lost message, pending or stale-claimed rows)."""
    now = now or timezone.now()
    # Reported (not merely changed) within the window: an alert is about a fresh report.
    candidates = list(
        Incident.objects.exclude(status__in=[Incident.Status.DRAF, Incident.Status.DITOLAK])
        .filter(reported_at__gte=now - WINDOW, updated_at__gte=now - WINDOW, updated_at__lt=now - GRACE)
        .filter(Q(severity__in=["tinggi", "kritis"]) | Q(kind=Incident.Kind.PERISTIWA))
        .order_by("-reported_at")
        .only("pk", "severity", "kind")[: MAX_PER_SWEEP * 4]
    )
    sent = set(
        IncidentAlert.objects.filter(incident__in=[c.pk for c in candidates], status=IncidentAlert.Status.SENT)
        .values_list("incident_id", "level")
        .distinct()
    )
    due = {c.pk for c in candidates if any((c.pk, level) not in sent for level in c.alert_levels())}
    due |= set(pending(IncidentAlert).filter(incident__reported_at__gte=now - WINDOW)
               .values_list("incident_id", flat=True)[:MAX_PER_SWEEP])
    if len(due) > MAX_PER_SWEEP:
        logger.warning("incident alert sweep: %s incidents due, sending the %s most recent now", len(due),
                       MAX_PER_SWEEP)
    return sorted(due, reverse=True)[:MAX_PER_SWEEP]
