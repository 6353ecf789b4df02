"""The incident list filter, shared by the list, its exports and the map (so an export or the map shows
exactly the filtered list). Invalid values make the form invalid: the list is then empty with the
error shown, never a server error."""

import django_filters
from crispy_forms.layout import Column, Row
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from incidents.forms import CategoryChoiceField, category_choices
from incidents.models import Incident
from kesbang.core.forms import date_widget, form_helper
from teams.models import Region


class CategoryFilter(django_filters.ModelChoiceFilter):
    field_class = CategoryChoiceField


class IncidentFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            # Said, not silently answered with an empty list (or an empty export).
            self.add_error("date_to", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


class IncidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Cari"), method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Judul atau kronologi"), "type": "search"}),
    )
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=Incident.Kind.choices, empty_label=_("Semua"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Incident.Status.choices, empty_label=_("Semua"))
    severity = django_filters.ChoiceFilter(
        label=_("Keparahan"), choices=Incident.Severity.choices, empty_label=_("Semua")
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
    # The dashboard's "open incidents" numbers link here (dilaporkan, terverifikasi, ditangani, pemulihan).
    terbuka = django_filters.BooleanFilter(
        label=_("Hanya yang masih terbuka"), method="filter_open", widget=forms.CheckboxInput
    )

    class Meta:
        model = Incident
        form = IncidentFilterForm
        fields = ["q", "kind", "status", "severity", "region", "kecamatan", "source", "category", "date_from",
                  "date_to", "terbuka"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = Region.objects.filter(
            level__in=[Region.Level.KABUPATEN, Region.Level.KOTA, Region.Level.KECAMATAN]
        ).order_by("code").values_list("id", "name", "level", "code")
        regencies, kecamatan = [("", _("Semua"))], [("", _("Semua"))]
        self.region_codes = {}
        for pk, name, level, code in rows:
            self.region_codes[pk] = code
            (kecamatan if level == Region.Level.KECAMATAN else regencies).append((str(pk), name))
        self.form.fields["region"].choices = regencies
        self.form.fields["kecamatan"].choices = kecamatan
        self.form.fields["kecamatan"].widget.attrs["data-filter-kecamatan"] = "1"
        self.form.fields["region"].widget.attrs["data-filter-region"] = "1"
        self.form.helper = form_helper(
            Row(
                Column("q", css_class="col-12 col-md-6 col-xl-4"),
                Column("kind", css_class="col-6 col-md-3 col-xl-2"),
                Column("status", css_class="col-6 col-md-3 col-xl-2"),
                Column("severity", css_class="col-6 col-md-3 col-xl-2"),
                Column("source", css_class="col-6 col-md-3 col-xl-2"),
                Column("region", css_class="col-6 col-md-3 col-xl-2"),
                Column("kecamatan", css_class="col-6 col-md-3 col-xl-2"),
                Column("category", css_class="col-12 col-md-6 col-xl-4"),
                Column("date_from", css_class="col-6 col-md-3 col-xl-2"),
                Column("date_to", css_class="col-6 col-md-3 col-xl-2"),
                Column("terbuka", css_class="col-12 col-md-6 col-xl-4 d-flex align-items-end"),
            )
        )

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_id=int(value)) if value else queryset

    def filter_kecamatan(self, queryset, name, value):
        return queryset.filter(kecamatan_id=int(value)) if value else queryset

    def filter_open(self, queryset, name, value):
        return queryset.filter(status__in=Incident.OPEN_STATUSES) if value else queryset

    def filter_search(self, queryset, name, value):
        value = (value or "").strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(chronology__icontains=value))

    def filter_category(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(category=value) | Q(category__parent=value))

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(v for k, v in self.data.items() if k in self.filters)

    def active_filters(self) -> list[tuple[str, str]]:
        """(label, value) of each applied filter, for the export's header lines."""
        if not self.is_bound or not self.form.is_valid():
            return []
        out = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            field = self.form.fields[name]
            if hasattr(field, "choices") and not hasattr(value, "pk"):
                value = dict(field.choices).get(value, value)
            out.append((str(field.label), str(value)))
        return out
