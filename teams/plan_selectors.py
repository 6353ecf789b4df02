"""Reads for the Rencana Aksi Terpadu: visible plans, the detail structure with achievement maths,
and the Kemendagri .xlsx export (house style 3: each read owns its joins; no per-row queries).

Achievement rules (one place):
- activity-period: realisation / target × 100, capped at 100; no target -> None (not shown as 0 %);
- activity: sum of realisations / sum of targets over the three periods, capped at 100; None when the
  targets sum to 0;
- phase and plan: the mean of their activities' achievements (activities without a target left out).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kesbang.core.history import HistorySpec, change_log, merge_logs
from kesbang.core.spreadsheets import fit_row_height, set_print_page, workbook_bytes
from teams.deadlines import period_deadlines, period_end
from teams.models import ActionPlan, Activity, ActivityPeriod, Period, Phase

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")


def activity_achievement(targets_and_realisations) -> Decimal | None:
    """Sum realised / sum target, capped at 100 (None without any target)."""
    target = sum((t or Decimal(0) for t, _r in targets_and_realisations), Decimal(0))
    realised = sum((r or Decimal(0) for _t, r in targets_and_realisations), Decimal(0))
    if not target:
        return None
    return min(HUNDRED, realised * HUNDRED / target).quantize(ONE_DECIMAL)


def mean_achievement(values) -> Decimal | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return (sum(present, Decimal(0)) / len(present)).quantize(ONE_DECIMAL)


# --- List -------------------------------------------------------------------------------------------


def plan_years(plans: QuerySet[ActionPlan]) -> list[int]:
    return list(plans.order_by("-year").values_list("year", flat=True).distinct())


def plan_list(plans: QuerySet[ActionPlan], *, year: int | None = None) -> list[ActionPlan]:
    """Plans (team, region) with ``overall`` and ``activity_count`` set; two queries in all."""
    qs = plans.select_related("team__region").order_by("-year", "team__region__code")
    if year:
        qs = qs.filter(year=year)
    plans = list(qs)
    per_activity: dict[int, list] = defaultdict(list)
    plan_of: dict[int, int] = {}
    # Summed per activity here: no order needed (the model's default order sorted every period of a
    # national database's plans, 50,000 rows, spilling to disk: 300 ms of the dashboard's summary).
    rows = ActivityPeriod.objects.filter(activity__plan__in=[p.pk for p in plans]).order_by().values_list(
        "activity_id", "activity__plan_id", "target", "realisation"
    )
    for activity_id, plan_id, target, realisation in rows:
        per_activity[activity_id].append((target, realisation))
        plan_of[activity_id] = plan_id
    by_plan: dict[int, list] = defaultdict(list)
    for activity_id, values in per_activity.items():
        by_plan[plan_of[activity_id]].append(activity_achievement(values))
    for plan in plans:
        plan.activity_count = len(by_plan.get(plan.pk, []))
        plan.overall = mean_achievement(by_plan.get(plan.pk, []))
    return plans


# --- Detail -----------------------------------------------------------------------------------------


@dataclass
class PeriodCell:
    period: str
    target: Decimal
    realisation: Decimal | None
    achievement: Decimal | None
    evidence_count: int
    reported_at: datetime.datetime | None
    narrative: str
    due: bool = False  # the period has ended, so its realisation is expected now

    @property
    def overdue_missing(self) -> bool:
        return self.due and self.realisation is None


@dataclass
class ActivityRow:
    activity: Activity
    cells: list[PeriodCell]
    achievement: Decimal | None
    evidence_count: int


@dataclass
class PhaseGroup:
    code: str
    label: str
    rows: list[ActivityRow] = field(default_factory=list)
    achievement: Decimal | None = None


@dataclass
class DeadlineRow:
    period: str
    label: str
    due_date: datetime.date
    days_left: int
    missing: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def months(self) -> str:
        """ "Januari–April" out of the label "B04 (Januari–April)"."""
        return self.label.partition("(")[2].rstrip(")") or self.label


@dataclass
class PlanDetail:
    plan: ActionPlan
    phases: list[PhaseGroup]
    deadlines: list[DeadlineRow]
    overall: Decimal | None
    activity_count: int
    periods: list[tuple[str, str]]


def _activities_with_periods(plan_id: int) -> QuerySet[Activity]:
    periods = ActivityPeriod.objects.annotate(evidence_count=Count("evidence")).order_by("period")
    return (
        Activity.objects.filter(plan_id=plan_id)
        .select_related("responsible_institution")
        .prefetch_related(Prefetch("periods", queryset=periods))
        .order_by("phase", "number", "id")
    )


def plan_summary(plan: ActionPlan, *, today: datetime.date | None = None) -> PlanDetail:
    """A plan (its team and region loaded) as the structure the detail page, the export and the
    reports print. No user involved: the caller decided who may see it.

    Three queries whatever the number of activities: activities, periods with evidence counts,
    deadline overrides."""
    today = today or timezone.localdate()
    phase_order = {code: i for i, code in enumerate(Phase.values)}
    groups = {code: PhaseGroup(code=code, label=str(label)) for code, label in Phase.choices}
    missing = dict.fromkeys(Period.values, 0)
    all_achievements = []
    activities = sorted(_activities_with_periods(plan.pk), key=lambda a: (phase_order.get(a.phase, 9), a.number, a.pk))
    ended = {code for code in Period.values if period_end(plan.year, code) < today}
    for activity in activities:
        by_code = {ap.period: ap for ap in activity.periods.all()}
        cells = []
        for code in Period.values:
            ap = by_code.get(code)
            if ap is None:
                cells.append(PeriodCell(code, Decimal(0), None, None, 0, None, "", code in ended))
                continue
            if ap.realisation is None:
                missing[code] += 1
            cells.append(PeriodCell(code, ap.target, ap.realisation, ap.achievement, ap.evidence_count,
                                    ap.reported_at, ap.narrative, code in ended))
        achievement = activity_achievement([(c.target, c.realisation) for c in cells])
        all_achievements.append(achievement)
        groups[activity.phase].rows.append(
            ActivityRow(activity, cells, achievement, sum(c.evidence_count for c in cells))
        )
    for group in groups.values():
        group.achievement = mean_achievement([r.achievement for r in group.rows])
    deadlines = [
        DeadlineRow(code, str(Period(code).label), due, (due - today).days, missing[code])
        for code, due in period_deadlines(plan.year).items()
    ]
    return PlanDetail(
        plan=plan,
        phases=list(groups.values()),
        deadlines=deadlines,
        overall=mean_achievement(all_achievements),
        activity_count=len(activities),
        periods=[(code, str(label)) for code, label in Period.choices],
    )


# --- Export -----------------------------------------------------------------------------------------


def plan_workbook(detail: PlanDetail) -> bytes:
    """The plan as the .xlsx a Kemendagri submission needs: title rows, one row per activity grouped
    by phase, per period Target / Realisasi / %, then the total %."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = f"RAT {detail.plan.year}"
    write_plan_sheet(ws, detail)
    return workbook_bytes(wb)


