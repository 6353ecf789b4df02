"""Report sections from the teams app: the teams, action-plan realisation and achievement per
activity and phase, and (caturwulan reports) the Kemendagri submission table."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kesbang.office.reports.periods import CATURWULAN
from kesbang.office.reports.registry import ReportContext, Section, Table, pct, section
from teams.models import ActionPlan, Activity, ActivityPeriod, Membership, Period, Phase, Team
from teams.plan_selectors import activity_achievement, mean_achievement


def teams_in_period(ctx: ReportContext):
    start, end = ctx.period.start, ctx.period.end
    on_at_end = Q(memberships__start_date__lte=end) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=end)
    )
    return (
        Team.objects.filter(ctx.region_q("region__code"))
        .filter(period_start__lte=end)
        .filter(Q(period_end__isnull=True) | Q(period_end__gte=start))
        .select_related("region")
        .annotate(members=Count("memberships", filter=on_at_end))
        .order_by("region__code", "-period_start")
    )


@section("tim", order=10)
def teams_section(ctx: ReportContext) -> Section:
    teams = list(teams_in_period(ctx))
    end = ctx.period.end
    chairs = {
        m.team_id: m.person.name
        for m in Membership.objects.filter(team__in=[t.pk for t in teams], role=Membership.Role.KETUA)
        .filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=end))
        .select_related("person")
    }
    rows = [
        [t.region.name, t.decree_number, t.decree_date, chairs.get(t.pk, "—"), t.members]
        for t in teams
    ]
    total_members = sum(t.members for t in teams)
    return Section(
        key="tim",
        title=_("Tim Terpadu Penanganan Konflik Sosial"),
        intro=_("Tim terpadu yang bertugas dalam periode laporan dan jumlah anggotanya pada akhir periode."),
        figures=[(_("Tim terpadu bertugas"), len(teams)), (_("Anggota tim pada akhir periode"), total_members)],
        tables=[Table(
            title=_("Tim terpadu per wilayah"),
            headers=[_("Wilayah"), _("Nomor SK"), _("Tanggal SK"), _("Ketua"), _("Anggota")],
            rows=rows,
            totals=[_("Jumlah"), "", "", "", total_members],
            numeric=(4,),
            empty_text=_("Belum ada tim terpadu dalam cakupan laporan."),
        )],
    )


def _plan_data(ctx: ReportContext):
    """Plans of the period's year in scope, their activities (phase order) and period values."""
    plans = list(
        ActionPlan.objects.filter(year=ctx.period.year)
        .filter(ctx.region_q("team__region__code"))
        .select_related("team__region")
        .order_by("team__region__code", "pk")
    )
    phase_order = {code: i for i, code in enumerate(Phase.values)}
    activities = sorted(
        Activity.objects.filter(plan__in=[p.pk for p in plans]).select_related("responsible_institution"),
        key=lambda a: (a.plan_id, phase_order.get(a.phase, 9), a.number, a.pk),
    )
    values: dict[int, dict[str, tuple]] = defaultdict(dict)
    for activity_id, period, target, realisation in ActivityPeriod.objects.filter(
        activity__plan__in=[p.pk for p in plans]
    ).values_list("activity_id", "period", "target", "realisation"):
        values[activity_id][period] = (target, realisation)
    by_plan = defaultdict(list)
    for activity in activities:
        by_plan[activity.plan_id].append(activity)
    return plans, by_plan, values


