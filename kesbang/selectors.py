"""Reads for the office layer (dashboard). Reads from every app; nothing reads from here."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from teams.access import scope_of
from teams.models import Membership, Region, Team
from teams.plan_selectors import mean_achievement, plan_list
from teams.selectors import people_visible_to, teams_visible_to
from teams.services.plans import period_deadlines


@dataclass
class RegionRow:
    region: Region
    team: Team | None
    chair: Membership | None
    achievement: Decimal | None
    has_plan: bool


@dataclass
class NextDeadline:
    period: str
    due: datetime.date
    days_left: int


def next_deadline(today: datetime.date) -> NextDeadline | None:
    """The first reporting deadline on or after ``today``: last year's B12 (due in January), this
    year's, or next year's when an admin set this year's B12 before 31 December and it has passed.
    None when even next year's deadlines are set in the past (the dashboard shows a dash)."""
    candidates = [
        (due, period)
        for year in (today.year - 1, today.year, today.year + 1)
        for period, due in period_deadlines(year).items()
        if due >= today
    ]
    if not candidates:
        return None
    due, period = min(candidates)
    return NextDeadline(period=period, due=due, days_left=(due - today).days)


def scope_label(scope, rows: list[RegionRow]) -> str | None:
    """The name of a regency login's region (from the rows already loaded: no query); None for the
    whole province or a login that sees only its teams."""
    if scope.all_regions or not scope.regency_code:
        return None
    return next((row.region.name for row in rows if row.region.code == scope.regency_code), None)


def dashboard_summary(*, user, today: datetime.date | None = None) -> dict:
    """Everything the dashboard shows, in a fixed number of queries whatever the data size."""
    today = today or timezone.localdate()
    scope = scope_of(user)
    teams = list(
        teams_visible_to(user)
        .filter(status=Team.Status.AKTIF)
        .select_related("region")
        .annotate(active_members=Count("memberships", filter=Q(memberships__end_date__isnull=True)))
    )
    # The regions in scope, plus those of visible teams (an Anggota Tim sees the teams it sits on).
    regions = list(
        Region.objects.filter(level__in=[Region.Level.PROVINSI, Region.Level.KABUPATEN, Region.Level.KOTA])
        .filter(Q() if scope.all_regions else scope.q("code") | Q(pk__in=[t.region_id for t in teams]))
        .order_by("code")
    )
    chairs = {
        m.team_id: m
        for m in Membership.objects.filter(team__in=[t.pk for t in teams], role=Membership.Role.KETUA, end_date=None)
        .select_related("person")
    }
    plans = plan_list(user=user, year=today.year)
    plan_by_team = {p.team_id: p for p in plans}
    team_by_region = {}
    for team in teams:
        team_by_region.setdefault(team.region_id, team)
    rows = []
    for region in regions:
        team = team_by_region.get(region.pk)
        plan = plan_by_team.get(team.pk) if team else None
        rows.append(
            RegionRow(
                region=region,
                team=team,
                chair=chairs.get(team.pk) if team else None,
                achievement=plan.overall if plan else None,
                has_plan=plan is not None,
            )
        )
    people = people_visible_to(user).aggregate(total=Count("id"))
    return {
        "scope": scope,
        "scope_label": scope_label(scope, rows),
        "today": today,
        "year": today.year,
        "rows": rows,
        "teams_active": len(teams),
        "regions_without_team": sum(1 for r in rows if r.team is None),
        "members_active": sum(t.active_members for t in teams),
        "people_total": people["total"],
        "plans_count": len(plans),
        "plan_achievement": mean_achievement(p.overall for p in plans),
        "next_deadline": next_deadline(today),
    }
