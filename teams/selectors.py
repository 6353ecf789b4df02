"""Reads that matter for the organisation, each owning its joins and counts (house style 3, 4).

Every ``*_visible_to(user)`` is the authorisation: views fetch through it, so an object outside the
login's region is a 404 exactly like a missing one.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from teams.access import Role, role_names, scope_of
from teams.models import ActionPlan, Membership, Person, Team


def teams_visible_to(user) -> QuerySet[Team]:
    scope = scope_of(user)
    if scope.all_regions:
        return Team.objects.all()
    # Only a current membership opens a team: a member whose membership ended reads it no more.
    own = Membership.objects.filter(team=OuterRef("pk"), person__user=user, end_date__isnull=True)
    return Team.objects.filter(scope.q() | Q(Exists(own)))


def team_can_manage(user, team: Team) -> bool:
    """Write rights on one team: the permission (role) and the region (Staf Kab/Kota: own region)."""
    if not user.has_perm("teams.change_team"):
        return False
    if Role.ANGGOTA_TIM in role_names(user) and not user.is_superuser and len(role_names(user)) == 1:
        return False
    return scope_of(user).covers(team.region.code)


def team_list(*, user) -> QuerySet[Team]:
    """Teams with their region and active-member count (for the list page). Only what the table shows:
    a second to-many count would join memberships × plans for every team."""
    return (
        teams_visible_to(user)
        .select_related("region")
        .annotate(active_members=Count("memberships", filter=Q(memberships__end_date__isnull=True), distinct=True))
    )


def team_detail(*, user, pk: int) -> Team:
    """One visible team with its memberships (person, institution) in one round of queries."""
    from django.shortcuts import get_object_or_404

    memberships = Membership.objects.select_related("person__institution", "replaces__person").order_by(
        "start_date", "id"
    )
    qs = teams_visible_to(user).select_related("region").prefetch_related(
        Prefetch("memberships", queryset=memberships),
        Prefetch("action_plans", queryset=ActionPlan.objects.order_by("-year")),
    )
    return get_object_or_404(qs, pk=pk)


def members_by_role(team: Team) -> list[tuple[str, list[Membership]]]:
    """Active memberships of a prefetched team grouped by role, in lampiran-SK order."""
    active = [m for m in team.memberships.all() if m.end_date is None]
    groups = []
    for role in Membership.Role:
        members = [m for m in active if m.role == role.value]
        if members:
            groups.append((role.label, members))
    return groups


def memberships_visible_to(user) -> QuerySet[Membership]:
    return Membership.objects.filter(team__in=teams_visible_to(user))


def people_visible_to(user) -> QuerySet[Person]:
    """People of the login's region, plus anyone sitting on a team the login may see."""
    scope = scope_of(user)
    if scope.all_regions:
        return Person.objects.all()
    on_visible_team = Membership.objects.filter(person=OuterRef("pk"), team__in=teams_visible_to(user))
    return Person.objects.filter(scope.q() | Q(Exists(on_visible_team)))


def action_plans_visible_to(user) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.filter(team__in=teams_visible_to(user))


# --- Register pages: teams, memberships, people (list, detail, history) ----------------------------


def team_regions_for(user):
    """Regions a login may register a team (or place a person) in: the province and its
    regencies/cities, limited to the login's scope."""
    from teams.models import Region

    levels = [Region.Level.PROVINSI, Region.Level.KABUPATEN, Region.Level.KOTA]
    return Region.objects.filter(level__in=levels).filter(scope_of(user).q("code")).order_by("code")


def membership_history(team: Team) -> list[Membership]:
    """Ended memberships of a team fetched by ``team_detail``, latest end first, each with
    ``replacement`` (the membership that took the seat, or None), without further queries."""
    memberships = list(team.memberships.all())
    replacement_of = {m.replaces_id: m for m in memberships if m.replaces_id}
    ended = [m for m in memberships if m.end_date is not None]
    for membership in ended:
        membership.replacement = replacement_of.get(membership.pk)
    ended.sort(key=lambda m: (m.end_date, m.start_date, m.pk), reverse=True)
    return ended


