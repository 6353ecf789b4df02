"""django-filter filter sets of the register pages. Choices that depend on the login (regions) are
limited to its scope; invalid values make the form invalid (an empty list with the error shown),
never a server error."""

import django_filters
from crispy_forms.layout import Column, Row
from django import forms
from django.db.models import Q
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kesbang.core import generations
from kesbang.core.forms import form_helper
from teams.models import Institution, Membership, Person, Region, Team
from teams.selectors import team_regions_for


def _regions(request):
    return team_regions_for(request.user) if request is not None else Region.objects.none()


def _in_region(queryset, region: Region | None, field: str = "region__code"):
    """The region itself and everything below it (a kecamatan belongs to its regency)."""
    if region is None:
        return queryset
    return queryset.filter(Q(**{field: region.code}) | Q(**{f"{field}__startswith": region.code + "."}))


class LazyChoices(BaseChoiceIterator):
    """A select's ``(value, label)`` options read when the select is drawn (never for an export, which
    builds the same filter set): an empty option, then the ``(value, label)`` rows of ``pairs`` (a
    ``values_list`` queryset), kept until a write of their rows (``generations.cached_choices``)."""

    def __init__(self, empty_label, pairs):
        self.empty_label, self.pairs = empty_label, pairs

    def __iter__(self):
        if self.empty_label is not None:
            yield "", self.empty_label
        yield from generations.cached_choices(self.pairs, lambda: list(self.pairs), kind="values_list")


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
    # No select of every institution (thousands at national volume): the search box matches
    # institution names and short names; ``institution=<pk>`` from a link still filters.
    institution = django_filters.ModelChoiceFilter(
        label=_("Instansi"), queryset=Institution.objects.all(), widget=forms.HiddenInput
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
                Column("q", css_class="col-12 col-md-8"),
                Column("region", css_class="col-12 col-md-4"),
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


class MembershipFilter(django_filters.FilterSet):
    STATUS_CHOICES = [("aktif", _("Aktif")), ("berakhir", _("Berakhir")),
                      ("semua", _("Semua"))]

    q = django_filters.CharFilter(label=_("Cari nama/NIP"), method="filter_search")
    team = django_filters.ModelChoiceFilter(label=_("Tim"), queryset=Team.objects.none(),
                                            empty_label=_("Semua tim"))
    region = django_filters.ModelChoiceFilter(label=_("Wilayah"), field_name="team__region",
                                              queryset=Region.objects.none(), empty_label=_("Semua wilayah"))
    # The institution is typed, not picked: a list of every institution would be thousands of options at
    # national volume. ``institution=<pk>`` (a link from elsewhere) still filters; the form keeps it as
    # a hidden field.
    instansi = django_filters.CharFilter(label=_("Instansi"), method="filter_institution_name")
    institution = django_filters.ModelChoiceFilter(label=_("Instansi"), field_name="person__institution",
                                                   queryset=Institution.objects.all(), widget=forms.HiddenInput)
    role = django_filters.ChoiceFilter(label=_("Kedudukan"), choices=Membership.Role.choices,
                                       empty_label=_("Semua kedudukan"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, empty_label=None,
                                         method="filter_status")

    class Meta:
        model = Membership
        fields = ["q", "team", "region", "instansi", "institution", "role", "status"]

    def __init__(self, data=None, *args, request=None, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = "aktif"
        super().__init__(data, *args, request=request, **kwargs)
        visible = Team.objects.restrict(request.user if request is not None else None, "view")
        # Any visible team filters, but the select offers the active ones (one per region at most, a
        # bounded list even nation-wide) and the team chosen; ended teams are reached from their page.
        self.filters["team"].queryset = visible
        self.filters["region"].queryset = (Region.objects.filter(teams__in=visible).distinct().order_by("code")
                                           .only("pk", "name", "code"))
        chosen = str(data.get("team") or "")
        offered = Q(status=Team.Status.AKTIF) | (Q(pk=int(chosen)) if chosen.isdigit() and len(chosen) < 10 else Q())
        team_field = self.form.fields["team"]
        team_field.widget.choices = LazyChoices(
            team_field.empty_label,
            visible.filter(offered).order_by("region__code", "-period_start").values_list("pk", "name"),
        )
        for name in ("team", "region", "role", "status"):
            self.form.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        for name, placeholder in (("q", gettext("Nama atau NIP")),
                                  ("instansi", gettext("Nama atau singkatan instansi"))):
            widget = self.form.fields[name].widget
            widget.input_type = "search"
            widget.attrs.update({"class": "form-control form-control-sm", "placeholder": placeholder})

    def filter_search(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        return queryset.filter(Q(person__name__icontains=value) | Q(person__nip__startswith=value.replace(" ", "")))

    def filter_institution_name(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        return queryset.filter(Q(person__institution__name__icontains=value)
                               | Q(person__institution__short_name__icontains=value))

    def filter_status(self, queryset, name, value):
        if value == "aktif":
            return queryset.filter(end_date__isnull=True)
        if value == "berakhir":
            return queryset.filter(end_date__isnull=False)
        return queryset

    def describe(self) -> list[tuple[str, str]]:
        """The filters in force, as (label, value) for the export's Info sheet."""
        if not self.form.is_valid():
            return []
        described = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            field = self.form.fields[name]
            if hasattr(field, "choices") and not hasattr(value, "pk"):
                value = dict(field.choices).get(value, value)
            described.append((str(field.label), str(value)))
        return described
