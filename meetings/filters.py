"""django-filter filter sets of the meeting list and calendar (the same filter, the calendar without
dates). Invalid values are errors on the form, never a 500; an invalid filter is ignored (the views
are ``strict = False``) and its message shown."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesbang.core.forms import date_widget
from meetings.forms import TeamChoiceField
from meetings.models import Meeting
from meetings.selectors import teams_for_filter
from teams.models import Team

YEARS = (1900, 2100)


class MeetingFilterForm(forms.Form):
    """Refuses, in Indonesian, dates outside 1900–2100 (far dates overflow the day arithmetic and the
    aware datetime) and a range whose end is before its start."""

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            if data.get(name) and not YEARS[0] <= data[name].year <= YEARS[1]:
                self.add_error(name, _("Tanggal harus di antara tahun 1900 dan 2100."))
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


class TeamFilter(django_filters.ModelChoiceFilter):
    """A team shown by its name only (the region is in the name)."""

    field_class = TeamChoiceField


def _teams(request):
    return teams_for_filter(request.user) if request is not None else Team.objects.none()


def _day_start(day: datetime.date) -> datetime.datetime:
    """00:00 of ``day`` in the office's time zone (Asia/Jakarta)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class MeetingCalendarFilter(django_filters.FilterSet):
    team = TeamFilter(label=_("Tim"), queryset=_teams, empty_label=_("Semua"))
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=Meeting.Kind.choices, empty_label=_("Semua"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Meeting.Status.choices, empty_label=_("Semua"))

    class Meta:
        model = Meeting
        form = MeetingFilterForm
        fields = ["team", "kind", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Drawn by templates/meetings/includes/filter.html without crispy (it was most of the list's time).
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"


class MeetingFilter(MeetingCalendarFilter):
    date_from = django_filters.DateFilter(label=_("Dari tanggal"), method="filter_from", widget=date_widget())
    date_to = django_filters.DateFilter(label=_("Sampai tanggal"), method="filter_to", widget=date_widget())

    class Meta(MeetingCalendarFilter.Meta):
        fields = ["team", "kind", "status", "date_from", "date_to"]

    def filter_from(self, queryset, name, value):
        return queryset.filter(start__gte=_day_start(value)) if value else queryset

    def filter_to(self, queryset, name, value):
        return queryset.filter(start__lt=_day_start(value + datetime.timedelta(days=1))) if value else queryset
