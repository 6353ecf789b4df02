"""Weekly summary sections from the teams app: action-plan realisation reported in the week, the
next reporting deadline and membership changes."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from kesbang.core.email import absolute_url
from kesbang.office.reports.registry import num, pct
from kesbang.office.weekly.registry import figure, link, summary_section
from kesbang.office.weekly.weeks import Week
from teams.deadlines import period_deadlines
from teams.models import ActionPlan, ActivityPeriod, Membership
from teams.plan_selectors import activity_achievement, mean_achievement


def _plan_achievement(year: int):
    values: dict[int, list] = {}
    plan_of = {}
    for activity_id, plan_id, target, realisation in ActivityPeriod.objects.filter(
        activity__plan__year=year
    ).values_list("activity_id", "activity__plan_id", "target", "realisation"):
        values.setdefault(activity_id, []).append((target, realisation))
        plan_of[activity_id] = plan_id
    by_plan: dict[int, list] = {}
    for activity_id, pairs in values.items():
        by_plan.setdefault(plan_of[activity_id], []).append(activity_achievement(pairs))
    return mean_achievement(mean_achievement(v) for v in by_plan.values())


@summary_section("rencana_aksi", order=60)
def action_plans(week: Week) -> dict:
    reported = list(
        ActivityPeriod.objects.filter(reported_at__gte=week.start_at, reported_at__lt=week.end_at)
        .select_related("activity__plan__team__region")
        .order_by("activity__plan__team__region__code", "activity__number", "period")
    )
    year = week.end.year
    plans = ActionPlan.objects.filter(year=year).count()
    deadlines = [(due, code) for y in (year - 1, year) for code, due in period_deadlines(y).items()
                 if due > week.end]
    due, code = min(deadlines) if deadlines else (None, "")
    plan_url = absolute_url(reverse("teams:plan_list"))
    rows = [
        [r.activity.plan.team.region.name, link(r.activity.name, absolute_url(r.activity.plan.get_absolute_url())),
         r.period, num(r.realisation), num(r.target)]
        for r in reported
    ]
    figures = [
        figure(_("Realisasi dilaporkan minggu ini"), len(reported), plan_url),
        figure(_("Capaian rencana aksi %(year)s (rata-rata)") % {"year": year}, pct(_plan_achievement(year)),
               plan_url + f"?tahun={year}"),
        figure(_("Rencana aksi %(year)s") % {"year": year}, plans, plan_url + f"?tahun={year}"),
    ]
    if due:
        days = (due - (week.end + datetime.timedelta(days=1))).days
        figure_text = _("%(code)s, %(date)s (%(days)s hari lagi)") % {
            "code": code, "date": formats.date_format(due, "j F Y"), "days": days}
        figures.append(figure(_("Batas pelaporan berikutnya"), figure_text, plan_url))
    return {
        "key": "rencana_aksi",
        "title": _("Rencana Aksi Terpadu"),
        "figures": figures,
        "tables": [{
            "title": _("Realisasi yang dilaporkan"),
            "headers": [_("Wilayah"), _("Kegiatan"), _("Periode"), _("Realisasi"), _("Target")],
            "rows": rows[:50],
            "empty": _("Tidak ada realisasi yang dilaporkan minggu ini."),
        }],
    }


@summary_section("tim", order=70)
def memberships(week: Week) -> dict:
    changed = list(
        Membership.objects.filter(
            Q(start_date__gte=week.start, start_date__lte=week.end)
            | Q(end_date__gte=week.start, end_date__lte=week.end)
        ).select_related("team__region", "person").order_by("team__region__code", "start_date")
    )
    started = [m for m in changed if week.start <= m.start_date <= week.end]
    ended = [m for m in changed if m.end_date and week.start <= m.end_date <= week.end]
    team_url = absolute_url(reverse("teams:team_list"))
    rows = [[m.team.region.name, link(m.person.name, absolute_url(m.team.get_absolute_url())),
             m.get_role_display(), _("mulai") if m in started else _("berakhir")] for m in changed]
    return {
        "key": "tim",
        "title": _("Keanggotaan Tim Terpadu"),
        "figures": [figure(_("Anggota baru"), len(started), team_url),
                    figure(_("Keanggotaan berakhir"), len(ended), team_url)],
        "tables": [{
            "title": _("Perubahan keanggotaan"),
            "headers": [_("Wilayah"), _("Nama"), _("Kedudukan"), _("Perubahan")],
            "rows": rows[:50],
            "empty": _("Tidak ada perubahan keanggotaan minggu ini."),
        }],
    }
