"""Writes for the periodic reports (house style 2): request, generate (the Celery task's body),
narrative, finalise, regenerate, the scheduled run and the sweeper.

Exactly one archive entry per request: the task works on the Report row it is given, claims it
before working (a second copy of the message, or the sweeper's re-enqueue, finds it claimed or
done), and swaps the finished files in only while its claim still holds.
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kesbang.core.tasks import enqueue_after_commit
from kesbang.core.uploads import private_storage
from kesbang.office.models import Report, report_upload_to
from kesbang.office.reports.periods import parse_period, periods_due
from kesbang.office.reports.registry import ReportContext, specs_for
from kesbang.office.reports.render import display, report_pdf, report_xlsx
from teams.models import Region

logger = logging.getLogger(__name__)


def _enqueue(report_id: int) -> None:
    enqueue_after_commit("kesbang.office.tasks.report_generate", report_id)


def _validate_region(region: Region) -> None:
    if region is None or not (region.is_province or region.is_regency):
        raise ValidationError({"region": _("Laporan dibuat untuk provinsi atau satu kabupaten/kota.")})


@transaction.atomic
def report_request(*, kind: str, period: str, region: Region, user=None, scheduled: bool = False,
                   narrative: str = "", enqueue: bool = True) -> Report:
    """A new version of the report for (kind, period, region), queued for generation after commit
    (``enqueue=False``: the caller builds it itself, as ``manage.py build_report`` does)."""
    try:
        parsed = parse_period(kind, period)
    except ValidationError as exc:
        raise ValidationError({"period": exc.messages}) from exc
    _validate_region(region)
    if parsed.start > timezone.localdate():
        raise ValidationError({"period": _("Periode %(p)s belum dimulai.") % {"p": parsed.code}})
    # The region row serialises version numbers of concurrent requests for the same region.
    Region.objects.select_for_update().filter(pk=region.pk).first()
    latest = Report.objects.filter(kind=parsed.kind, period=parsed.code, region=region).aggregate(v=Max("version"))["v"]
    report = Report(
        kind=parsed.kind, period=parsed.code, period_start=parsed.start, period_end=parsed.end, region=region,
        version=(latest or 0) + 1, requested_by=user if getattr(user, "is_authenticated", False) else None,
        scheduled=scheduled, narrative=narrative, progress_at=timezone.now(),
    )
    report.full_clean()
    report.save()
    if enqueue:
        _enqueue(report.pk)
    return report


def report_regenerate(*, report: Report, user=None) -> Report:
    """Regenerating makes a new version (the narrative carried over); the old one stays as it is."""
    return report_request(kind=report.kind, period=report.period, region=report.region, user=user,
                          narrative=report.narrative)


@transaction.atomic
def report_update_narrative(*, report: Report, narrative: str, user=None) -> Report:
    """Store the narrative and rebuild this version's files. Refused once finalised or sent."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.is_locked:
        raise ValidationError(_("Laporan yang sudah difinalkan atau dikirim tidak dapat diubah; buat versi baru."))
    if locked.is_running:
        raise ValidationError(_("Laporan sedang dibuat; tunggu sampai selesai."))
    if len(narrative) > 20000:
        raise ValidationError({"narrative": _("Narasi paling banyak 20.000 karakter.")})
    locked.narrative = narrative
    locked.status = Report.Status.ANTRI
    locked.progress = 0
    locked.progress_note = ""
    locked.progress_at = timezone.now()
    locked.failure_reason = ""
    locked.save(update_fields=["narrative", "status", "progress", "progress_note", "progress_at", "failure_reason"])
    _enqueue(locked.pk)
    return locked


@transaction.atomic
def report_finalise(*, report: Report, user=None) -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status != Report.Status.SELESAI:
        raise ValidationError(_("Hanya laporan yang selesai dibuat yang dapat difinalkan."))
    if locked.finalised_at:
        raise ValidationError(_("Laporan ini sudah difinalkan."))
    locked.finalised_at = timezone.now()
    locked.finalised_by = user if getattr(user, "is_authenticated", False) else None
    locked.save(update_fields=["finalised_at", "finalised_by"])
    return locked


def report_send(*, report: Report) -> Report:
    """Email a finalised version to the report recipients (the task plans a delivery row per
    recipient: each gets it once, however often this is asked); queued after commit."""
    if not report.finalised_at:
        raise ValidationError(_("Finalkan laporan sebelum mengirimnya."))
    enqueue_after_commit("kesbang.office.tasks.report_send", report.pk)
    return report


# --- Generation (body of the Celery task) ------------------------------------------------------------


def _stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.REPORT_STALE_SECONDS)


def report_claim(report_id: int, *, stale_after: datetime.timedelta | None = None) -> Report | None:
    """Take the report for this worker: queued, or in progress without a sign of life for
    ``stale_after`` (its worker died). None when done, failed, missing or another worker is on it."""
    stale_after = stale_after if stale_after is not None else _stale_after()
    now = timezone.now()
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status in (Report.Status.SELESAI, Report.Status.GAGAL):
            return None
        if report.status == Report.Status.DIPROSES and report.progress_at and report.progress_at > now - stale_after:
            return None
        report.status = Report.Status.DIPROSES
        report.attempts += 1
        report.progress = 0
        report.progress_note = _("Memulai")
        report.progress_at = now
        report.started_at = now
        report.failure_reason = ""
        report.save(update_fields=["status", "attempts", "progress", "progress_note", "progress_at", "started_at",
                                   "failure_reason"])
    return Report.objects.select_related("region").get(pk=report_id)


