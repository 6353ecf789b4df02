"""Public intake (issue 16): reports from the public through ``/lapor/`` and their triage by verifiers.

Writes (house style 2: keyword-only, atomic, validated; a refused role or scope raises
``PermissionDenied``, bad data or a wrong state ``ValidationError`` in Indonesian):

- ``public_report_submit``: a report from the public form, with a new tracking code and its photos.
  ``client_key`` is the browser's idempotency key: the same key returns the report already made
  (an offline queue that sends twice never makes two reports).
- ``public_report_accept``: a report becomes a DRAFT incident (``info_source`` "masyarakat") made
  through ``incidents.services.incident_create_once`` by the verifier, its photos copied to the
  incident's attachments (content checked again) and removed from the report.
- ``public_report_merge``: a report joins an existing incident the verifier may change (its photos
  become that incident's attachments).
- ``public_report_reject``: rejected with a reason category (spam, bukan konflik, duplikat).

Who triages: ``PublicReport.objects.restrict(user, "change")`` (the ``change_publicreport``
permission and the login's region scope: Staf Provinsi every regency/city, Staf Kabupaten/Kota its
own). The reporter's name and contact stay on the report (never copied to the incident, its history
or an email), so only verifiers read them and erasing them erases them everywhere.

Retention and requests under UU 27/2022 (Pelindungan Data Pribadi):

- ``reports_due_for_erasure(now)``: reports closed (rejected, or their incident finished or rejected)
  more than ``PUBLIC_REPORT_RETENTION_DAYS`` ago whose personal data is still held;
- ``personal_data_erase(report_id=..., reason=...)``: blanks name, phone and email, deletes photos
  still held, stamps ``personal_data_erased_at`` and writes one audit event, exactly once: the
  claim is a conditional UPDATE (``personal_data_erased_at IS NULL``), so two workers, a retry or
  a second run erase and record a report once;
- ``reports_of_reporter(code=..., contact=...)`` and ``report_export(report)``: what ``manage.py
  public_report_data`` exports or erases on a reporter's request.
"""

from __future__ import annotations

import datetime
import re
import secrets
import uuid
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Case, DateTimeField, F, Max, OuterRef, QuerySet, Subquery, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from incidents.models import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    Incident,
    IncidentTransition,
    PublicReport,
    PublicReportPhoto,
    tracking_normalise,
)
from kesbang.core.uploads import atomic_with_files, validate_upload
from kesbang.core.validation import validated_save

R = PublicReport.Status
PHOTO_KINDS = frozenset({"jpeg", "png"})
# What the public form may set (status, tracking code, consent time, triage fields are the services').
SUBMIT_FIELDS = (
    "description", "situation", "occurred_on", "occurred_time", "region", "kecamatan", "desa", "place_detail",
    "latitude", "longitude", "anonymous", "reporter_name", "reporter_phone", "reporter_email",
)
MAX_DESCRIPTION = 4000


def photo_max_bytes() -> int:
    return int(getattr(settings, "PUBLIC_REPORT_PHOTO_MAX_MB", 5)) * 1024 * 1024


def max_photos() -> int:
    return int(getattr(settings, "PUBLIC_REPORT_MAX_PHOTOS", 3))


def check_photo(uploaded, *, field: str | None = "photos") -> str:
    """The core upload checks for a public photo: JPG or PNG by content, at most
    ``PUBLIC_REPORT_PHOTO_MAX_MB``; ValidationError in Indonesian otherwise."""
    kind = validate_upload(uploaded, kinds=PHOTO_KINDS, max_bytes=photo_max_bytes(), field=field)
    uploaded.seek(0)
    return kind


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(TRACKING_LENGTH))


