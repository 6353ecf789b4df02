"""Authorisation of the teams models as queryset methods (NetBox's RestrictedQuerySet, house style 4).

Every method first asks the model's view permission (``teams.view_team``, ``teams.view_person`` ...,
held through the login's groups): a login without it (no role) gets nothing.
``Team.objects.restrict(user, "view")``: the teams of the login's region scope (all for provincial
roles) plus the teams the login's person currently sits on. ``"change"``: teams of the login's region scope
for a login holding ``teams.change_team`` (Pimpinan and Anggota Tim change nothing). Memberships,
plans, activities, their periods and evidence follow their team; people are visible in the
login's region and on any team the login may see, and changeable in the login's region.
"""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, Subquery

from kesbang.core.querysets import RestrictedQuerySet
from teams.access import scope_of


def _may_manage_teams(user) -> bool:
    return user.has_perm("teams.change_team")


def _may_view(user, queryset) -> bool:
    """The login holds the view permission of the queryset's model (through its groups)."""
    opts = queryset.model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def _model(name: str):
    """A teams model through the app registry (teams.models imports this module)."""
    return apps.get_model("teams", name)


class TeamQuerySet(RestrictedQuerySet):
    def _restrict(self, user, action):
        if not _may_view(user, self):
            return self.none()
        scope = scope_of(user)
        if action == "change":
            if not _may_manage_teams(user):
                return self.none()
            return self.all() if scope.all_regions else self.filter(scope.q())
        if scope.all_regions:
            return self.all()
        Membership = _model("Membership")

        # Only a current membership opens a team: a member whose membership ended reads it no more.
        own = Membership.objects.filter(person__user=user, end_date__isnull=True).order_by().values("team_id")
        if not scope.regency_code:
            return self.filter(pk__in=own)
        # The two ways in as one UNION, not "region OR EXISTS(membership)": PostgreSQL guessed half of
        # all teams for that OR and walked every region of the country in code order for a regency
        # login's 50-row member list (national volume: 114 ms of SQL; 0.6 ms now, make bench). A team
        # is the province's or one regency/city's (Team.clean: its level is its region's), so the
        # regency scope's teams are those of the regency itself, named by an InitPlan
        # ``region_id = (SELECT id ... LIMIT 1)`` as the incidents' scope does (incidents.models).
        Region = _model("Region")
        regency = Subquery(Region.objects.filter(code=scope.regency_code).values("id")[:1])
        in_scope = self.model._default_manager.filter(region_id=regency).order_by().values("pk")
        return self.filter(pk__in=in_scope.union(own))


class TeamChildQuerySet(RestrictedQuerySet):
    """Rows that belong to one team through ``team_path`` ("team", "plan__team", ...)."""

    team_path = "team"

    def _restrict(self, user, action):
        Team = _model("Team")

        if not _may_view(user, self):
            return self.none()
        scope = scope_of(user)
        if scope.all_regions and (action == "view" or _may_manage_teams(user)):
            return self.all()
        return self.filter(**{f"{self.team_path}__in": Team.objects.restrict(user, action)})


class MembershipQuerySet(TeamChildQuerySet):
    team_path = "team"


class ActionPlanQuerySet(TeamChildQuerySet):
    team_path = "team"


class ActivityQuerySet(TeamChildQuerySet):
    team_path = "plan__team"


class ActivityPeriodQuerySet(TeamChildQuerySet):
    team_path = "activity__plan__team"


class EvidenceQuerySet(TeamChildQuerySet):
    team_path = "activity_period__activity__plan__team"


class PersonQuerySet(RestrictedQuerySet):
    def _restrict(self, user, action):
        if not _may_view(user, self):
            return self.none()
        scope = scope_of(user)
        if scope.all_regions:
            return self.all()
        if action == "change":
            return self.filter(scope.q())
        Membership = _model("Membership")
        Team = _model("Team")

        on_visible_team = Membership.objects.filter(person=OuterRef("pk"), team__in=Team.objects.restrict(user, "view"))
        return self.filter(scope.q() | Q(Exists(on_visible_team)))
