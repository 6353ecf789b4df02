"""django-filter filter sets of the register pages. Choices that depend on the login (regions) are
limited to its scope; invalid values make the form invalid (an empty list with the error shown),
never a server error."""

import django_filters
from crispy_forms.layout import Column, Row
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from teams.forms import form_helper
from teams.models import Institution, Person, Region, Team
from teams.selectors import team_regions_for


def _regions(request):
    return team_regions_for(request.user) if request is not None else Region.objects.none()


def _in_region(queryset, region: Region | None, field: str = "region__code"):
    """The region itself and everything below it (a kecamatan belongs to its regency)."""
    if region is None:
        return queryset
    return queryset.filter(Q(**{field: region.code}) | Q(**{f"{field}__startswith": region.code + "."}))


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class TeamFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("Tingkat"), choices=Team.Level.choices, empty_label=_("Semua"))
    region = django_filters.ModelChoiceFilter(
        label=_("Wilayah"), queryset=_regions, empty_label=_("Semua"), method="filter_region"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Team.Status.choices, empty_label=_("Semua")
    )
    year = YearFilter(
        label=_("Tahun"), method="filter_year", min_value=2000, max_value=2100,
        widget=forms.NumberInput(attrs={"placeholder": _("mis. 2025")}),
    )

    class Meta:
        model = Team
        fields = ["level", "region", "status", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.helper = form_helper(
            Row(
                Column("level", css_class="col-6 col-md-3"),
                Column("region", css_class="col-6 col-md-3"),
                Column("status", css_class="col-6 col-md-3"),
                Column("year", css_class="col-6 col-md-3"),
            )
        )

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, value)

    def filter_year(self, queryset, name, value):
        """Teams whose period covers (part of) the year."""
        if value is None:
            return queryset
        year = int(value)
        return queryset.filter(period_start__year__lte=year).filter(
            Q(period_end__isnull=True) | Q(period_end__year__gte=year)
        )


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Cari"), method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Nama, instansi atau NIP"), "type": "search"}),
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("Instansi"), queryset=Institution.objects.order_by("name"), empty_label=_("Semua")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Wilayah tugas"), queryset=_regions, empty_label=_("Semua"), method="filter_region"
    )

    class Meta:
        model = Person
        fields = ["q", "institution", "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.helper = form_helper(
            Row(
                Column("q", css_class="col-12 col-md-5"),
                Column("institution", css_class="col-6 col-md-4"),
                Column("region", css_class="col-6 col-md-3"),
            )
        )

    def filter_search(self, queryset, name, value):
        terms = value.split()[:6]
        for term in terms:
            queryset = queryset.filter(
                Q(name__icontains=term)
                | Q(nip__startswith=term)
                | Q(institution__name__icontains=term)
                | Q(institution__short_name__icontains=term)
                | Q(position__icontains=term)
            )
        return queryset

    def filter_region(self, queryset, name, value):
        return _in_region(queryset, value)
