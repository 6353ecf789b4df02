"""The list of national packages (core ``ListTable``)."""

from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kesbang.core.tables import Column, ListTable

NOWRAP = {"td": {"class": "text-nowrap"}}
BADGE_ICONS = {"antri": "hourglass", "diproses": "gear", "selesai": "check2-circle", "gagal": "x-octagon"}


def status_badge(package) -> str:
    return format_html('<span class="badge kb-report-{}"><i class="bi bi-{} me-1" aria-hidden="true"></i>{}</span>',
                       package.status, BADGE_ICONS.get(package.status, "circle"), package.get_status_display())


class PackageTable(ListTable):
    period = Column(_("Periode"), order_by=("period_start", "period"), card="title")
    version = Column(_("Versi"), order_by=("version",), attrs={"th": {"class": "text-end"},
                                                               "td": {"class": "text-end"}})
    status = Column(_("Status"), order_by=("status",))
    requested = Column(_("Diminta"), order_by=("requested_at",))
    download = Column(_("Unduh"), attrs=NOWRAP)

    default_order = ("-requested_at", "-pk")
    detail_view = "integrations:package_detail"
    empty_text = _("Belum ada paket pengiriman nasional.")
    caption = _("Paket pengiriman nasional")

    def render_period(self, record):
        return format_html('<a href="{}" class="fw-semibold">{}</a><div class="small kb-meta">{} – {}</div>',
                           self.url_for(record.pk), record.period, date_format(record.period_start, "j F Y"),
                           date_format(record.period_end, "j F Y"))

    def render_version(self, record):
        return record.version

    def render_status(self, record):
        running = record.status == "diproses"
        progress = format_html(' <span class="small">{}%</span>', record.progress) if running else ""
        return format_html("{}{}", status_badge(record), progress)

    def render_requested(self, record):
        who = (record.requested_by.get_full_name() or record.requested_by.get_username()) if record.requested_by \
            else gettext("sistem")
        return format_html('{}<div class="small kb-meta">{}</div>',
                           date_format(timezone.localtime(record.requested_at), "j F Y H.i"), who)

    def render_download(self, record):
        if not record.is_done:
            return "—"
        return format_html(
            '<a class="btn btn-sm btn-outline-secondary" href="{}"><i class="bi bi-file-earmark-zip" '
            'aria-hidden="true"></i> zip <span class="visually-hidden">{}</span></a> '
            '<span class="small kb-meta">{}</span>',
            reverse("integrations:package_download", args=[record.pk]), record.period, filesizeformat(record.size))
