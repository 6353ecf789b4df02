"""Early-warning emails, the daily verification digest and the Status Keadaan Konflik reminders.

Each email goes out through ``kesbang.core.delivery.deliver`` keyed by its record (``IncidentAlert``,
``VerificationDigest``, ``ConflictStatusReminder``): exactly once per key, however often the task runs.
A failing recipient does not stop the others: every key is tried, then the first SMTP error is
raised so the Celery task retries (what was sent is skipped on the retry).

Recipients (each address then gets what ``incidents.classification`` allows it: the full report, the
reference only, or nothing, as a login that may read the incident or as an address without a login):
- alert: the handling team's Ketua and Sekretaris (the region's active team when none is assigned yet)
  and every Staf Provinsi login, and Pimpinan for a ``rahasia`` incident;
- digest: each verifier (Staf Provinsi: every report awaiting verification; Staf Kabupaten/Kota: its
  region's) with at least one report waiting, with the number of public reports (``/lapor/``) waiting
  for triage in its scope;
- reminder: the handling team's (or region team's) Ketua and Sekretaris, and Staf Provinsi.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from incidents import classification, selectors
from incidents.classification import Disclosure
from incidents.models import (
    ConflictStatus,
    ConflictStatusReminder,
    Incident,
    IncidentAlert,
    PublicReport,
    VerificationDigest,
)
from kesbang.core.delivery import deliver
from kesbang.core.email import absolute_url, send_email
from teams.access import Role
from teams.models import Membership, Team


def _emails_of_role(*roles: str) -> list[str]:
    users = get_user_model().objects.filter(groups__name__in=[str(r) for r in roles], is_active=True).select_related(
        "person"
    ).distinct()
    out = []
    for user in users:
        email = (getattr(getattr(user, "person", None), "email", "") or user.email or "").strip().lower()
        if email:
            out.append(email)
    return out


def _team_for(incident: Incident) -> Team | None:
    if incident.handling_team_id:
        return incident.handling_team
    return Team.objects.filter(region_id=incident.region_id, status=Team.Status.AKTIF).order_by("-period_start").first()


def _leaders(team: Team | None) -> list[str]:
    if team is None:
        return []
    rows = Membership.objects.filter(
        team=team, end_date__isnull=True, role__in=[Membership.Role.KETUA, Membership.Role.SEKRETARIS]
    ).values_list("person__email", flat=True)
    return [e.strip().lower() for e in rows if e and e.strip()]


def _unique(emails) -> list[str]:
    seen, out = set(), []
    for e in emails:
        if e not in seen:
            seen.add(e)
            out.append(e)
    return out


def _addressed(incident: Incident, emails) -> list[tuple[str, Disclosure]]:
    """(address, what it may be told) for each address the policy lets hear of ``incident`` at all."""
    out = []
    for email in _unique(emails):
        shown = classification.mail_disclosure_for_address(incident, email)
        if shown.named:
            out.append((email, shown))
    return out


def _alert_candidates(incident: Incident) -> list[str]:
    roles = [Role.STAF_PROVINSI, Role.PIMPINAN] if incident.classification == Incident.Classification.RAHASIA \
        else [Role.STAF_PROVINSI]
    return _leaders(_team_for(incident)) + _emails_of_role(*roles)


def alert_recipients(incident: Incident) -> list[str]:
    return [email for email, _shown in _addressed(incident, _alert_candidates(incident))]


LEVEL_LABELS = {
    "tinggi": _l("Keparahan tinggi"), "kritis": _l("Keparahan kritis"), "peristiwa": _l("Peristiwa konflik"),
}


def _send_all(jobs) -> dict:
    """Run every (model, key, send, recipient) through deliver; raise the first error at the end."""
    sent = skipped = 0
    first_error = None
    for model, key, send, recipient in jobs:
        try:
            if deliver(model, key=key, send=send, recipient=recipient):
                sent += 1
            else:
                skipped += 1
        except Exception as exc:  # noqa: BLE001 - re-raised below after the other recipients
            first_error = first_error or exc
    if first_error is not None:
        raise first_error
    return {"sent": sent, "skipped": skipped}


def incident_alerts_send(*, incident_id: int) -> dict:
    """Early warning for one incident (see the module docstring). Idempotent."""
    incident = Incident.objects.select_related("region", "kecamatan", "desa", "category", "handling_team").filter(
        pk=incident_id
    ).first()
    if incident is None or incident.status in (Incident.Status.DRAF, Incident.Status.DITOLAK):
        return {"sent": 0, "skipped": 0}
    recipients = _addressed(incident, _alert_candidates(incident))
    url = absolute_url(incident.get_absolute_url())
    jobs = []
    for level in incident.alert_levels():
        label = str(LEVEL_LABELS[level])
        for email, shown in recipients:
            full = shown is Disclosure.FULL
            if full:
                subject = _("[Peringatan dini] %(level)s: %(title)s (%(ref)s)") % {
                    "level": label, "title": incident.title, "ref": incident.reference}
            else:
                subject = _("[Peringatan dini] %(level)s: laporan berklasifikasi %(class)s %(ref)s") % {
                    "level": label, "class": incident.get_classification_display().lower(), "ref": incident.reference}

            def send(row, email=email, subject=subject, label=label, full=full):
                send_email(to=[email], subject=subject, template="incident_alert",
                           context={"incident": incident, "level_label": label, "url": url, "full": full})
            jobs.append((IncidentAlert, {"incident": incident, "level": level, "email": email}, send, email))
    return _send_all(jobs)


def verification_digest_send(*, day: datetime.date) -> dict:
    """The daily digest of reports awaiting verification, once per day and verifier."""
    User = get_user_model()
    verifiers = (
        User.objects.filter(is_active=True, groups__name__in=[Role.STAF_PROVINSI, Role.STAF_KABKOTA])
        .select_related("person").distinct()
    )
    jobs = []
    for user in verifiers:
        email = (getattr(getattr(user, "person", None), "email", "") or user.email or "").strip().lower()
        if not email:
            continue
        waiting = list(selectors.awaiting_verification(Incident.objects.restrict(user, "change"))[:100])
        # Reports from the public waiting for triage in the verifier's scope: counted, never quoted (the
        # reporter's words and contact stay on the triage page).
        public_waiting = selectors.public_reports_waiting(PublicReport.objects.restrict(user, "change"))
        if not waiting and not public_waiting:
            continue
        for incident in waiting:  # the verifier may read each (restrict); the mail names what the policy allows
            incident.mail_full = classification.disclosure(
                incident.classification, classification.Audience.READER_MAIL) is Disclosure.FULL
        subject = _("Laporan menunggu verifikasi: %(n)s (%(day)s)") % {"n": len(waiting) + public_waiting,
                                                                     "day": date_format(day, "j F Y")}

        def send(row, email=email, waiting=waiting, subject=subject, public_waiting=public_waiting):
            send_email(to=[email], subject=subject, template="incident_digest",
                       context={"incidents": waiting, "day": day, "public_waiting": public_waiting,
                                "public_url": absolute_url(reverse("incidents:public_report_list")),
                                "list_url": absolute_url("/insiden/?status=dilaporkan")})
        jobs.append((VerificationDigest, {"day": day, "email": email}, send, email))
    return _send_all(jobs)


def conflict_status_reminders_send(*, today: datetime.date) -> dict:
    """Reminders 14 and 3 days before a Status Keadaan Konflik ends (a missed day is caught up: a status
    ending within the window that has not had that reminder gets it; each once)."""
    days = sorted(getattr(settings, "CONFLICT_STATUS_REMINDER_DAYS", (14, 3)), reverse=True)
    jobs = []
    for i, before in enumerate(days):
        later = days[i + 1] if i + 1 < len(days) else -1
        window = ConflictStatus.objects.filter(
            end_date__gt=today + datetime.timedelta(days=later), end_date__lte=today + datetime.timedelta(days=before)
        ).select_related("incident__region", "incident__handling_team")
        for status in window:
            incident = status.incident
            recipients = _addressed(incident, _leaders(_team_for(incident)) + _emails_of_role(Role.STAF_PROVINSI))
            subject = _("Status Keadaan Konflik %(ref)s berakhir %(date)s") % {
                "ref": incident.reference, "date": date_format(status.end_date, "j F Y")}
            for email, shown in recipients:
                def send(row, email=email, status=status, subject=subject, before=before, shown=shown):
                    send_email(to=[email], subject=subject, template="conflict_status_reminder",
                               context={"status": status, "incident": status.incident, "days_before": before,
                                        "full": shown is Disclosure.FULL,
                                        "days_left": (status.end_date - today).days,
                                        "url": absolute_url(status.incident.get_absolute_url())})
                jobs.append((ConflictStatusReminder, {"conflict_status": status, "days_before": before,
                                                      "email": email}, send, email))
    return _send_all(jobs)


__all__ = ["incident_alerts_send", "verification_digest_send", "conflict_status_reminders_send", "alert_recipients"]
