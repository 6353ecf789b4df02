"""Writes for the periodic reports (house style 2): request, generate (the Celery task's body),
narrative, finalise, regenerate, the scheduled run and the sweeper.

Exactly one archive entry per request: the task works on the Report row it is given, claims it
before working (a second copy of the message, or the sweeper's re-enqueue, finds it claimed or
done), and swaps the finished files in only while its claim still holds.
"""

import datetime
import hashlib
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kesbang.core import events
from kesbang.core.builds import BuildRunner, discard_files
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
    """Lock a finished version (never rewritten afterwards); emits ``report.finalised``."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status != Report.Status.SELESAI:
        raise ValidationError(_("Hanya laporan yang selesai dibuat yang dapat difinalkan."))
    if locked.finalised_at:
        raise ValidationError(_("Laporan ini sudah difinalkan."))
    locked.finalised_at = timezone.now()
    locked.finalised_by = user if getattr(user, "is_authenticated", False) else None
    locked.save(update_fields=["finalised_at", "finalised_by"])
    events.emit(events.REPORT_FINALISED, object_id=locked.pk)
    return locked


def report_send(*, report: Report) -> Report:
    """Email a finalised version to the report recipients (the task plans a delivery row per
    recipient: each gets it once, however often this is asked); queued after commit."""
    if not report.finalised_at:
        raise ValidationError(_("Finalkan laporan sebelum mengirimnya."))
    enqueue_after_commit("kesbang.office.tasks.report_send", report.pk)
    return report


# --- Generation (body of the Celery task) ------------------------------------------------------------


RUNNER = BuildRunner(
    Report, label="report", select_related=("region",),
    timeout_reason=_lazy("Waktu pembuatan laporan habis. Coba buat ulang; jika berulang, hubungi administrator."),
    error_reason=_lazy("Terjadi kesalahan saat membuat laporan (%(error)s). Coba buat ulang; jika berulang, "
                       "hubungi administrator."),
)


def report_claim(report_id: int, *, stale_after: datetime.timedelta | None = None) -> Report | None:
    """Take the report for this worker (``BuildRunner.claim``)."""
    return RUNNER.claim(report_id, stale=stale_after)


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


def _build(report: Report) -> dict:
    # Building the sections is 80 % of the bar, the PDF and the workbook the rest.
    sections = build_sections(
        report, on_step=lambda i, n, key: RUNNER.progress(report, 5 + int(75 * i / max(n, 1)), key)
    )
    generated_at = timezone.now()
    RUNNER.progress(report, 80, "PDF")
    pdf = report_pdf(report=report, sections=sections, generated_at=generated_at)
    RUNNER.progress(report, 92, "xlsx")
    xlsx = report_xlsx(report=report, sections=sections, generated_at=generated_at)
    return {
        "pdf_name": private_storage.save(report_upload_to(report, "laporan.pdf"), ContentFile(pdf)),
        "xlsx_name": private_storage.save(report_upload_to(report, "laporan.xlsx"), ContentFile(xlsx)),
        "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
        "xlsx_sha256": hashlib.sha256(xlsx).hexdigest(),
        "figures": {
            "figures": [[str(label), display(value)] for s in sections for label, value in s.figures],
            "sections": [s.key for s in sections],
            "generated_at": generated_at.isoformat(),
        },
    }


def _apply(current: Report, built: dict) -> list[str]:
    old = [current.pdf_file.name, current.xlsx_file.name]
    current.pdf_file.name, current.xlsx_file.name = built["pdf_name"], built["xlsx_name"]
    current.pdf_sha256, current.xlsx_sha256 = built["pdf_sha256"], built["xlsx_sha256"]
    current.figures = built["figures"]
    if current.scheduled and current.sent_at is None:
        enqueue_after_commit("kesbang.office.tasks.report_send", current.pk)
    return old


def report_generate(*, report_id: int) -> Report | None:
    """Build, render and store one report version; progress is written as it goes
    (``BuildRunner.run``: None when there was nothing to do, it failed, or another worker took over)."""
    return RUNNER.run(report_id, build=_build, apply=_apply,
                      discard=lambda built: discard_files([built["pdf_name"], built["xlsx_name"]]))


def reports_resume_stuck(*, stale_after: datetime.timedelta | None = None) -> list[int]:
    """Reports to enqueue again (``BuildRunner.stuck``)."""
    return RUNNER.stuck(stale=stale_after)


def reports_schedule_due(*, today: datetime.date) -> list[Report]:
    """The province's scheduled report for every period whose first working day after has come,
    once each (the ``report_scheduled_once`` constraint), generated and then emailed."""
    province = Region.office_province()
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