def plans_workbook(details: list[PlanDetail]) -> bytes:
    """Several plans in one .xlsx (the national submission package): one sheet per plan, each as
    ``plan_workbook`` draws it, named by year and region code ("RAT 2026 19.71")."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for detail in details:
        ws = wb.create_sheet(f"RAT {detail.plan.year} {detail.plan.team.region.code}"[:31])
        write_plan_sheet(ws, detail)
    if not details:
        wb.create_sheet(_("Rencana aksi")).cell(row=1, column=1, value=_("Belum ada rencana aksi untuk tahun ini."))
    return workbook_bytes(wb)


def write_plan_sheet(ws, detail: PlanDetail) -> None:
    """Draw one plan on the worksheet ``ws`` (see ``plan_workbook``)."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    plan = detail.plan
    periods = [code for code, _label in detail.periods]
    fixed = [
        pgettext("nomor urut", "No"), _("Tahap"), _("Kegiatan"), _("Indikator"), _("Satuan"), _("Penanggung Jawab"),
        _("Anggaran (Rp)"),
    ]
    last_col = len(fixed) + 3 * len(periods) + 1
    bold = Font(bold=True)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="DCE6F1")
    phase_fill = PatternFill("solid", fgColor="F2F2F2")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)

    titles = [
        _("RENCANA AKSI TERPADU PENANGANAN KONFLIK SOSIAL"),
        plan.team.name.upper(),
        _("TAHUN %(year)s") % {"year": plan.year},
    ]
    for i, text in enumerate(titles, start=1):
        ws.cell(row=i, column=1, value=text).font = Font(bold=True, size=13 if i == 1 else 12)
        ws.cell(row=i, column=1).data_type = "s"  # a team named "=..." is text, never a formula
        ws.cell(row=i, column=1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=last_col)
    if plan.legal_basis_number:
        ws.cell(row=4, column=1, value=_("Dasar hukum: %(n)s") % {"n": plan.legal_basis_number}).data_type = "s"
        ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=last_col)

    head1, head2 = 6, 7
    for col, text in enumerate(fixed, start=1):
        ws.cell(row=head1, column=col, value=text)
        ws.merge_cells(start_row=head1, start_column=col, end_row=head2, end_column=col)
    col = len(fixed) + 1
    for code in periods:
        ws.cell(row=head1, column=col, value=code)
        ws.merge_cells(start_row=head1, start_column=col, end_row=head1, end_column=col + 2)
        for j, sub in enumerate((_("Target"), _("Realisasi"), "%")):
            ws.cell(row=head2, column=col + j, value=sub)
        col += 3
    ws.cell(row=head1, column=last_col, value=_("Capaian Total (%)"))
    ws.merge_cells(start_row=head1, start_column=last_col, end_row=head2, end_column=last_col)
    for r in (head1, head2):
        for c in range(1, last_col + 1):
            cell = ws.cell(row=r, column=c)
            cell.font, cell.fill, cell.alignment, cell.border = bold, head_fill, center, border

    row = head2 + 1
    number = 0
    activity_rows = []
    for group in detail.phases:
        if not group.rows:
            continue
        ws.cell(row=row, column=1, value=group.label.upper())
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
        for c in range(1, last_col + 1):
            cell = ws.cell(row=row, column=c)
            cell.font, cell.fill, cell.border = bold, phase_fill, border
        row += 1
        for item in group.rows:
            number += 1
            a = item.activity
            values = [number, group.label, a.name, a.indicator, a.unit, str(a.responsible_institution),
                      a.budget if a.budget is not None else None]
            for cell_obj in item.cells:
                values += [cell_obj.target, cell_obj.realisation,
                           float(cell_obj.achievement) / 100 if cell_obj.achievement is not None else None]
            values.append(float(item.achievement) / 100 if item.achievement is not None else None)
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=c, value=float(value) if isinstance(value, Decimal) else value)
                if isinstance(value, str):
                    cell.data_type = "s"  # user text starting with "=" stays text (formula injection)
                cell.border = border
                cell.alignment = wrap
            ws.cell(row=row, column=7).number_format = "#,##0"
            for k in range(len(periods)):
                base = len(fixed) + 1 + 3 * k
                ws.cell(row=row, column=base).number_format = "#,##0.##"
                ws.cell(row=row, column=base + 1).number_format = "#,##0.##"
                ws.cell(row=row, column=base + 2).number_format = "0.0%"
            ws.cell(row=row, column=last_col).number_format = "0.0%"
            activity_rows.append(row)
            row += 1
    ws.cell(row=row, column=1, value=_("CAPAIAN KESELURUHAN"))
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col - 1)
    total = ws.cell(row=row, column=last_col, value=float(detail.overall) / 100 if detail.overall is not None else None)
    total.number_format = "0.0%"
    for c in range(1, last_col + 1):
        ws.cell(row=row, column=c).font = bold
        ws.cell(row=row, column=c).border = border

    widths = [5, 14, 44, 32, 11, 24, 16] + [10, 10, 8] * len(periods) + [12]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for r in activity_rows:
        fit_row_height(ws, r, widths=widths)
    fit_row_height(ws, head1, widths=widths, bold=True)
    ws.freeze_panes = f"D{head2 + 1}"
    set_print_page(ws, title=f"{titles[0]} — {plan.team.name} {plan.year}", header_rows=f"{head1}:{head2}")
    ws.print_area = f"A1:{get_column_letter(last_col)}{row}"


