"""Reporting deadlines of the Rencana Aksi periods: date maths, no writes (selectors, reminders and
the dashboard read it; services do not own it)."""

import calendar
import datetime

from django.conf import settings

from teams.models import Period, ReportingDeadline


def period_end(year: int, period: str) -> datetime.date:
    """The last day of a period (B04: 30 April)."""
    month = Period.last_month(period)
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def default_deadline(year: int, period: str, *, days: int | None = None) -> datetime.date:
    """The period's end plus ``settings.ACTION_PLAN_DEADLINE_DAYS`` days."""
    days = getattr(settings, "ACTION_PLAN_DEADLINE_DAYS", 10) if days is None else days
    return period_end(year, period) + datetime.timedelta(days=days)


def period_deadlines(year: int) -> dict[str, datetime.date]:
    """Every period's deadline of a year in one query: a ReportingDeadline row, else the default."""
    overrides = dict(ReportingDeadline.objects.filter(year=year).values_list("period", "due_date"))
    return {code: overrides.get(code) or default_deadline(year, code) for code in Period.values}


def period_deadline(year: int, period: str) -> datetime.date:
    if period not in Period.values:
        raise ValueError(f"unknown period {period!r}")
    return period_deadlines(year)[period]


def due_reminders(today: datetime.date) -> list[tuple[int, str, datetime.date, int, int]]:
    """(year, period, deadline, reminder, days_left) for each deadline inside a reminder's window.

    A reminder of distance d (14 or 3, ``settings.ACTION_PLAN_REMINDER_DAYS``) is due from d days
    before the deadline until the next, shorter reminder takes over (H-14: 13..4 days left too; H-3:
    3..0). So a day the beat did not run is caught up the next day; the delivery record keeps each
    one to a single email. The previous year is included: B12's deadline falls in January."""
    distances = sorted(set(getattr(settings, "ACTION_PLAN_REMINDER_DAYS", (14, 3))))
    due = []
    for year in (today.year - 1, today.year):
        for code, deadline in period_deadlines(year).items():
            days_left = (deadline - today).days
            if days_left < 0:
                continue
            reminder = next((d for d in distances if d >= days_left), None)
            if reminder is not None:
                due.append((year, code, deadline, reminder, days_left))
    return due
