"""ISO weeks as the summary names them ("2026-W47"): Monday 00:00 to the next Monday 00:00,
Asia/Jakarta."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

_WEEK = re.compile(r"^(?P<year>\d{4})-?W(?P<week>\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class Week:
    year: int
    number: int

    @property
    def code(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def start(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.number, 1)

    @property
    def end(self) -> datetime.date:
        """Sunday (inclusive)."""
        return self.start + datetime.timedelta(days=6)

    @property
    def start_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def end_at(self) -> datetime.datetime:
        """Next Monday 00:00 (exclusive)."""
        return self.start_at + datetime.timedelta(days=7)

    @property
    def label(self) -> str:
        return _("Minggu %(n)s (%(start)s – %(end)s)") % {
            "n": self.number, "start": formats.date_format(self.start, "j F"),
            "end": formats.date_format(self.end, "j F Y")}

    def previous(self) -> "Week":
        return week_of(self.start - datetime.timedelta(days=7))

    def next(self) -> "Week":
        return week_of(self.start + datetime.timedelta(days=7))


def week_of(day: datetime.date) -> Week:
    year, number, _weekday = day.isocalendar()
    return Week(year, number)


def parse_week(text: str) -> Week:
    match = _WEEK.match((text or "").strip())
    if not match:
        raise ValidationError(_("Minggu tidak sah: %(text)s; contoh: 2026-W47.") % {"text": text or "—"},
                              code="invalid_week")
    year, number = int(match["year"]), int(match["week"])
    try:
        datetime.date.fromisocalendar(year, number, 1)
    except ValueError as exc:
        raise ValidationError(_("Tahun %(year)s tidak memiliki minggu ke-%(n)s.") % {"year": year, "n": number},
                              code="invalid_week") from exc
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Tahun harus antara 2000 dan 2100."), code="invalid_week")
    return Week(year, number)


def last_complete_week(now: datetime.datetime | None = None) -> Week:
    """The Monday–Sunday that ended most recently (on a Monday: the week before)."""
    today = timezone.localtime(now or timezone.now()).date()
    return week_of(today).previous()
