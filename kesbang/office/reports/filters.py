"""The report archive's django-filter filter set (the one list style: filter set + ``ListTable`` +
the core paginator, ``kesbang.core.views.ListTableView``). Regions offered are those the login may
ask reports for; an invalid value is an Indonesian error under its field and that filter is ignored
(the view is ``strict = False``), never a server error."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kesbang.office.models import Report
from kesbang.office.reports.periods import period_code
from kesbang.office.reports.selectors import report_regions
from teams.models import Region

YEARS = (2000, 2100)
YEAR_ERROR = _("Tahun harus antara 2000 dan 2100.")

# The status badges of the list: the generation's status, and "final"/"terkirim" for a locked version.
FINAL, SENT = "final", "terkirim"
STATUS_CHOICES = [*Report.Status.choices, (FINAL, _("Final")), (SENT, _("Terkirim"))]
LATEST = "terbaru"
# The short names (as Report.kind_title): "Caturwulan (B04/B08/B12)" does not fit a filter's select.
KIND_CHOICES = [(Report.Kind.BULANAN, _("Bulanan")), (Report.Kind.CATURWULAN, _("Caturwulan")),
                (Report.Kind.SEMESTER, _("Semester")), (Report.Kind.TAHUNAN, _("Tahunan"))]


class ReportFilterForm(forms.Form):
    def clean_period(self):
        value = self.cleaned_data.get("period")
        return period_code(value) if value else value


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField  # a year is a whole number (NumberFilter's field is a DecimalField)


def _regions(request):
    return report_regions(request.user) if request is not None else Region.objects.none()


class ReportFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=KIND_CHOICES, empty_label=_("Semua"))
    year = YearFilter(
        label=_("Tahun"), field_name="period_start", lookup_expr="year", min_value=YEARS[0], max_value=YEARS[1],
        error_messages={"invalid": YEAR_ERROR, "min_value": YEAR_ERROR, "max_value": YEAR_ERROR},
        widget=forms.NumberInput(attrs={"placeholder": _("mis. 2026")}),
    )
    period = django_filters.CharFilter(
        label=_("Periode"), max_length=12, method="filter_period",
        widget=forms.TextInput(attrs={"placeholder": "2026-B08", "autocomplete": "off"}),
    )
    region = django_filters.ModelChoiceFilter(label=_("Wilayah"), queryset=_regions, empty_label=_("Semua"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, empty_label=_("Semua"),
                                         method="filter_status")
    version = django_filters.ChoiceFilter(label=_("Versi"), choices=[(LATEST, _("Terbaru saja"))],
                                          empty_label=_("Semua"), method="filter_version")

    class Meta:
        model = Report
        form = ReportFilterForm
        fields = ["kind", "year", "period", "region", "status", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["region"].label_from_instance = lambda r: (
            gettext("Provinsi %(name)s") % {"name": r.name} if r.is_province else r.name)
        # Drawn by the template without crispy, like the meetings' filter.
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"

    def filter_period(self, queryset, name, value):
        return queryset.filter(period=value) if value else queryset

    def filter_status(self, queryset, name, value):
        if value == FINAL:
            return queryset.filter(finalised_at__isnull=False)
        if value == SENT:
            return queryset.filter(sent_at__isnull=False)
        return queryset.filter(status=value) if value else queryset

    def filter_version(self, queryset, name, value):
        """Only the newest version of each report (kind, period, region)."""
        if value != LATEST:
            return queryset
        newer = Report.objects.filter(kind=OuterRef("kind"), period=OuterRef("period"), region=OuterRef("region"),
                                      version__gt=OuterRef("version"))
        return queryset.filter(~Exists(newer))
