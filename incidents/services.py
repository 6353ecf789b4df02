"""Writes of the incidents app (DESIGN.md house style 2): keyword-only, atomic, validated.

Workflow (issue 7 item 2), one service per transition, each recorded in ``IncidentTransition``:

    draf ─submit→ dilaporkan ─verify→ terverifikasi ─handle→ ditangani ─recover→ pemulihan ─close→ selesai
                  dilaporkan / terverifikasi ─reject (reason)→ ditolak
                  ditangani ─close→ selesai

Who may do what (besides the incident being in ``Incident.objects.restrict(user, "change")``):
- ``submit``: the reporter (or whoever manages the incident);
- every other transition: Staf Provinsi, Staf Kabupaten/Kota (own region), Administrator;
  Anggota Tim and Pimpinan never.
A refused role or scope raises ``PermissionDenied``; a wrong current status or bad data raises
``ValidationError`` with an Indonesian message.

Events (``kesbang.core.events``, for the webhooks): ``incident.reported`` on submit (also of an
escalation's new incident), ``incident.verified``, ``incident.closed``, and ``incident.escalated`` on an
escalation, each emitted inside the service's transaction.

Early warning: a report (submit), an escalation, or an update that raises the severity to tinggi/kritis
(or the kind to peristiwa) of a non-draft incident enqueues ``incidents.tasks.incident_alert_send``
after commit; the task sends each (incident, level, recipient) once (delivery records).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from incidents.models import (
    Attachment,
    ConflictStatus,
    FollowUp,
    Incident,
    IncidentTransition,
    ReferenceCounter,
)
from kesbang.core import events
from kesbang.core.tasks import enqueue_after_commit
from kesbang.core.uploads import atomic_with_files
from kesbang.core.validation import validated_save

S = Incident.Status

# Fields a form may set on create/update (status, reporter, reference, version are the services' own).
EDITABLE_FIELDS = (
    "title", "chronology", "kind", "occurred_on", "occurred_time", "date_precision", "region", "kecamatan",
    "desa", "latitude", "longitude", "source", "category", "violence_form", "phase", "severity",
    "party_a_type", "party_a_name", "party_a_size", "party_b_type", "party_b_name", "party_b_size",
    "killed", "injured", "missing", "displaced", "buildings_damaged", "buildings_destroyed",
    "women_victims", "children_victims", "estimated_loss", "info_source", "classification",
    "handling_team", "handler",
)



@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    reporter_may: bool = False  # the reporter may do it even without a manager role


TRANSITIONS = {
    "submit": Transition("submit", (S.DRAF,), S.DILAPORKAN, reporter_may=True),
    "verify": Transition("verify", (S.DILAPORKAN,), S.TERVERIFIKASI),
    "reject": Transition("reject", (S.DILAPORKAN, S.TERVERIFIKASI), S.DITOLAK),
    "handle": Transition("handle", (S.TERVERIFIKASI,), S.DITANGANI),
    "recover": Transition("recover", (S.DITANGANI,), S.PEMULIHAN),
    "close": Transition("close", (S.DITANGANI, S.PEMULIHAN), S.SELESAI),
}

# The transitions other systems hear of (kesbang.core.events; webhooks listen in kesbang.integrations).
TRANSITION_EVENTS = {
    "submit": events.INCIDENT_REPORTED, "verify": events.INCIDENT_VERIFIED, "close": events.INCIDENT_CLOSED,
}



def _enqueue_alert(incident: Incident) -> None:
    if incident.status in (S.DRAF, S.DITOLAK) or not incident.alert_levels():
        return
    enqueue_after_commit("incidents.tasks.incident_alert_send", incident.pk)


# --- Reference numbers --------------------------------------------------------------------------------


def reference_next(*, region, year: int) -> str:
    """The next number for a regency/city and year: INS-19.71-2026-0042. Locks the counter row, so two
    reports at the same time never get the same number (call inside a transaction)."""
    counter, _created = ReferenceCounter.objects.get_or_create(region_code=region.code, year=year)
    counter = ReferenceCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"INS-{region.code}-{year}-{counter.last:04d}"


# --- Create, update, escalate -----------------------------------------------------------------------


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    for name in ("latitude", "longitude"):  # a float from code or JSON: 6 decimals (about 0.1 m)
        if isinstance(fields.get(name), float):
            fields[name] = Decimal(str(round(fields[name], 6)))


def _record(incident: Incident, *, from_status: str, to_status: str, user, note: str = "") -> IncidentTransition:
    return IncidentTransition.objects.create(
        incident=incident, from_status=from_status, to_status=to_status, by=user, note=note
    )


class Created(NamedTuple):
    """What ``incident_create_once`` did: the incident, and whether this call made it (False: the same
    idempotency key had already made it)."""

    incident: Incident
    created: bool


def incident_create(*, reporter, submit: bool = False, client_key: uuid.UUID | str | None = None,
                    **fields) -> Incident:
    """Create a report as draf (or submitted at once with ``submit=True``), with a new reference number.

    ``client_key`` is the browser's idempotency key: the same key from the same reporter returns the
    incident already created (a resubmission after a lost connection never makes a duplicate); the
    same key from someone else is refused. ``incident_create_once`` also says which happened.
    """
    return incident_create_once(reporter=reporter, submit=submit, client_key=client_key, **fields).incident


@transaction.atomic
def incident_create_once(*, reporter, submit: bool = False, client_key: uuid.UUID | str | None = None,
                         **fields) -> Created:
    """``incident_create`` telling whether the incident is new (``created``) or an earlier submission
    with the same idempotency key (``created=False``: the caller adds nothing to it again)."""
    _check_fields(fields)
    if not reporter.has_perm("incidents.add_incident"):
        raise PermissionDenied
    if client_key:
        try:
            client_key = uuid.UUID(str(client_key))
        except ValueError as exc:
            raise ValidationError(_("Kunci pengiriman tidak sah.")) from exc
        existing = Incident.objects.filter(client_key=client_key).first()
        if existing is not None:
            if existing.reporter_id != reporter.pk:
                raise ValidationError(_("Kunci pengiriman ini sudah dipakai."))
            return Created(existing, False)
    incident = Incident(reporter=reporter, client_key=client_key or None, status=S.DRAF, **fields)
    incident.reported_at = timezone.now()
    incident.full_clean(exclude=["reference"])  # before a number is taken from the counter
    incident.reference = reference_next(region=incident.region, year=timezone.localdate(incident.reported_at).year)
    incident._history_user = reporter
    try:
        with transaction.atomic():
            validated_save(incident)
    except ValidationError as exc:
        if client_key and Incident.objects.filter(client_key=client_key).exists():
            # A parallel resubmission with the same key won the race: hand back that one.
            raise ValidationError(_("Laporan ini sedang dikirim; muat ulang halaman.")) from exc
        raise
    _record(incident, from_status="", to_status=S.DRAF, user=reporter, note=_("Laporan dibuat."))
    if submit:
        _apply_transition(incident, user=reporter, name="submit")
    return Created(incident, True)


def _stale_message(locked: Incident) -> str:
    last = locked.history.select_related("history_user").first()
    who = (last.history_user.get_full_name() or last.history_user.get_username()) if last and last.history_user else "-"
    when = date_format(timezone.localtime(locked.updated_at), "j F Y H:i")
    return _(
        "Insiden ini sudah diubah oleh %(who)s pada %(when)s setelah formulir Anda dibuka. Perubahan Anda belum "
        "disimpan: muat ulang halaman untuk melihat data terbaru, lalu ulangi perubahan Anda."
    ) % {"who": who, "when": when}


@transaction.atomic
def incident_update(*, incident: Incident, user, expected_version: int, **fields) -> Incident:
    """Change the report's data. ``expected_version`` is the version the form was opened with: if someone
    saved in between, the change is refused (optimistic locking, no lost update)."""
    _check_fields(fields)
    _require_change(incident, user)
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.version != expected_version:
        raise ValidationError(_stale_message(locked), code="stale")
    if locked.status in (S.SELESAI, S.DITOLAK):
        raise ValidationError(_("Laporan yang sudah selesai atau ditolak tidak dapat diubah."))
    before_levels = set(locked.alert_levels())
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.version += 1
    locked._history_user = user
    validated_save(locked)
    if set(locked.alert_levels()) - before_levels:
        _enqueue_alert(locked)
    return locked


@transaction.atomic
def incident_escalate(*, potential: Incident, user, **changes) -> Incident:
    """Escalate a conflict potential into a conflict incident: a new peristiwa report linked to the
    potential (``escalated_from``), reported at once; the potential stays as it was, with the link."""
    _check_fields(changes)
    _require_manager(potential, user)
    if potential.kind != Incident.Kind.POTENSI:
        raise ValidationError(_("Hanya potensi konflik yang dapat dieskalasi."))
    if hasattr(potential, "escalated_to"):
        raise ValidationError(_("Potensi konflik ini sudah dieskalasi menjadi %(ref)s.") % {
            "ref": potential.escalated_to.reference
        })
    if potential.status in (S.DRAF, S.DITOLAK):
        raise ValidationError(_("Laporkan dan verifikasi potensi konflik ini sebelum dieskalasi."))
    data = {name: getattr(potential, name) for name in EDITABLE_FIELDS}
    data.update(kind=Incident.Kind.PERISTIWA, phase=changes.pop("phase", "penghentian"))
    data.update(changes)
    incident = Incident(reporter=user, status=S.DRAF, escalated_from=potential, **data)
    incident.reported_at = timezone.now()
    incident.full_clean(exclude=["reference"])
    incident.reference = reference_next(region=incident.region, year=timezone.localdate().year)
    incident._history_user = user
    validated_save(incident)
    _record(incident, from_status="", to_status=S.DRAF, user=user,
            note=_("Eskalasi dari %(ref)s.") % {"ref": potential.reference})
    _apply_transition(incident, user=user, name="submit")
    events.emit(events.INCIDENT_ESCALATED, object_id=incident.pk, escalated_from=potential.pk)
    return incident


# --- Transitions ----------------------------------------------------------------------------------------


def _is_manager(user) -> bool:
    """Manages reports beyond its own (verify, assign, reject ...): the change permission."""
    return user.is_superuser or user.has_perm("incidents.change_incident")


def _require_change(incident: Incident, user) -> None:
    if not user.has_perm("incidents.change_incident") and not (
        incident.reporter_id == user.pk and user.has_perm("incidents.add_incident")
    ):
        raise PermissionDenied
    if not Incident.objects.restrict(user, "change").filter(pk=incident.pk).exists():
        raise PermissionDenied


def _require_manager(incident: Incident, user) -> None:
    if not _is_manager(user) or not user.has_perm("incidents.change_incident"):
        raise PermissionDenied
    _require_change(incident, user)


def transition_allowed(incident: Incident, user, name: str) -> bool:
    """Whether ``user`` may do transition ``name`` on ``incident`` now (for showing buttons)."""
    t = TRANSITIONS[name]
    if incident.status not in t.sources:
        return False
    if not (_is_manager(user) or (t.reporter_may and incident.reporter_id == user.pk)):
        return False
    if name == "submit" and incident.reporter_id == user.pk:
        return True
    return user.has_perm("incidents.change_incident")


def _apply_transition(incident: Incident, *, user, name: str, note: str = "", reason: str = "") -> Incident:
    t = TRANSITIONS[name]
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.status not in t.sources:
        raise ValidationError(
            _("Status laporan sekarang %(status)s; langkah ini tidak dapat dilakukan.")
            % {"status": locked.get_status_display()}
        )
    before = locked.status
    locked.status = t.target
    if name == "reject":
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Tuliskan alasan penolakan.")})
        locked.rejection_reason = reason
        note = reason
    if name == "submit":
        locked.reported_at = timezone.now()
    if name == "handle" and not locked.handling_team_id:
        raise ValidationError(_("Tentukan tim penanganan sebelum laporan ditangani."))
    phase = {"handle": "penghentian", "recover": "pemulihan"}.get(name)
    if phase and locked.phase != phase and not (name == "handle" and locked.kind == Incident.Kind.POTENSI):
        locked.phase = phase
    locked.version += 1
    locked._history_user = user
    validated_save(locked)
    _record(locked, from_status=before, to_status=t.target, user=user, note=note)
    if name == "submit":
        _enqueue_alert(locked)
    if name in TRANSITION_EVENTS:
        events.emit(TRANSITION_EVENTS[name], object_id=locked.pk, from_status=before, to_status=t.target)
    incident.status, incident.version = locked.status, locked.version
    return locked


MAX_NOTE = 2000


@transaction.atomic
def incident_transition(*, incident: Incident, user, name: str, note: str = "", reason: str = "") -> Incident:
    """Run transition ``name`` (see TRANSITIONS) after the role and scope checks. A note or reason
    longer than ``MAX_NOTE`` characters is refused whole (never cut short and saved)."""
    if name not in TRANSITIONS:
        raise ValidationError(_("Langkah tidak dikenal."))
    for text, label in ((reason, _("Alasan penolakan")), (note, _("Catatan"))):
        if len(text or "") > MAX_NOTE:
            raise ValidationError(
                _("%(label)s terlalu panjang: %(length)s karakter, paling banyak %(max)s. Persingkat lalu kirim "
                  "kembali.") % {"label": label, "length": len(text), "max": MAX_NOTE}
            )
    t = TRANSITIONS[name]
    if t.reporter_may and incident.reporter_id == user.pk:
        if not Incident.objects.restrict(user, "change").filter(pk=incident.pk).exists():
            raise PermissionDenied
    else:
        _require_manager(incident, user)
    return _apply_transition(incident, user=user, name=name, note=note, reason=reason)


def incident_submit(*, incident: Incident, user, note: str = "") -> Incident:
    """draf → dilaporkan (the reporter); enqueues the early-warning alert when it applies."""
    return incident_transition(incident=incident, user=user, name="submit", note=note)


def incident_verify(*, incident: Incident, user, note: str = "") -> Incident:
    """dilaporkan → terverifikasi (Staf Provinsi / Staf Kabupaten/Kota of the region)."""
    return incident_transition(incident=incident, user=user, name="verify", note=note)


def incident_reject(*, incident: Incident, user, reason: str) -> Incident:
    """dilaporkan/terverifikasi → ditolak, with a reason."""
    return incident_transition(incident=incident, user=user, name="reject", reason=reason)


def incident_start_handling(*, incident: Incident, user, note: str = "") -> Incident:
    """terverifikasi → ditangani; needs a handling team."""
    return incident_transition(incident=incident, user=user, name="handle", note=note)


def incident_start_recovery(*, incident: Incident, user, note: str = "") -> Incident:
    """ditangani → pemulihan (phase pemulihan)."""
    return incident_transition(incident=incident, user=user, name="recover", note=note)


def incident_close(*, incident: Incident, user, note: str = "") -> Incident:
    """ditangani/pemulihan → selesai."""
    return incident_transition(incident=incident, user=user, name="close", note=note)


@transaction.atomic
def incident_assign(*, incident: Incident, user, handling_team, handler=None) -> Incident:
    """Set the handling team and handler (managers only)."""
    _require_manager(incident, user)
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    locked.handling_team, locked.handler = handling_team, handler
    locked.version += 1
    locked._history_user = user
    return validated_save(locked)


# --- Timeline, status, attachments ------------------------------------------------------------------


@transaction.atomic
def follow_up_add(*, incident: Incident, user, date: datetime.date, kind: str, description: str,
                  institution=None, transition: str = "") -> FollowUp:
    """Add a handling-timeline entry; ``transition`` (optional) moves the status in the same step."""
    _require_manager(incident, user)
    if incident.status in (S.DRAF, S.DITOLAK):
        raise ValidationError(_("Tindak lanjut dicatat setelah laporan dikirim."))
    entry = FollowUp(
        incident=incident, date=date, kind=kind, description=description, institution=institution, created_by=user
    )
    validated_save(entry)
    if transition:
        _apply_transition(incident, user=user, name=transition,
                          note=_("Bersama tindak lanjut %(date)s.") % {"date": date_format(date, "j F Y")})
    return entry


@transaction.atomic
def conflict_status_declare(*, incident: Incident, user, scale: str, decree_number: str,
                            decree_date: datetime.date, start_date: datetime.date, end_date: datetime.date,
                            dprd_consulted_on: datetime.date | None = None) -> ConflictStatus:
    """Record a Status Keadaan Konflik (≤ 90 days) for an open peristiwa; reminders follow by beat."""
    _require_manager(incident, user)
    if incident.kind != Incident.Kind.PERISTIWA:
        raise ValidationError(_("Status Keadaan Konflik hanya untuk peristiwa konflik."))
    if incident.status in (S.DRAF, S.DITOLAK):
        raise ValidationError(_("Status Keadaan Konflik dicatat setelah laporan dikirim dan tidak ditolak."))
    status = ConflictStatus(
        incident=incident, scale=scale, decree_number=decree_number, decree_date=decree_date,
        start_date=start_date, end_date=end_date, dprd_consulted_on=dprd_consulted_on, created_by=user,
    )
    overlapping = incident.conflict_statuses.filter(start_date__lte=end_date, end_date__gte=start_date)
    if start_date and end_date and overlapping.exists():
        raise ValidationError({"start_date": _("Sudah ada Status Keadaan Konflik pada rentang tanggal ini.")})
    return validated_save(status)


@atomic_with_files()
def attachment_add(*, incident: Incident, user, uploaded_file, description: str = "") -> Attachment:
    """Store a photo/document (checked by content and size, core uploads) under a random private name;
    the file goes again if the transaction rolls back."""
    if not Incident.objects.restrict(user, "change").filter(pk=incident.pk).exists():
        raise PermissionDenied
    attachment = Attachment(incident=incident, description=description)
    attachment.take_upload(uploaded_file, user=user, field="file")
    return attachment.save_upload()


@transaction.atomic
def attachment_delete(*, attachment: Attachment, user) -> None:
    """Delete an attachment; its file goes after commit (``cleanup_files_for`` in the app config)."""
    if not Incident.objects.restrict(user, "change").filter(pk=attachment.incident_id).exists():
        raise PermissionDenied
    attachment.delete()
