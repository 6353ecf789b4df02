"""Reads for the office layer (dashboard). Reads from every app; nothing reads from here."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesbang.core import generations
from teams.access import scope_of
from teams.models import ActionPlan, ActivityPeriod, Membership, Person, Region, Team
from teams.plan_selectors import activity_achievement, mean_achievement


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
    from teams.deadlines import default_deadline
    from teams.models import Period, ReportingDeadline

    years = (today.year - 1, today.year, today.year + 1)
    # One query for the three years (period_deadlines() would be one per year).
    overrides = {(y, p): due for y, p, due in ReportingDeadline.objects.filter(year__in=years)
                 .values_list("year", "period", "due_date")}
    candidates = [
        (due, period)
        for year in years
        for period in Period.values
        for due in [overrides.get((year, period)) or default_deadline(year, period)]
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


def province_and_regencies() -> list[Region]:
    """The province and its regencies/cities (reference data: cached ten minutes)."""
    from django.core.cache import cache

    regions = cache.get("kesbang:dashboard:regions")
    if regions is None:
        regions = list(
            Region.objects.filter(level__in=[Region.Level.PROVINSI, Region.Level.KABUPATEN, Region.Level.KOTA])
            .order_by("code")
        )
        cache.set("kesbang:dashboard:regions", regions, 600)
    return regions


def plans_with_achievement(*, user, year: int, period: str) -> tuple[list, Decimal | None]:
    """Visible plans of ``year`` with ``overall`` set (as ``plan_list``), and the mean achievement
    of the running B period over those plans: two queries in all."""
    plans = list(ActionPlan.objects.restrict(user, "view").filter(year=year).select_related("team__region"))
    per_activity: dict[int, list] = {}
    in_period: dict[int, list] = {}
    plan_of: dict[int, int] = {}
    # Unordered: summed per activity and plan here (the model's default order sorted every period of a
    # national database's plans, 50,000 rows, spilling to disk: 200-300 ms; make bench-explain).
    rows = ActivityPeriod.objects.filter(activity__plan__in=[p.pk for p in plans]).order_by().values_list(
        "activity_id", "activity__plan_id", "period", "target", "realisation"
    )
    for activity_id, plan_id, code, target, realisation in rows:
        per_activity.setdefault(activity_id, []).append((target, realisation))
        plan_of[activity_id] = plan_id
        if code == period:
            in_period.setdefault(plan_id, []).append(activity_achievement([(target, realisation)]))
    by_plan: dict[int, list] = {}
    for activity_id, values in per_activity.items():
        by_plan.setdefault(plan_of[activity_id], []).append(activity_achievement(values))
    for plan in plans:
        plan.activity_count = len(by_plan.get(plan.pk, []))
        plan.overall = mean_achievement(by_plan.get(plan.pk, []))
    return plans, mean_achievement(mean_achievement(v) for v in in_period.values())


def dashboard_summary(*, user, today: datetime.date | None = None) -> dict:
    """Everything the dashboard shows, in a fixed number of queries whatever the data size."""
    today = today or timezone.localdate()
    scope = scope_of(user)
    teams = list(
        Team.objects.restrict(user, "view")
        .filter(status=Team.Status.AKTIF)
        .select_related("region")
        .annotate(active_members=Count("memberships", filter=Q(memberships__end_date__isnull=True)))
    )
    # The regions in scope, plus those of visible teams (an Anggota Tim sees the teams it sits on).
    team_regions = {t.region_id for t in teams}
    regions = [r for r in province_and_regencies() if scope.covers(r.code) or r.pk in team_regions]
    chairs = {
        m.team_id: m
        for m in Membership.objects.filter(team__in=[t.pk for t in teams], role=Membership.Role.KETUA, end_date=None)
        .select_related("person")
    }
    plans, current = plans_with_achievement(user=user, year=today.year, period=current_b_period(today))
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
    people = Person.objects.restrict(user, "view").aggregate(total=Count("id"))
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
        "b_period": current_b_period(today),
        "b_achievement": current,
        "next_deadline": next_deadline(today),
    }


# --- Incidents, Status Keadaan Konflik, current-period achievement (office dashboard) --------------

DASHBOARD_PERIODS = {
    "7h": _("7 hari terakhir"),
    "30h": _("30 hari terakhir"),
    "cw": _("Caturwulan berjalan"),
    "th": _("Tahun berjalan"),
}
DEFAULT_PERIOD = "30h"
SERIES_WEEKS = 26
CACHE_SECONDS = generations.CACHE_SECONDS


def dashboard_period(code: str | None, today: datetime.date) -> tuple[str, str, datetime.date, datetime.date]:
    """(code, label, first day, last day) of the period selector; an unknown code is the default."""
    code = code if code in DASHBOARD_PERIODS else DEFAULT_PERIOD
    if code == "7h":
        start = today - datetime.timedelta(days=6)
    elif code == "30h":
        start = today - datetime.timedelta(days=29)
    elif code == "cw":
        start = datetime.date(today.year, 1 + 4 * ((today.month - 1) // 4), 1)
    else:
        start = datetime.date(today.year, 1, 1)
    return code, str(DASHBOARD_PERIODS[code]), start, today


def current_b_period(today: datetime.date) -> str:
    return {0: "B04", 1: "B08", 2: "B12"}[(today.month - 1) // 4]


def incident_overview(*, user, today: datetime.date, period: str | None = None) -> dict:
    """Incident figures of the dashboard (the incidents the login may see, drafts excluded), in three
    queries whatever the volume: conditional counts grouped by region, source and week over the dates
    the figures need, the open incidents grouped by region and severity (the cards, the map, the three
    charts) and the Status Keadaan Konflik in force. Dates are occurrence dates, as the list's
    date filter, so every number equals the filtered list it links to."""
    from django.db.models import Case, DateField, Value, When
    from django.db.models.functions import TruncWeek

    from incidents.models import ConflictStatus, Incident
    from incidents.selectors import awaiting_verification

    code, label, p_start, p_end = dashboard_period(period, today)
    week_start = today - datetime.timedelta(days=today.weekday())
    prev_week_start = week_start - datetime.timedelta(days=7)
    month_start = today.replace(day=1)
    prev_month_start = (month_start - datetime.timedelta(days=1)).replace(day=1)
    qs = Incident.objects.restrict(user, "view").exclude(status=Incident.Status.DRAF)

    def between(a, b):
        return Q(occurred_on__gte=a, occurred_on__lte=b)

    first_week = week_start - datetime.timedelta(weeks=SERIES_WEEKS - 1)
    # Two grouped queries, each reading only the rows it counts through an index (a nation-wide reader
    # has a million incidents; a pass over all of them took seconds): the dated figures over the
    # window of dates they need, per region, source and week of the 26-week series (older: week NULL)...
    window_start = min(first_week, prev_month_start, prev_week_start, p_start)
    bucket = Case(When(occurred_on__gte=first_week, occurred_on__lte=today, then=TruncWeek("occurred_on")),
                  default=Value(None), output_field=DateField())
    dated = list(
        qs.filter(occurred_on__gte=window_start).annotate(wk=bucket)
        .values("region_id", "region__code", "region__name", "source", "wk").annotate(
            all=Count("id"),
            week=Count("id", filter=between(week_start, today)),
            prev_week=Count("id", filter=between(prev_week_start, week_start - datetime.timedelta(days=1))),
            month=Count("id", filter=between(month_start, today)),
            prev_month=Count("id", filter=between(prev_month_start, month_start - datetime.timedelta(days=1))),
            period=Count("id", filter=between(p_start, p_end)),
        ).order_by()
    )
    # ...and the open ones whatever their date, per region and severity.
    open_rows = list(
        qs.filter(status__in=Incident.OPEN_STATUSES).values("region_id", "region__code", "region__name", "severity")
        .annotate(open=Count("id"), awaiting=Count("id", filter=Q(status=Incident.Status.DILAPORKAN))).order_by()
    )
    keys = ("week", "prev_week", "month", "prev_month", "period", "open", "awaiting",
            *[f"open_{s}" for s in Incident.Severity.values])
    regions: dict[int, dict] = {}
    weekly: dict[datetime.date, int] = {}
    by_source: dict[str, int] = {}

    def region_of(g):
        return regions.setdefault(g["region_id"], {"id": g["region_id"], "code": g["region__code"],
                                                   "name": g["region__name"], **dict.fromkeys(keys, 0)})

    for g in dated:
        r = region_of(g)
        for k in ("week", "prev_week", "month", "prev_month", "period"):
            r[k] += g[k]
        if g["wk"] is not None:
            monday = g["wk"].date() if isinstance(g["wk"], datetime.datetime) else g["wk"]
            weekly[monday] = weekly.get(monday, 0) + g["all"]
        by_source[g["source"]] = by_source.get(g["source"], 0) + g["period"]
    for g in open_rows:
        r = region_of(g)
        r["open"] += g["open"]
        r["awaiting"] += g["awaiting"]
        r[f"open_{g['severity']}"] += g["open"]
    per_region = sorted(regions.values(), key=lambda r: r["code"])

    def total(key):
        return sum(r[key] for r in per_region)

    series = []
    for i in range(SERIES_WEEKS):
        monday = first_week + datetime.timedelta(weeks=i)
        series.append({"week": monday.isoformat(), "label": f"{monday:%d/%m}", "n": weekly.get(monday, 0)})
    statuses = list(
        ConflictStatus.objects.filter(incident__in=qs, start_date__lte=today, end_date__gte=today)
        .select_related("incident__region").order_by("end_date")
    )
    return {
        "period": {"code": code, "label": label, "start": p_start, "end": p_end},
        "week": {"start": week_start, "end": today, "n": total("week"), "prev": total("prev_week"),
                 "prev_start": prev_week_start, "prev_end": week_start - datetime.timedelta(days=1)},
        "month": {"start": month_start, "end": today, "n": total("month"), "prev": total("prev_month"),
                  "prev_start": prev_month_start, "prev_end": month_start - datetime.timedelta(days=1)},
        "in_period": total("period"),
        "open": total("open"),
        "awaiting": total("awaiting"),
        "open_by_severity": [(s, str(lbl), total(f"open_{s}")) for s, lbl in Incident.Severity.choices],
        "open_high": total("open_tinggi") + total("open_kritis"),
        "regions": [{k: r[k] for k in ("id", "code", "name", "open", "period")} for r in per_region],
        "series": series,
        "by_source": [(s, str(lbl), by_source.get(s, 0)) for s, lbl in Incident.Source.choices],
        "conflict_statuses": statuses,
        # The card counts incidents (the list it links to lists incidents, not decrees).
        "conflict_incidents": len({cs.incident_id for cs in statuses}),
        "awaiting_list": list(awaiting_verification(qs)[:5]),
        # Public reports waiting for triage in the login's region scope (the page shows the number to
        # those who may triage them: the template asks incidents.view_publicreport).
        "public_queue": _public_queue(user),
    }


def _public_queue(user) -> int:
    from incidents.models import PublicReport
    from incidents.selectors import public_reports_waiting

    scope = scope_of(user)
    if scope.all_regions:
        return public_reports_waiting(PublicReport.objects.all())
    if scope.regency_code:
        return public_reports_waiting(PublicReport.objects.filter(region__code=scope.regency_code))
    return 0


def may_view(label: str, user) -> bool:
    """``user`` holds the view permission of model ``label`` ("app_label.model"); the permissions came
    with the user (``kesbang.core.auth``), so the dashboard asks no permission query."""
    app_label, model = label.split(".", 1)
    return user.has_perm(f"{app_label}.view_{model}")


def _incident_cache_scope(user) -> str:
    """Whose incident figures these are. A province-wide login that may read ``rahasia`` (Pimpinan,
    Staf Provinsi, superusers) sees every non-draft incident, the dashboard's whole base: all such
    logins share one cached overview. Any other login's view depends on its region, teams and its own
    reports, so it keeps a key of its own."""
    from incidents.models import reads_every_incident

    if reads_every_incident(user):
        return "province"
    stamp = int(user.date_joined.timestamp()) if user.date_joined else 0
    return f"user-{user.pk}-{stamp}-{_access_stamp(user)}"


def _access_stamp(user) -> str:
    """The login's permissions and region scope (both loaded with the user: no query) as a short key
    part, so a change of role, permission or region never serves figures cached under the old access."""
    import hashlib

    scope = scope_of(user)
    perms = ["*"] if user.is_superuser else sorted(user.get_all_permissions())
    text = "|".join([*perms, str(scope.all_regions), scope.regency_code or "", str(scope.teams)])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


# --- Invalidation: the teams summary and the meetings block are cached until a write changes them ----
# (``kesbang.core.generations``: a generation per block, bumped on every save or delete of a model it
# reads, carried in the cached block's key).

SUMMARY_MODELS = ("teams.Team", "teams.Membership", "teams.Person", "teams.ActionPlan", "teams.Activity",
                  "teams.ActivityPeriod", "teams.ReportingDeadline", "teams.Region", "teams.Institution")
MEETINGS_MODELS = ("meetings.Meeting", "meetings.ActionItem", "teams.Membership", "teams.Team")


def connect_invalidation() -> None:
    """Called once from ``OfficeConfig.ready``."""
    generations.watch("summary", SUMMARY_MODELS)
    generations.watch("meetings", MEETINGS_MODELS)


def _login_key(user) -> str:
    stamp = int(user.date_joined.timestamp()) if user.date_joined else 0
    return f"{user.pk}:{stamp}:{_access_stamp(user)}"


def cached_dashboard_summary(*, user, today: datetime.date) -> dict:
    """``dashboard_summary`` kept until a write changes what it reads (see above), per login (its
    access: roles and region) and day."""
    from django.core.cache import cache

    gen = generations.generation("summary")
    key = f"kesbang:dashboard:summary:{gen}:{_login_key(user)}:{today.isoformat()}"
    summary = cache.get(key)
    if summary is None:
        summary = {**dashboard_summary(user=user, today=today), "token": _token()}
        cache.set(key, summary, CACHE_SECONDS)
    return summary


def _token() -> str:
    """Names one computation of a cached block: the dashboard's drawn fragment is keyed on it."""
    import uuid

    return uuid.uuid4().hex


