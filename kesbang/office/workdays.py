"""Working days of the office: Monday to Friday, minus Indonesia's national holidays and cuti bersama
(the ``holidays`` library, categories "public" and "government"), plus the admin's corrections
(``NonWorkingDay``: cuti bersama decided after the library's release, or cancelled ones).

Scheduled reports are generated "on the first working day after each period" from here."""

import datetime
from collections.abc import Iterable

import holidays
from django.apps import apps


def national_days_off(years: Iterable[int]) -> set[datetime.date]:
    """National holidays and cuti bersama known to the library for ``years`` (no query)."""
    return set(holidays.country_holidays("ID", years=sorted(set(years)), categories=("public", "government")))


def days_off(years: Iterable[int]) -> set[datetime.date]:
    """The days off of ``years`` besides weekends: the library's, plus the admin's LIBUR rows, minus
    its MASUK rows (one query)."""
    # Through the app registry, not an import: models.py imports the report periods, which import this.
    NonWorkingDay = apps.get_model("office", "NonWorkingDay")

    years = sorted(set(years))
    off = national_days_off(years)
    rows = NonWorkingDay.objects.filter(date__year__in=years).values_list("date", "kind")
    for day, kind in rows:
        (off.add if kind == NonWorkingDay.Kind.LIBUR else off.discard)(day)
    return off


def is_working_day(day: datetime.date, off: set[datetime.date]) -> bool:
    return day.weekday() < 5 and day not in off


def first_working_day_after(day: datetime.date, off: set[datetime.date] | None = None) -> datetime.date:
    """The first working day strictly after ``day`` (``off`` as from ``days_off``; loaded when None)."""
    if off is None:
        off = days_off([day.year, day.year + 1])
    nxt = day + datetime.timedelta(days=1)
    while not is_working_day(nxt, off):
        nxt += datetime.timedelta(days=1)
    return nxt
