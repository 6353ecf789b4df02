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
    own = Membership.objects.filter(team=OuterRef("pk"), person__user=user)
    return Team.objects.filter(scope.q() | Q(Exists(own)))


def team_can_manage(user, team: Team) -> bool:
    """Write rights on one team: the permission (role) and the region (Staf Kab/Kota: own region)."""
    if not user.has_perm("teams.change_team"):
        return False
    if Role.ANGGOTA_TIM in role_names(user) and not user.is_superuser and len(role_names(user)) == 1:
        return False
    return scope_of(user).covers(team.region.code)


def team_list(*, user) -> QuerySet[Team]:
    """Teams with their active-member count, region and plan years (for the list page)."""
    return (
        teams_visible_to(user)
        .select_related("region")
        .annotate(
            active_members=Count("memberships", filter=Q(memberships__end_date__isnull=True), distinct=True),
            plan_count=Count("action_plans", distinct=True),
        )
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
