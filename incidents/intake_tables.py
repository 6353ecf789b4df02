"""The triage queue of public reports: its filter (status, regency/city, received dates) and its list
(core ``ListTable``; cells read only what ``selectors.public_report_list_queryset`` joined)."""

import django_filters
from crispy_forms.layout import Column as LayoutColumn
from crispy_forms.layout import Row
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from incidents.filters import IncidentFilterForm, day_start
from incidents.models import PublicReport
from kesbang.core.forms import date_widget, form_helper
from kesbang.core.tables import Column, ListTable
from teams.models import Region

MD = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class PublicReportFilterForm(IncidentFilterForm):
    """Dates in range, start before end (the incident filter's checks, on this filter's own fields)."""


class PublicReportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PublicReport.Status.choices,
                                         empty_label=_("Semua"))
    region = django_filters.ModelChoiceFilter(
        label=_("Kabupaten/kota"), empty_label=_("Semua"),
        queryset=Region.objects.filter(level__in=[Region.Level.KABUPATEN, Region.Level.KOTA]).order_by("code"))
    date_from = django_filters.DateFilter(label=_("Diterima dari"), method="filter_from", widget=date_widget())
    date_to = django_filters.DateFilter(label=_("Diterima sampai"), method="filter_to", widget=date_widget())

    class Meta:
        model = PublicReport
        form = PublicReportFilterForm
        fields = ["status", "region", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.helper = form_helper(Row(
            LayoutColumn("status", css_class="col-12 col-sm-6 col-lg-4"),
            LayoutColumn("region", css_class="col-12 col-sm-6 col-lg-4"),
            LayoutColumn("date_from", css_class="col-6 col-lg-2"), LayoutColumn("date_to", css_class="col-6 col-lg-2"),
        ))

    def filter_from(self, queryset, name, value):
        return queryset.filter(submitted_at__gte=day_start(value)) if value else queryset

    def filter_to(self, queryset, name, value):
        import datetime

        return queryset.filter(submitted_at__lt=day_start(value + datetime.timedelta(days=1))) if value else queryset


class PublicReportTable(ListTable):
    description = Column(_("Laporan"), card="title", attrs={"td": {"class": "kb-cell-name"}})
    submitted_at = Column(_("Diterima"), order_by=("submitted_at", "id"))
    region = Column(_("Wilayah"), order_by=("region__code", "kecamatan__code"))
    situation = Column(_("Keadaan"), attrs=MD)
    extras = Column(_("Foto dan kontak"), attrs=MD)
    status = Column(_("Status"), order_by=("status",))

    default_order = ("submitted_at", "id")  # oldest waiting first
    detail_view = "incidents:public_report_detail"
    empty_text = _("Tidak ada laporan masyarakat yang menunggu pemeriksaan.")
    filtered_empty_text = _("Tidak ada laporan masyarakat yang cocok dengan filter.")
    caption = _("Laporan masyarakat")

    def render_description(self, record):
        return format_html('<a href="{}" class="fw-semibold">{}</a><div class="small kb-ref">{}</div>',
                           self.url_for(record.pk), Truncator(record.description).chars(110),
                           record.tracking_display)

    def render_submitted_at(self, record):
        return date_format(timezone.localtime(record.submitted_at), "j F Y H.i")

    def render_region(self, record):
        below = " · ".join(r.name for r in (record.kecamatan, record.desa) if r is not None)
        if below:
            return format_html('<span>{}<span class="d-block small kb-sub">{}</span></span>', record.region.name,
                               below)
        return record.region.name

    def render_situation(self, record):
        if record.situation == PublicReport.Situation.PERISTIWA:
            return format_html('<span class="badge kb-sev kb-sev-tinggi">{}</span>', _("Sudah ada kekerasan"))
        return format_html('<span class="badge kb-sev kb-sev-sedang">{}</span>', _("Ketegangan"))

    def render_extras(self, record):
        photos = format_html('<i class="bi bi-image" aria-hidden="true"></i> {}', record.photo_count)
        who = _("anonim") if record.anonymous else (_("kontak dihapus") if record.personal_data_erased_at
                                                    else _("ada kontak"))
        return format_html('<span class="text-nowrap">{}</span> · <span class="text-nowrap">{}</span>', photos, who)

    def render_status(self, record):
        return format_html('<span class="badge kb-intake kb-intake-{}">{}</span>', record.status,
                           record.get_status_display())
