"""The incident list filter, shared by the list, its exports and the map (so an export or the map shows
exactly the filtered list). Invalid values make the form invalid: the list is then empty with the
error shown, never a server error."""

import datetime

import django_filters
from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.layout import Column, Row
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.forms import CategoryChoiceField, category_choices
from incidents.models import Incident
from kesbang.core import generations
from kesbang.core.forms import date_widget, form_helper
from teams.models import Region


class CategoryFilter(django_filters.ModelChoiceFilter):
    field_class = CategoryChoiceField


# Dates outside these years are refused with a message: a year-1 day start in Asia/Jakarta overflows
# when converted to UTC (a 500), and nothing in the register is that old or that far ahead.
MIN_YEAR, MAX_YEAR = 1900, 2100
DATE_RANGES = (("date_from", "date_to"), ("dilaporkan_dari", "dilaporkan_sampai"))


class IncidentFilterForm(forms.Form):
    """Refuses, in Indonesian, dates out of range and a range whose start is after its end (the list
    is then empty with the message shown, as for any invalid filter)."""

    def clean(self):
        data = super().clean()
        for name in (n for pair in DATE_RANGES for n in pair):
            value = data.get(name)
            if value and not MIN_YEAR <= value.year <= MAX_YEAR:
                self.add_error(name, _("Tahun harus antara %(min)s dan %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR})
        for first, last in DATE_RANGES:
            start, end = data.get(first), data.get(last)
            if start and end and start > end and first not in self.errors and last not in self.errors:
                self.add_error(last, _("Tanggal akhir tidak boleh sebelum tanggal awal (%(start)s).")
                               % {"start": start.isoformat()})
        return data


def day_start(day: datetime.date) -> datetime.datetime:
    """00:00 of ``day`` in the office's time zone (Asia/Jakarta)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


KECAMATAN_LISTED = 300  # above this many kecamatan, the filter lists those of the chosen regency only


class IncidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Cari"), method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Judul atau kronologi"), "type": "search"}),
    )
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=Incident.Kind.choices, empty_label=_("Semua"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Incident.Status.choices, empty_label=_("Semua"))
    # Several at once: the dashboard's and the weekly summary's "tinggi/kritis" link here.
    # distinct=False: a column of the incident itself, no join to repeat rows. django-filter's default
    # (True) made every list, map and export filtered by severity a SELECT DISTINCT over the whole row,
    # sorted before the first page (the API's 3-filter list: 100 ms at 100,000 incidents).
    severity = django_filters.MultipleChoiceFilter(
        label=_("Keparahan"), choices=Incident.Severity.choices, widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    # Choices of both filled from ONE query in __init__ (the list's query budget).
    region = django_filters.ChoiceFilter(label=_("Kabupaten/kota"), empty_label=_("Semua"), method="filter_region")
    kecamatan = django_filters.ChoiceFilter(label=_("Kecamatan"), empty_label=_("Semua"), method="filter_kecamatan")
    source = django_filters.ChoiceFilter(
        label=_("Sumber konflik"), choices=Incident.Source.choices, empty_label=_("Semua")
    )
    category = CategoryFilter(
        label=_("Kategori"), queryset=category_choices(), empty_label=_("Semua"), method="filter_category"
    )
    date_from = django_filters.DateFilter(
        label=_("Dari tanggal"), field_name="occurred_on", lookup_expr="gte", widget=date_widget()
    )
    date_to = django_filters.DateFilter(
        label=_("Sampai tanggal"), field_name="occurred_on", lookup_expr="lte", widget=date_widget()
    )
    # The time of the report (Asia/Jakarta days): "new incidents" of the weekly summary count this way,
    # an incident reported late included.
    dilaporkan_dari = django_filters.DateFilter(
        label=_("Dilaporkan dari"), method="filter_reported_from", widget=date_widget()
    )
    dilaporkan_sampai = django_filters.DateFilter(
        label=_("Dilaporkan sampai"), method="filter_reported_to", widget=date_widget()
    )
    # The dashboard's "open incidents" numbers link here (dilaporkan, terverifikasi, ditangani, pemulihan).
    terbuka = django_filters.BooleanFilter(
        label=_("Hanya yang masih terbuka"), method="filter_open", widget=forms.CheckboxInput
    )
    # The dashboard and the weekly summary leave drafts out; their links say so with this.
    tanpa_draf = django_filters.BooleanFilter(
        label=_("Tanpa draf"), method="filter_no_draft", widget=forms.CheckboxInput
    )
    skk_aktif = django_filters.BooleanFilter(
        label=_("Status Keadaan Konflik berlaku hari ini"), method="filter_conflict_status", widget=forms.CheckboxInput
    )

    class Meta:
        model = Incident
        form = IncidentFilterForm
        fields = ["q", "kind", "status", "severity", "region", "kecamatan", "source", "category", "date_from",
                  "date_to", "dilaporkan_dari", "dilaporkan_sampai", "terbuka", "tanpa_draf", "skk_aktif"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(
            level__in=[Region.Level.KABUPATEN, Region.Level.KOTA, Region.Level.KECAMATAN]
        ).order_by("code").values_list("id", "name", "level", "code", "parent_id")
        rows = generations.cached_choices(regions, lambda: list(regions), kind="values_list",
                                          shared="incident-filter-regions")  # every reader: the same rows
        regencies, kecamatan = [], []  # "Semua" is the ChoiceFilter's own empty_label
        self.region_codes = {}
        for pk, name, level, code, parent_id in rows:
            self.region_codes[pk] = code
            (kecamatan if level == Region.Level.KECAMATAN else regencies).append((str(pk), name, parent_id))
        self.form.fields["region"].choices = [(pk, name) for pk, name, _parent in regencies]
        self.form.fields["kecamatan"].choices = self._kecamatan_choices(kecamatan)
        self.form.fields["category"].shared_options = "incident-categories"  # every active one, for anyone
        self.form.fields["kecamatan"].widget.attrs["data-filter-kecamatan"] = "1"
        self.form.fields["region"].widget.attrs["data-filter-region"] = "1"
        self.form.helper = form_helper(
            Row(
                Column("q", css_class="col-12 col-md-6 col-xl-4"),
                Column("kind", css_class="col-6 col-md-3 col-xl-2"),
                Column("status", css_class="col-6 col-md-3 col-xl-2"),
                Column("source", css_class="col-6 col-md-3 col-xl-2"),
                Column("region", css_class="col-6 col-md-3 col-xl-2"),
                Column("kecamatan", css_class="col-6 col-md-3 col-xl-2"),
                Column("category", css_class="col-12 col-md-6 col-xl-4"),
                Column("date_from", css_class="col-6 col-md-3 col-xl-2"),
                Column("date_to", css_class="col-6 col-md-3 col-xl-2"),
                Column("dilaporkan_dari", css_class="col-6 col-md-3 col-xl-2"),
                Column("dilaporkan_sampai", css_class="col-6 col-md-3 col-xl-2"),
                Column(InlineCheckboxes("severity"), css_class="col-12 col-md-6 col-xl-4"),
                Column("terbuka", "tanpa_draf", "skk_aktif", css_class="col-12 col-md-6 col-xl-4"),
            )
        )

    def _kecamatan_choices(self, kecamatan: list[tuple[str, str, int]]) -> list[tuple[str, str]]:
        """Every kecamatan while they are few (a province: a few dozen); beyond ``KECAMATAN_LISTED`` (a
        national database: 7,285) those of the chosen regency/city and of the chosen kecamatan's
        regency only, so the page never carries thousands of options (the region select's script
        loads a regency's kecamatan as it is picked; without it, apply the regency first)."""
        if len(kecamatan) <= KECAMATAN_LISTED:
            return [(pk, name) for pk, name, _parent in kecamatan]
        data = self.data or {}
        chosen_region, chosen = str(data.get("region") or ""), str(data.get("kecamatan") or "")
        parents = {int(chosen_region)} if chosen_region.isdigit() else set()
        parents |= {parent for pk, _name, parent in kecamatan if pk == chosen}
        return [(pk, name) for pk, name, parent in kecamatan if parent in parents]

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_id=int(value)) if value else queryset

    def filter_kecamatan(self, queryset, name, value):
        return queryset.filter(kecamatan_id=int(value)) if value else queryset

    def filter_open(self, queryset, name, value):
        return queryset.filter(status__in=Incident.OPEN_STATUSES) if value else queryset

    def filter_no_draft(self, queryset, name, value):
        return queryset.exclude(status=Incident.Status.DRAF) if value else queryset

    def filter_conflict_status(self, queryset, name, value):
        """Incidents with a Status Keadaan Konflik in force today (each once, however many)."""
        if not value:
            return queryset
        from incidents.models import ConflictStatus

        today = timezone.localdate()
        in_force = ConflictStatus.objects.filter(start_date__lte=today, end_date__gte=today)
        return queryset.filter(pk__in=in_force.values("incident_id"))

    def filter_reported_from(self, queryset, name, value):
        return queryset.filter(reported_at__gte=day_start(value)) if value else queryset

    def filter_reported_to(self, queryset, name, value):
        return queryset.filter(reported_at__lt=day_start(value + datetime.timedelta(days=1))) if value else queryset

    def filter_search(self, queryset, name, value):
        value = (value or "").strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(chronology__icontains=value))

    def filter_category(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(category=value) | Q(category__parent=value))

    def active_filters(self) -> list[tuple[str, str]]:
        """(label, value) of each applied filter, for the export's header lines."""
        if not self.is_bound or not self.form.is_valid():
            return []
        out = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", False) or value == []:
                continue
            field = self.form.fields[name]
            if value is True:
                value = _("ya")
            elif isinstance(value, list):
                value = ", ".join(str(dict(field.choices).get(v, v)) for v in value)
            elif hasattr(field, "choices") and not hasattr(value, "pk"):
                value = dict(field.choices).get(value, value)
            out.append((str(field.label), str(value)))
        return out