def office_dashboard(*, user, period: str | None = None, today: datetime.date | None = None) -> dict:
    """The dashboard: the teams summary and the meetings block (kept until a write changes them) and
    the incident aggregates (cached a minute per login, period and day: the page says so), so repeated
    visits cost no aggregate query whatever the number of incidents."""
    from django.core.cache import cache

    today = today or timezone.localdate()
    code = period if period in DASHBOARD_PERIODS else DEFAULT_PERIOD
    summary = cached_dashboard_summary(user=user, today=today)
    data = {"summary": summary, "b_period": summary["b_period"], "b_achievement": summary["b_achievement"]}
    if may_view("incidents.incident", user):
        key = f"kesbang:dashboard:incidents:{_incident_cache_scope(user)}:{code}:{today.isoformat()}"
        overview = cache.get(key)
        if overview is None:
            overview = {**incident_overview(user=user, today=today, period=code), "token": _token()}
            cache.set(key, overview, CACHE_SECONDS)
        data["incidents"] = overview
    if may_view("meetings.meeting", user):
        gen = generations.generation("meetings")
        key = f"kesbang:dashboard:meetings:{gen}:{_login_key(user)}:{today.isoformat()}"
        block = cache.get(key)
        if block is None:
            block = {**meetings_overview(user=user, today=today), "token": _token()}
            cache.set(key, block, CACHE_SECONDS)
        data["meetings"] = block
    return data


def meetings_overview(*, user, today: datetime.date) -> dict:
    """Next meetings (14 days) and overdue action items the login may see: two queries."""
    from meetings.models import Meeting
    from meetings.selectors import meetings_upcoming, overdue_for_secretary

    upcoming = list(meetings_upcoming(today, days=14, meetings=Meeting.objects.restrict(user, "view"))[:5])
    # The same set as the list the number links to (meetings:action_items_overdue), so they agree.
    overdue = overdue_for_secretary(user, today).count()
    return {"upcoming": upcoming, "overdue": overdue}
