"""Section builders: each app's part of a periodic report, registered by key and order.

A builder takes a ``ReportContext`` and returns a ``Section`` (or None to leave it out). The teams,
incidents and meetings sections live in ``kesbang.office.reports.sections_*`` and read through querysets
only (no user: the report's region is the scope), so the Celery task and the tests call them alike.
"""

import datetime
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from kesbang.office.reports.periods import ReportPeriod

# Modules that register builders; one that does not exist yet (an app still to land) is skipped.
BUILDER_MODULES = (
    "kesbang.office.reports.sections_teams",
    "kesbang.office.reports.sections_incidents",
    "kesbang.office.reports.sections_meetings",
    "kesbang.office.reports.sections_narrative",
)


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]
    totals: list | None = None
    numeric: tuple[int, ...] = ()  # column indexes of numbers (right-aligned, 1.250.000)
    percent: tuple[int, ...] = ()  # column indexes of percentages (Decimal 0..100, shown "87,5 %")
    group_rows: tuple[int, ...] = ()  # row indexes that are group headings (phase, plan)
    empty_text: str = ""
    # A row-level annex: printed in the PDF up to this many rows; longer, the PDF says it is in the
    # workbook (which always has every row) and the section's summary table stands for it in print.
    print_limit: int | None = None

    @property
    def printed(self) -> bool:
        return self.print_limit is None or len(self.rows) <= self.print_limit


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    figures: list[tuple[str, object]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class ReportContext:
    period: ReportPeriod
    region: object  # teams.Region: the province or one regency/city
    narrative: str = ""
    today: datetime.date | None = None

    def region_q(self, field_name: str = "region__code") -> Q:
        """The report's region and everything below it, by code: a province report counts its own
        regencies only (the region table holds other provinces too at national scale), a regency
        report its own kecamatan and desa."""
        code = self.region.code if self.region.is_province else self.region.code[:5]
        return Q(**{field_name: code}) | Q(**{f"{field_name}__startswith": code + "."})

    @property
    def start_at(self) -> datetime.datetime:
        """First instant of the period, 00:00 Asia/Jakarta."""
        return timezone.make_aware(datetime.datetime.combine(self.period.start, datetime.time.min))

    @property
    def end_at(self) -> datetime.datetime:
        """First instant after the period (exclusive bound)."""
        nxt = self.period.end + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(nxt, datetime.time.min))


@dataclass(frozen=True)
class SectionSpec:
    key: str
    order: int
    build: Callable[[ReportContext], Section | None]
    kinds: tuple[str, ...] | None = None

    def applies_to(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


_REGISTRY: dict[str, SectionSpec] = {}
_loaded = False


def section(key: str, *, order: int, kinds: tuple[str, ...] | None = None):
    """Decorator: register ``build(ctx) -> Section | None`` under ``key`` (a later one replaces it)."""

    def register(build):
        _REGISTRY[key] = SectionSpec(key=key, order=order, build=build, kinds=kinds)
        return build

    return register


def load_builders() -> None:
    global _loaded
    if _loaded:
        return
    for module in BUILDER_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    _loaded = True


def specs_for(kind: str) -> list[SectionSpec]:
    load_builders()
    return sorted((s for s in _REGISTRY.values() if s.applies_to(kind)), key=lambda s: (s.order, s.key))


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " %"


def num(value) -> str:
    """Indonesian thousands separator: 1.250.000 (decimals with a comma)."""
    if value is None:
        return "—"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        whole, _dot, frac = f"{value:,.2f}".partition(".")
        return whole.replace(",", ".") + "," + frac
    return f"{int(value):,}".replace(",", ".")