def _progress(report: Report, percent: int, note: str) -> None:
    Report.objects.filter(pk=report.pk, attempts=report.attempts, status=Report.Status.DIPROSES).update(
        progress=min(99, max(0, percent)), progress_note=note[:200], progress_at=timezone.now()
    )


def build_sections(report: Report, *, on_step=None) -> list:
    ctx = ReportContext(period=report.report_period, region=report.region, narrative=report.narrative)
    specs = specs_for(report.kind)
    sections = []
    for i, spec in enumerate(specs):
        if on_step:
            on_step(i, len(specs), spec.key)
        built = spec.build(ctx)
        if built is not None:
            sections.append(built)
    return sections


def _delete_files(names) -> None:
    for name in names:
        if name:
            try:
                private_storage.delete(name)
            except OSError:  # already gone: nothing to clean
                logger.warning("report file %s could not be deleted", name)


def report_generate(*, report_id: int) -> Report | None:
    """Build, render and store one report version; progress is written as it goes.

    Returns None when there was nothing to do (done, claimed by a live worker). A failure is
    recorded on the report (status gagal with the reason) and not raised: regenerating is the
    user's decision."""
    report = report_claim(report_id)
    if report is None:
        return None
    try:
        # Building the sections is 80 % of the bar, the PDF and the workbook the rest.
        sections = build_sections(
            report, on_step=lambda i, n, key: _progress(report, 5 + int(75 * i / max(n, 1)), key)
        )
        generated_at = timezone.now()
        _progress(report, 80, "PDF")
        pdf = report_pdf(report=report, sections=sections, generated_at=generated_at)
        _progress(report, 92, "xlsx")
        xlsx = report_xlsx(report=report, sections=sections, generated_at=generated_at)
        pdf_name = private_storage.save(report_upload_to(report, "laporan.pdf"), ContentFile(pdf))
        xlsx_name = private_storage.save(report_upload_to(report, "laporan.xlsx"), ContentFile(xlsx))
    except Exception as exc:  # noqa: BLE001 - recorded on the report for the user, logged in full
        logger.exception("report %s failed", report_id)
        _fail(report, exc)
        return None
    with transaction.atomic():
        current = Report.objects.select_for_update().get(pk=report.pk)
        if current.status != Report.Status.DIPROSES or current.attempts != report.attempts:
            # Another worker took the report over (this one looked dead): its result wins.
            transaction.on_commit(lambda: _delete_files([pdf_name, xlsx_name]))
            return None
        old = [current.pdf_file.name, current.xlsx_file.name]
        current.pdf_file.name, current.xlsx_file.name = pdf_name, xlsx_name
        current.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        current.xlsx_sha256 = hashlib.sha256(xlsx).hexdigest()
        current.status = Report.Status.SELESAI
        current.progress = 100
        current.progress_note = _("Selesai")
        current.progress_at = current.finished_at = timezone.now()
        current.figures = {
            "figures": [[str(label), display(value)] for s in sections for label, value in s.figures],
            "sections": [s.key for s in sections],
            "generated_at": generated_at.isoformat(),
        }
        current.save()
        transaction.on_commit(lambda: _delete_files(old))
        if current.scheduled and current.sent_at is None:
            enqueue_after_commit("kesbang.office.tasks.report_send", current.pk)
    return current


def _fail(report: Report, exc: Exception) -> None:
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        reason = _("Waktu pembuatan laporan habis. Coba buat ulang; jika berulang, hubungi administrator.")
    else:
        reason = _("Terjadi kesalahan saat membuat laporan (%(error)s). Coba buat ulang; jika berulang, "
                   "hubungi administrator.") % {"error": type(exc).__name__}
    Report.objects.filter(pk=report.pk, attempts=report.attempts).update(
        status=Report.Status.GAGAL, failure_reason=reason, progress_at=timezone.now(), finished_at=timezone.now()
    )


def reports_resume_stuck(*, stale_after: datetime.timedelta | None = None) -> list[int]:
    """Reports to enqueue again: queued or in progress without progress for ``stale_after`` (a lost
    message, a worker killed mid-way). Enqueuing one twice is harmless: the claim lets one through."""
    stale_after = stale_after if stale_after is not None else _stale_after()
    cutoff = timezone.now() - stale_after
    return list(
        Report.objects.filter(status__in=[Report.Status.ANTRI, Report.Status.DIPROSES])
        .filter(Q(progress_at__lt=cutoff) | Q(progress_at__isnull=True))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def reports_schedule_due(*, today: datetime.date) -> list[Report]:
    """The province's scheduled report for every period whose first working day after has come,
    once each (the ``report_scheduled_once`` constraint), generated and then emailed."""
    province = Region.objects.filter(level=Region.Level.PROVINSI).order_by("code").first()
    if province is None:
        return []
    created = []
    for period in periods_due(today):
        if Report.objects.filter(kind=period.kind, period=period.code, region=province, scheduled=True).exists():
            continue
        try:
            created.append(report_request(kind=period.kind, period=period.code, region=province, scheduled=True))
        except ValidationError:  # a concurrent run made it first
            continue
    return created
