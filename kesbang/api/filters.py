"""Filter sets of the API. Where a list page has one, the API uses that very class (incidents, teams,
people, meetings, reports: the same parameters, the same Indonesian messages, an invalid value is a 400);
the resources without a list page get a small one here in the same style."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.filters import IncidentFilter
from kesbang.office.reports.filters import ReportFilter
from meetings.filters import MeetingFilter
from meetings.models import ActionItem
from teams.filters import PersonFilter, TeamFilter
from teams.models import ActionPlan, Institution, Region

__all__ = ["IncidentFilter", "MeetingFilter", "PersonFilter", "TeamFilter", "RegionFilter", "InstitutionFilter",
           "ActionPlanFilter", "ActionItemFilter", "ReportFilter"]


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("Tingkat"), choices=Region.Level.choices)
    parent = django_filters.NumberFilter(label=_("Id wilayah induk"), field_name="parent_id", min_value=1)

    class Meta:
        model = Region
        fields = ["level", "parent"]


class InstitutionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari nama"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=Institution.Kind.choices)

    class Meta:
        model = Institution
        fields = ["q", "kind"]

    def filter_search(self, queryset, name, value):
        from django.db.models import Q

        value = " ".join(value.split())[:100]
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value)) if value else queryset


class ActionPlanFilter(django_filters.FilterSet):
    """The plan list's year (``/tim/rencana-aksi/?tahun=``) and the team."""

    year = YearFilter(label=_("Tahun"), field_name="year")
    team = django_filters.NumberFilter(label=_("Id tim"), field_name="team_id", min_value=1)

    class Meta:
        model = ActionPlan
        fields = ["year", "team"]


class ActionItemFilter(django_filters.FilterSet):
    """The action-item pages' views: the login's own (``saya``), the overdue ones, by status or meeting."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActionItem.Status.choices)
    meeting = django_filters.NumberFilter(label=_("Id rapat"), field_name="meeting_id", min_value=1)
    saya = django_filters.BooleanFilter(label=_("Hanya milik saya"), method="filter_mine")
    terlambat = django_filters.BooleanFilter(label=_("Hanya yang terlambat"), method="filter_overdue")

    class Meta:
        model = ActionItem
        fields = ["status", "meeting", "saya", "terlambat"]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return queryset.filter(owner_person__user=user) if value and user is not None else queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.exclude(status__in=ActionItem.CLOSED_STATUSES).filter(due_date__lt=timezone.localdate())