def normalise_phone(text: str) -> str:
    """Digits only, Indonesian numbers in the 62… form (``0812-3456-789`` → ``628123456789``): how a
    phone number is stored and matched on a data request."""
    digits = re.sub(r"\D", "", text or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


class Submitted(NamedTuple):
    report: PublicReport
    created: bool  # False: the same idempotency key had already made it


# --- Submission ---------------------------------------------------------------------------------------


def _key(client_key) -> uuid.UUID | None:
    if not client_key:
        return None
    try:
        return uuid.UUID(str(client_key))
    except ValueError as exc:
        raise ValidationError(_("Kunci pengiriman tidak sah. Muat ulang halaman, lalu kirim kembali.")) from exc


@atomic_with_files()
def public_report_submit(*, client_key=None, photos=(), **fields) -> Submitted:
    """Store a report from the public form (status "baru", waiting for triage) with a new tracking
    code and its photos (each checked by content; JPG/PNG only). An anonymous report keeps no name
    or contact even if some were typed. The same ``client_key`` returns the report it made."""
    unknown = set(fields) - set(SUBMIT_FIELDS)
    if unknown:
        raise TypeError(f"not a public report field: {sorted(unknown)}")
    key = _key(client_key)
    if key is not None:
        existing = PublicReport.objects.filter(client_key=key).first()
        if existing is not None:
            return Submitted(existing, False)
    photos = [p for p in photos or () if p]
    if len(photos) > max_photos():
        raise ValidationError({"photos": _("Paling banyak %(max)s foto.") % {"max": max_photos()}})
    for photo in photos:
        check_photo(photo)
    if fields.get("anonymous", True):
        fields.update(reporter_name="", reporter_phone="", reporter_email="")
    else:
        fields["reporter_phone"] = normalise_phone(fields.get("reporter_phone", ""))
        fields["reporter_email"] = (fields.get("reporter_email") or "").strip().lower()
        if not (fields.get("reporter_phone") or fields.get("reporter_email")):
            raise ValidationError({"reporter_phone": _(
                "Isi nomor telepon/WhatsApp atau email agar petugas dapat menghubungi Anda, atau pilih "
                "\"Kirim tanpa identitas\".")})
    if len(fields.get("description") or "") > MAX_DESCRIPTION:
        raise ValidationError({"description": _("Uraian paling banyak %(max)s karakter.") % {"max": MAX_DESCRIPTION}})
    now = timezone.now()
    report = PublicReport(client_key=key, consent_at=now, submitted_at=now, **fields)
    for _attempt in range(5):
        report.tracking_code = new_tracking_code()
        try:
            with transaction.atomic():
                validated_save(report)
            break
        except ValidationError as exc:
            if key is not None and PublicReport.objects.filter(client_key=key).exists():
                # A parallel resend with the same key won the race: hand back that one.
                return Submitted(PublicReport.objects.get(client_key=key), False)
            if "tracking_code" not in getattr(exc, "error_dict", {}):
                raise
            report.pk = None  # a code already taken (1 in 10^15): draw again
    else:  # pragma: no cover - five collisions in a row
        raise ValidationError(_("Laporan belum dapat disimpan. Coba kirim lagi."))
    for photo in photos:
        item = PublicReportPhoto(report=report)
        item.take_upload(photo, field="photos", kinds=PHOTO_KINDS)
        item.save_upload()
    return Submitted(report, True)


# --- Triage -------------------------------------------------------------------------------------------


def may_triage(user, report: PublicReport) -> bool:
    return PublicReport.objects.restrict(user, "change").filter(pk=report.pk).exists()


def _lock_open(report: PublicReport, user) -> PublicReport:
    """The report, locked, after checking the login may triage it and it still waits for triage."""
    if not user.has_perm("incidents.change_publicreport") or not may_triage(user, report):
        raise PermissionDenied
    locked = PublicReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != R.BARU:
        raise ValidationError(_("Laporan ini sudah diperiksa (%(status)s); tidak dapat diproses lagi.")
                              % {"status": locked.get_status_display()})
    return locked


def _copy_photos(report: PublicReport, incident: Incident, user) -> int:
    """Each photo of ``report`` becomes an attachment of ``incident`` (checked again by the incident
    service), then leaves the report (its file is removed after commit)."""
    from incidents import services

    n = 0
    for photo in report.photos.all():
        with photo.file.open("rb") as handle:
            content = ContentFile(handle.read(), name=photo.original_name)
        services.attachment_add(incident=incident, user=user, uploaded_file=content,
                                description=_("Foto kiriman masyarakat"))
        photo.delete()
        n += 1
    return n


def _decided(locked: PublicReport, user, status: str, **changes) -> PublicReport:
    locked.status = status
    locked.decided_at = timezone.now()
    locked.decided_by = user
    for name, value in changes.items():
        setattr(locked, name, value)
    return validated_save(locked)


ACCEPT_FIELDS = ("title", "kind", "occurred_on", "region", "kecamatan", "desa", "chronology", "source", "category",
                 "severity", "classification", "latitude", "longitude", "occurred_time")


@atomic_with_files()
def public_report_accept(*, report: PublicReport, user, submit: bool = False, note: str = "",
                         **incident_fields) -> Incident:
    """Turn a waiting report into an incident reported by ``user``: a draft (or reported at once with
    ``submit``), ``info_source`` "masyarakat", the photos as attachments. ``incident_fields`` are the
    incident's fields the verifier checked (title, kind, place, chronology, source, category,
    severity, classification ...); the incident service validates them."""
    from incidents import services

    unknown = set(incident_fields) - set(ACCEPT_FIELDS)
    if unknown:
        raise TypeError(f"not an accept field: {sorted(unknown)}")
    locked = _lock_open(report, user)
    incident, _created = services.incident_create_once(
        reporter=user, submit=False, info_source=Incident.InfoSource.MASYARAKAT, **incident_fields)
    _copy_photos(locked, incident, user)
    _decided(locked, user, R.DITERIMA, incident=incident, decision_note=note)
    if submit:
        incident = services.incident_submit(incident=incident, user=user,
                                            note=_("Dari laporan masyarakat yang diterima."))
    report.status, report.incident = locked.status, incident
    return incident


def merge_candidates(qs: QuerySet[Incident]) -> QuerySet[Incident]:
    """Incidents a report may be merged into: not drafts, not rejected."""
    return qs.exclude(status__in=[Incident.Status.DRAF, Incident.Status.DITOLAK])


@atomic_with_files()
def public_report_merge(*, report: PublicReport, user, incident: Incident, note: str = "") -> Incident:
    """Join a waiting report to an existing incident the login may change (not a draft, not rejected):
    its photos become that incident's attachments; the report follows the incident's status."""
    locked = _lock_open(report, user)
    if not merge_candidates(Incident.objects.restrict(user, "change")).filter(pk=incident.pk).exists():
        raise ValidationError({"incident": _("Insiden ini tidak dapat dipilih: di luar wilayah Anda, masih draf "
                                             "atau sudah ditolak.")})
    _copy_photos(locked, incident, user)
    _decided(locked, user, R.DIGABUNG, incident=incident, decision_note=note)
    report.status, report.incident = locked.status, incident
    return incident


@transaction.atomic
def public_report_reject(*, report: PublicReport, user, reason: str, note: str = "") -> PublicReport:
    """Reject a waiting report with a reason category (``PublicReport.RejectReason``) and an optional
    note for the other verifiers (never shown to the reporter)."""
    if reason not in PublicReport.RejectReason.values:
        raise ValidationError({"reason": _("Pilih alasan penolakan.")})
    if len(note or "") > 2000:
        raise ValidationError({"note": _("Catatan paling banyak 2000 karakter.")})
    locked = _lock_open(report, user)
    _decided(locked, user, R.DITOLAK, reject_reason=reason, decision_note=note)
    report.status = locked.status
    return locked


# --- Retention and data requests (UU 27/2022) -------------------------------------------------------


def with_closed_at(qs: QuerySet[PublicReport]) -> QuerySet[PublicReport]:
    """``closed_at``: when the report was closed: rejected (its decision), or the last time its incident
    became selesai or ditolak; None while it is open."""
    closing = (
        IncidentTransition.objects.filter(incident_id=OuterRef("incident_id"),
                                          to_status__in=[Incident.Status.SELESAI, Incident.Status.DITOLAK])
        .order_by().values("incident_id").annotate(last=Max("at")).values("last")
    )
    return qs.annotate(closed_at=Case(
        When(status=R.DITOLAK, then=F("decided_at")),
        When(incident__status__in=[Incident.Status.SELESAI, Incident.Status.DITOLAK], then=Subquery(closing)),
        default=None, output_field=DateTimeField(),
    ))


def retention_days() -> int:
    return int(getattr(settings, "PUBLIC_REPORT_RETENTION_DAYS", 180))


def reports_due_for_erasure(*, now: datetime.datetime | None = None) -> QuerySet[PublicReport]:
    """Reports closed more than ``PUBLIC_REPORT_RETENTION_DAYS`` before ``now`` whose personal data
    (name, contact, photos) has not been erased yet, oldest first."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    return (with_closed_at(PublicReport.objects.filter(personal_data_erased_at__isnull=True))
            .filter(closed_at__lt=cutoff).order_by("closed_at", "pk"))


def personal_data_erase(*, report_id: int, reason: str, actor: str = "", request=None) -> bool:
    """Erase the reporter's name, phone and email and the photos still held of one report, and record
    it (an audit event), exactly once: True when this call erased it, False when it had been erased
    already (by an earlier run, a retry or another worker)."""
    from kesbang.accounts import audit

    with atomic_with_files():
        claimed = PublicReport.objects.filter(pk=report_id, personal_data_erased_at__isnull=True).update(
            reporter_name="", reporter_phone="", reporter_email="", personal_data_erased_at=timezone.now())
        if not claimed:
            return False
        photos = list(PublicReportPhoto.objects.filter(report_id=report_id))
        for photo in photos:
            photo.delete()  # the file goes after commit (cleanup_files_for in the app config)
        audit.record(
            "pdp_erased", request=request, username=actor or "(sistem)",
            detail=f"laporan masyarakat #{report_id}: nama dan kontak pelapor, {len(photos)} foto; {reason}"[:500],
        )
    return True


def personal_data_retention(*, now: datetime.datetime | None = None, limit: int = 500) -> dict:
    """The beat task's work: erase what is due (at most ``limit`` reports a run; the rest next run)."""
    ids = list(reports_due_for_erasure(now=now).values_list("pk", flat=True)[:limit])
    reason = _("retensi %(days)s hari setelah ditutup") % {"days": retention_days()}
    erased = [pk for pk in ids if personal_data_erase(report_id=pk, reason=reason)]
    return {"erased": erased, "due": len(ids)}


def reports_of_reporter(*, code: str = "", contact: str = "") -> QuerySet[PublicReport]:
    """The reports a data request names: by tracking code, or by the phone number or email the reporter
    left (phone numbers compared in their stored 62… form)."""
    qs = PublicReport.objects.select_related("region", "kecamatan", "desa", "incident").prefetch_related("photos")
    if code:
        normal = tracking_normalise(code)
        return qs.filter(tracking_code=normal) if normal else qs.none()
    contact = (contact or "").strip()
    if not contact:
        return qs.none()
    if "@" in contact:
        return qs.filter(reporter_email__iexact=contact)
    phone = normalise_phone(contact)
    return qs.filter(reporter_phone=phone) if len(phone) >= 8 else qs.none()


def report_export(report: PublicReport) -> dict:
    """Everything Kesbang holds about one public report and its reporter, as JSON-ready values (the
    incident it became is a government record and is not exported; its public status is)."""
    def iso(value):
        return value.isoformat() if value else None

    return {
        "kode_pelacakan": report.tracking_display,
        "dikirim": iso(report.submitted_at),
        "persetujuan_data_pribadi": iso(report.consent_at),
        "anonim": report.anonymous,
        "nama": report.reporter_name,
        "telepon": report.reporter_phone,
        "email": report.reporter_email,
        "data_pribadi_dihapus": iso(report.personal_data_erased_at),
        "keadaan": report.situation,
        "uraian": report.description,
        "tanggal_kejadian": iso(report.occurred_on),
        "jam_kejadian": iso(report.occurred_time),
        "kabupaten_kota": report.region.name,
        "kecamatan": report.kecamatan.name if report.kecamatan_id else None,
        "desa_kelurahan": report.desa.name if report.desa_id else None,
        "lokasi": report.place_detail,
        "lintang": str(report.latitude) if report.latitude is not None else None,
        "bujur": str(report.longitude) if report.longitude is not None else None,
        "foto": [{"nama": p.original_name, "jenis": p.kind, "ukuran": p.size, "diunggah": iso(p.uploaded_at)}
                 for p in report.photos.all()],
        "status_publik": str(PublicReport.PublicStatus(report.public_status()).label),
        "diperiksa": iso(report.decided_at),
        "alasan_penolakan": report.reject_reason or None,
    }


def received_label(report: PublicReport) -> str:
    return date_format(timezone.localtime(report.submitted_at), "j F Y")


__all__ = [
    "public_report_submit", "public_report_accept", "public_report_merge", "public_report_reject",
    "reports_due_for_erasure", "personal_data_erase", "personal_data_retention", "reports_of_reporter",
    "report_export", "merge_candidates", "may_triage", "check_photo", "Submitted",
]