@section("rencana_aksi", order=60)
def action_plan_section(ctx: ReportContext) -> Section:
    periods = ctx.period.action_plan_periods()
    plans, by_plan, values = _plan_data(ctx)
    summary_rows, detail_rows, group_rows = [], [], []
    plan_values = []
    for plan in plans:
        phase_achievements = defaultdict(list)
        detail_rows.append([f"{plan.team.region.name} — {plan.team.name}", "", "", None, None, None])
        group_rows.append(len(detail_rows) - 1)
        for i, activity in enumerate(by_plan.get(plan.pk, []), start=1):
            pairs = [values[activity.pk].get(code, (Decimal(0), None)) for code in periods]
            achievement = activity_achievement(pairs)
            phase_achievements[activity.phase].append(achievement)
            target = sum((t or Decimal(0) for t, _r in pairs), Decimal(0))
            realised = sum((r or Decimal(0) for _t, r in pairs), Decimal(0))
            detail_rows.append([
                i, f"{Phase(activity.phase).label}: {activity.name}", str(activity.responsible_institution),
                target, realised, achievement,
            ])
        per_phase = [mean_achievement(phase_achievements[code]) for code in Phase.values]
        overall = mean_achievement(a for code in Phase.values for a in phase_achievements[code])
        plan_values.append(overall)
        summary_rows.append([
            plan.team.region.name, sum(len(v) for v in phase_achievements.values()),
            *per_phase, overall,
        ])
    overall_all = mean_achievement(plan_values)
    period_text = ", ".join(periods)
    return Section(
        key="rencana_aksi",
        title=_("Realisasi dan Capaian Rencana Aksi Terpadu"),
        intro=_(
            "Capaian = jumlah realisasi dibagi jumlah target periode %(periods)s tahun %(year)s (paling tinggi "
            "100 %%); capaian tahap dan rencana aksi = rata-rata capaian kegiatannya."
        ) % {"periods": period_text, "year": ctx.period.year},
        figures=[(_("Rencana aksi"), len(plans)), (_("Capaian rencana aksi (rata-rata)"), pct(overall_all))],
        tables=[
            Table(
                title=_("Capaian per rencana aksi dan tahap"),
                headers=[_("Wilayah"), _("Kegiatan"), *[str(label) for label in Phase.labels], _("Capaian")],
                rows=summary_rows,
                totals=[_("Rata-rata"), sum(r[1] for r in summary_rows), None, None, None, overall_all],
                numeric=(1,),
                percent=(2, 3, 4, 5),
                empty_text=_("Belum ada rencana aksi untuk tahun ini."),
            ),
            Table(
                title=_("Realisasi per kegiatan"),
                headers=[pgettext("nomor urut", "No"), _("Tahap dan kegiatan"), _("Penanggung jawab"),
                         _("Target"), _("Realisasi"), _("Capaian")],
                rows=detail_rows,
                numeric=(3, 4),
                percent=(5,),
                group_rows=tuple(group_rows),
                empty_text=_("Belum ada kegiatan."),
                print_limit=60,
            ),
        ],
    )


@section("kemendagri", order=70, kinds=(CATURWULAN,))
def kemendagri_section(ctx: ReportContext) -> Section:
    """The submission table Ditjen Polpum scores: per activity, every B period up to this one."""
    last = ctx.period.action_plan_periods()[-1]
    periods = [code for code in Period.values if Period.last_month(code) <= Period.last_month(last)]
    plans, by_plan, values = _plan_data(ctx)
    tables = []
    for plan in plans:
        rows = []
        for i, activity in enumerate(by_plan.get(plan.pk, []), start=1):
            cells = []
            pairs = []
            for code in periods:
                target, realisation = values[activity.pk].get(code, (Decimal(0), None))
                pairs.append((target, realisation))
                cells += [target, realisation, activity_achievement([(target, realisation)])]
            rows.append([
                i, str(Phase(activity.phase).label), activity.name, activity.indicator, activity.unit,
                str(activity.responsible_institution), activity.budget, *cells, activity_achievement(pairs),
            ])
        headers = [pgettext("nomor urut", "No"), _("Tahap"), _("Kegiatan"), _("Indikator"), _("Satuan"),
                   _("Penanggung Jawab"), _("Anggaran (Rp)")]
        for code in periods:
            headers += [f"{code} {_('Target')}", f"{code} {_('Realisasi')}", f"{code} %"]
        headers.append(_("Capaian kumulatif"))
        tables.append(Table(
            title=f"{plan.team.name} ({plan.year})",
            headers=headers,
            rows=rows,
            numeric=(6, *[7 + 3 * k + j for k in range(len(periods)) for j in (0, 1)]),
            percent=(*[9 + 3 * k for k in range(len(periods))], len(headers) - 1),
            empty_text=_("Belum ada kegiatan."),
        ))
    return Section(
        key="kemendagri",
        title=_("Tabel Pelaporan Rencana Aksi Terpadu kepada Kemendagri (%(period)s)") % {"period": last},
        intro=_("Format pelaporan caturwulanan kepada Direktur Jenderal Politik dan Pemerintahan Umum."),
        tables=tables or [Table(title="", headers=[_("Keterangan")], rows=[],
                                empty_text=_("Belum ada rencana aksi untuk tahun ini."))],
    )
