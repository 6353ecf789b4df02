"""Report periods: "2026-05" (bulanan), "2026-B12" (caturwulan), "2026-S1" (semester), "2026" (tahunan).

One place parses and names them; everything else takes a ``ReportPeriod``.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BULANAN = "bulanan"
CATURWULAN = "caturwulan"
SEMESTER = "semester"
TAHUNAN = "tahunan"
KINDS = (BULANAN, CATURWULAN, SEMESTER, TAHUNAN)

MONTHS_ID = [
    "", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
    "November", "Desember",
]
B_PERIODS = {"B04": (1, 4), "B08": (5, 8), "B12": (9, 12)}
SEMESTERS = {"S1": (1, 6), "S2": (7, 12)}

_PATTERNS = {
    BULANAN: re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$"),
    CATURWULAN: re.compile(r"^(?P<year>\d{4})-(?P<code>B04|B08|B12)$"),
    SEMESTER: re.compile(r"^(?P<year>\d{4})-(?P<code>S1|S2)$"),
    TAHUNAN: re.compile(r"^(?P<year>\d{4})$"),
}


@dataclass(frozen=True)
class ReportPeriod:
    kind: str
    code: str  # canonical text: "2026-B12"
    year: int
    first_month: int
    last_month: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        """Last day (inclusive)."""
        return datetime.date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    @property
    def label(self) -> str:
        """ "Caturwulan B12 (September–Desember) 2026", "Mei 2026" ..."""
        months = f"{MONTHS_ID[self.first_month]}–{MONTHS_ID[self.last_month]}"
        if self.kind == BULANAN:
            return f"{MONTHS_ID[self.first_month]} {self.year}"
        if self.kind == CATURWULAN:
            return _("Caturwulan %(code)s (%(months)s) %(year)s") % {
                "code": self.code[-3:], "months": months, "year": self.year}
        if self.kind == SEMESTER:
            return _("Semester %(n)s (%(months)s) %(year)s") % {"n": self.code[-1], "months": months, "year": self.year}
        return _("Tahun %(year)s") % {"year": self.year}

    def action_plan_periods(self) -> list[str]:
        """The B04/B08/B12 realisation periods this report covers: those overlapping it, up to its end
        (a month or semester reports the four-month period it falls in)."""
        return [code for code, (first, last) in B_PERIODS.items()
                if first <= self.last_month and last >= self.first_month]

    def first_working_day_after(self, off: set[datetime.date] | None = None) -> datetime.date:
        """Weekends, national holidays, cuti bersama and the admin's extra days skipped (``off`` as
        from ``kesbang.office.workdays.days_off``: one query; loaded here when not given)."""
        from kesbang.office.workdays import first_working_day_after

        return first_working_day_after(self.end, off)


def parse_period(kind: str, text: str) -> ReportPeriod:
    """``kind`` and its period text, or a ValidationError in Indonesian."""
    kind = (kind or "").strip().lower()
    if kind not in KINDS:
        raise ValidationError(
            _("Jenis laporan tidak dikenal: %(kind)s (pilih bulanan, caturwulan, semester atau tahunan).")
            % {"kind": kind or "—"}, code="invalid_kind")
    raw = (text or "").strip().upper()
    match = _PATTERNS[kind].match(raw)
    examples = {BULANAN: "2026-05", CATURWULAN: "2026-B12", SEMESTER: "2026-S1", TAHUNAN: "2026"}
    if not match:
        raise ValidationError(
            _("Periode %(text)s tidak sesuai jenis laporan %(kind)s; contoh: %(example)s.")
            % {"text": text or "—", "kind": kind, "example": examples[kind]}, code="invalid_period")
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Tahun harus antara 2000 dan 2100."), code="invalid_period")
    if kind == BULANAN:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ValidationError(_("Bulan harus antara 01 dan 12."), code="invalid_period")
        return ReportPeriod(kind, f"{year}-{month:02d}", year, month, month)
    if kind == CATURWULAN:
        first, last = B_PERIODS[match["code"]]
        return ReportPeriod(kind, f"{year}-{match['code']}", year, first, last)
    if kind == SEMESTER:
        first, last = SEMESTERS[match["code"]]
        return ReportPeriod(kind, f"{year}-{match['code']}", year, first, last)
    return ReportPeriod(kind, str(year), year, 1, 12)


def period_code(text: str) -> str:
    """A period of any kind in its canonical text ("2026-b08" → "2026-B08"), for the archive's
    filter; a ValidationError in Indonesian when it is no kind's period."""
    for kind in KINDS:
        try:
            return parse_period(kind, text).code
        except ValidationError:
            continue
    raise ValidationError(
        _("Periode %(text)s tidak dikenal; contoh: 2026-05, 2026-B12, 2026-S1 atau 2026.") % {"text": text or "—"},
        code="invalid_period")


def periods_ending_on(day: datetime.date) -> list[ReportPeriod]:
    """Every report period whose last day is ``day`` (a month end may end four kinds at once)."""
    if (day + datetime.timedelta(days=1)).day != 1:
        return []
    year, month = day.year, day.month
    found = [parse_period(BULANAN, f"{year}-{month:02d}")]
    found += [parse_period(CATURWULAN, f"{year}-{code}") for code, (_f, last) in B_PERIODS.items() if last == month]
    found += [parse_period(SEMESTER, f"{year}-{code}") for code, (_f, last) in SEMESTERS.items() if last == month]
    if month == 12:
        found.append(parse_period(TAHUNAN, str(year)))
    return found


def periods_due(today: datetime.date, *, lookback_days: int = 40) -> list[ReportPeriod]:
    """Periods whose first working day after has come (today or within ``lookback_days``): a beat
    that missed a day still catches them; the Report's scheduled flag keeps each to one report."""
    from kesbang.office.workdays import days_off

    first = today - datetime.timedelta(days=lookback_days)
    off = days_off(range(first.year, today.year + 2))  # one query for the whole look-back
    due = []
    for back in range(lookback_days, -1, -1):
        end = today - datetime.timedelta(days=back)
        for period in periods_ending_on(end):
            if period.first_working_day_after(off) <= today:
                due.append(period)
    return due


def current_period(kind: str, today: datetime.date) -> ReportPeriod:
    """The last finished period of ``kind`` before ``today`` (what a user most likely asks for)."""
    candidates = [p for p in periods_due(today, lookback_days=400) if p.kind == kind and p.end < today]
    return candidates[-1]
