"""The report archive as a core ``ListTable`` (sorted, paged by the core paginator; on phones each
row is a card). Cells read only the row and its select_related region and requester
(``selectors.report_list``), so a page costs the same queries whatever its length."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kesbang.core.tables import Column, ListTable
from kesbang.office.models import Report

RIGHT = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}
NOWRAP = {"td": {"class": "text-nowrap"}}
NONE = mark_safe('<span class="kb-none">—</span>')  # noqa: S308 (constant markup)

STATUS_ICONS = {
    Report.Status.ANTRI: "bi-hourglass", Report.Status.DIPROSES: "bi-gear",
    Report.Status.SELESAI: "bi-check2-circle", Report.Status.GAGAL: "bi-x-octagon",
}


def status_badge(report: Report) -> str:
    """The same badge as ``kesbang/reports/report_status_badge.html``."""
    return format_html('<span class="badge kb-report-{}"><i class="bi {} me-1" aria-hidden="true"></i>{}</span>',
                       report.status, STATUS_ICONS.get(report.status, "bi-x-octagon"), report.get_status_display())


class ReportTable(ListTable):
    report = Column(_("Laporan"), order_by=("period_start", "kind", "region__code", "version"), card="title")
    region = Column(_("Wilayah"), order_by=("region__code", "-period_start"))
    version = Column(_("Versi"), order_by=("version",), attrs=RIGHT)
    status = Column(_("Status"), order_by=("status", "-requested_at"))
    requested = Column(_("Diminta"), order_by=("requested_at",))
    downloads = Column(_("Unduh"), attrs=NOWRAP)

    detail_view = "reports:report_detail"
    default_order = ("-requested_at", "-pk")
    empty_text = _("Belum ada laporan dalam arsip.")
    filtered_empty_text = _("Tidak ada laporan yang cocok dengan filter.")
    caption = _("Arsip laporan berkala")

    def render_report(self, record):
        return format_html(
            '<a class="fw-semibold" href="{}">{} {}</a>\n<div class="small kb-subtle fw-normal">{} – {}</div>',
            self.url_for(record.pk), record.kind_title, record.period,
            date_format(record.period_start, "j F Y"), date_format(record.period_end, "j F Y"),
        )

    def render_region(self, record):
        return record.region.name

    def render_version(self, record):
        return str(record.version)

    def render_status(self, record):
        parts = [status_badge(record)]
        if record.status == Report.Status.DIPROSES:
            parts.append(format_html('<span class="small">{}%</span>', record.progress))
        if record.sent_at:
            parts.append(format_html('<span class="badge text-bg-light border">{}</span>', gettext("terkirim")))
        elif record.finalised_at:
            parts.append(format_html('<span class="badge text-bg-light border">{}</span>', gettext("final")))
        return format_html('<div class="d-flex flex-wrap align-items-center gap-1">{}</div>',
                           format_html_join(" ", "{}", ((p,) for p in parts)))

    def render_requested(self, record):
        if record.requested_by:
            who = record.requested_by.get_full_name() or record.requested_by.get_username()
        else:
            who = gettext("terjadwal") if record.scheduled else gettext("sistem")
        # one block: on phones a cell's children sit side by side (the card's "label: value" line)
        return format_html('<div class="small"><span class="text-nowrap">{}</span>'
                           '<div class="kb-subtle">{}</div></div>',
                           date_format(timezone.localtime(record.requested_at), "j F Y H.i"), who)

    def render_downloads(self, record):
        if record.status != Report.Status.SELESAI:
            return NONE
        return format_html(
            '<a class="btn btn-sm btn-outline-secondary" href="{}"><i class="bi bi-file-earmark-pdf" '
            'aria-hidden="true"></i> PDF</a>\n<a class="btn btn-sm btn-outline-secondary" href="{}">'
            '<i class="bi bi-file-earmark-spreadsheet" aria-hidden="true"></i> xlsx</a>',
            self.download_url(record.pk, "pdf"), self.download_url(record.pk, "xlsx"),
        )

    def download_url(self, pk, fmt: str) -> str:
        """From one ``reverse()`` per table, as ``url_for``."""
        templates = self.__dict__.setdefault("_download_urls", {})
        if fmt not in templates:
            marker = 987654321
            templates[fmt] = reverse("reports:report_download", args=[marker, fmt]).replace(str(marker), "{}", 1)
        return templates[fmt].format(pk)