def team_for_write(*, user, pk: int) -> Team:
    """One visible team with its region and nothing prefetched (what services lock and change)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(teams_visible_to(user).select_related("region"), pk=pk)


def membership_for_write(*, user, pk: int) -> Membership:
    """One visible membership with its team, region and person (404 when outside the scope)."""
    from django.shortcuts import get_object_or_404

    qs = memberships_visible_to(user).select_related("team__region", "person__institution")
    return get_object_or_404(qs, pk=pk)


def membership_candidates(*, user, team: Team) -> QuerySet[Person]:
    """People the login may seat on ``team``: visible to them and not already active on it."""
    active = Membership.objects.filter(team=team, end_date__isnull=True).values("person_id")
    return people_visible_to(user).exclude(pk__in=active)


def person_list(*, user) -> QuerySet[Person]:
    """Visible people with institution, region and their number of active memberships."""
    return (
        people_visible_to(user)
        .select_related("institution", "region")
        .annotate(active_memberships=Count("memberships", filter=Q(memberships__end_date__isnull=True), distinct=True))
    )


def person_detail(*, user, pk: int) -> Person:
    """One visible person with their memberships on teams the login may see, active first."""
    from django.db.models import F
    from django.shortcuts import get_object_or_404

    memberships = (
        memberships_visible_to(user)
        .select_related("team__region", "replaces__person")
        .order_by(F("end_date").desc(nulls_first=True), "-start_date", "-id")
    )
    qs = people_visible_to(user).select_related("institution", "region", "user").prefetch_related(
        Prefetch("memberships", queryset=memberships)
    )
    return get_object_or_404(qs, pk=pk)


def _history_value(field, value, related: dict) -> str:
    from django.utils.formats import date_format

    if value is None or value == "":
        return "—"
    if field.is_relation:
        obj = related.get(field.related_model, {}).get(value)
        return str(obj) if obj is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "year") and not hasattr(value, "hour"):
        return date_format(value, "j F Y")
    return str(value)


def history_changes(model, record, before, *, excluded: set[str], related: dict) -> list[dict]:
    """The fields that differ between two django-simple-history records of one object, each with
    its label and old and new values in words (related objects from ``related``, no queries)."""
    changes = []
    for change in record.diff_against(before, excluded_fields=excluded).changes:
        field = model._meta.get_field(change.field)
        changes.append({
            "field": str(field.verbose_name),
            "old": _history_value(field, change.old, related),
            "new": _history_value(field, change.new, related),
        })
    return changes


def team_change_log(team: Team, *, limit: int = 100) -> list[dict]:
    """The django-simple-history records of a team and of its memberships, newest first: who,
    when, which object, and for a change the fields with old and new values (``diff_against``
    on records loaded together, so the query count does not grow with the number of records)."""
    from teams.models import Person, Region

    team_records = list(
        Team.history.filter(id=team.pk).select_related("history_user").order_by("history_date", "history_id")
    )
    member_records = list(
        Membership.history.filter(team_id=team.pk)
        .select_related("history_user", "person")
        .order_by("id", "history_date", "history_id")
    )
    # Foreign keys that appear in a change are shown by name: load each related model once.
    wanted: dict = {Region: set(), Person: set(), Membership: set()}
    for record in team_records:
        wanted[Region].add(record.region_id)
    for record in member_records:
        wanted[Person].add(record.person_id)
        if record.replaces_id:
            wanted[Membership].add(record.replaces_id)
    related = {
        Region: Region.objects.in_bulk(wanted[Region] - {None}),
        Person: Person.objects.in_bulk(wanted[Person] - {None}),
        Membership: Membership.objects.select_related("person").in_bulk(wanted[Membership] - {None}),
        Team: {team.pk: team},
    }
    # A membership record is shown by its person, not "person — role (team)".
    related[Membership] = {pk: m.person for pk, m in related[Membership].items()}

    entries = []
    for model, records, hidden in (
        (Team, team_records, {"created_at", "level"}),
        (Membership, member_records, {"team"}),
    ):
        previous = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            changes = []
            if record.history_type == "~" and before is not None:
                changes = history_changes(model, record, before, excluded=hidden, related=related)
                if not changes:
                    continue
            user = record.history_user
            entries.append({
                "date": record.history_date,
                "type": record.history_type,
                "user": (user.get_full_name() or user.get_username()) if user else None,
                "kind": "team" if model is Team else "membership",
                "object": record.name if model is Team else record.person.name if record.person else "—",
                "role": None if model is Team else Membership.Role(record.role).label,
                "changes": changes,
                "reason": record.history_change_reason or "",
            })
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:limit]