# --- Change history ---------------------------------------------------------------------------------


def _plan_title(entry, record) -> str:
    return _("Rencana aksi %(action)s") % {"action": _action(record)}


def _action(record) -> str:
    return {"+": _("dibuat"), "-": _("dihapus")}.get(record.history_type, _("diubah"))


def plan_change_log(plan: ActionPlan, *, limit: int = 100) -> list:
    """The change history of a plan, its activities and their period figures, newest first (core
    ``change_log``): four queries whatever the number of records."""
    activity_history = list(
        Activity.history.filter(plan_id=plan.pk).select_related("history_user").order_by("history_date", "history_id")
    )
    names = {}
    for record in activity_history:
        names[record.id] = record.name  # the latest name an activity had
    related = {ActionPlan: {plan.pk: plan}, Activity: dict(names)}
    plan_spec = HistorySpec(exclude=("created_at", "team"), title=_plan_title, kind="plan")
    activity_spec = HistorySpec(
        exclude=("plan",), kind="activity",
        title=lambda entry, record: _("Kegiatan: %(name)s %(action)s") % {
            "name": names.get(record.id, record.name), "action": _action(record)},
    )
    period_spec = HistorySpec(
        exclude=("activity", "reported_at", "reported_by", "period"), kind="activityperiod", skip_created=True,
        title=lambda entry, record: _("%(period)s · %(name)s %(action)s") % {
            "period": record.period, "name": names.get(record.activity_id, "—"), "action": _action(record)},
    )
    return merge_logs(
        change_log(ActionPlan.history.filter(id=plan.pk), plan_spec, related=related, limit=limit),
        change_log(activity_history, activity_spec, related=related, limit=limit),
        change_log(ActivityPeriod.history.filter(activity_id__in=list(names)), period_spec, related=related,
                   limit=limit),
        limit=limit,
    )
