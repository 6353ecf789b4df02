"""Authorisation as queryset methods (DESIGN.md house style 4): ``Meeting.objects.restrict(user, action)``.

- every method first asks the model's view permission (``meetings.view_meeting`` ...): a login without
  it (no role) gets nothing.
- view: Administrator, Pimpinan, Staf Provinsi (and any login whose person sits at the province) see
  every meeting; Staf Kabupaten/Kota see the meetings of their region's teams; everybody also sees the
  meetings they were invited to (that is all an Anggota Tim sees).
- change: the ``meetings.change_meeting`` permission and the organising team's region in the login's
  scope (Pimpinan and Anggota Tim change nothing).
- action items: as their meeting, plus the items a login's person owns (view and change: an owner
  updates progress on their own items).
"""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from kesbang.core.querysets import RestrictedQuerySet
from teams.access import scope_of


def _person_user_q(user, field: str) -> Q:
    return Q(**{f"{field}__user": user})


def _model(name: str):
    """A meetings model through the app registry (meetings.models imports this module)."""
    return apps.get_model("meetings", name)


def _may_view(user, model_name: str) -> bool:
    """The login holds ``meetings.view_<model>`` (through its groups): without it (no role), nothing."""
    return user.has_perm(f"meetings.view_{model_name}")


class MeetingQuerySet(RestrictedQuerySet):
    def _restrict(self, user, action):
        if not _may_view(user, "meeting"):
            return self.none()
        scope = scope_of(user)
        if action == "view":
            if scope.all_regions:
                return self
            invited = _model("Invitation").objects.filter(meeting=OuterRef("pk"), person__user=user)
            if scope.empty:
                return self.filter(Exists(invited))
            return self.filter(scope.q("team__region__code") | Q(Exists(invited)))
        if not user.has_perm("meetings.change_meeting") or scope.empty:
            return self.none()
        return self if scope.all_regions else self.filter(scope.q("team__region__code"))


class InvitationQuerySet(RestrictedQuerySet):
    def _restrict(self, user, action):
        return self.filter(meeting__in=_model("Meeting").objects.restrict(user, action).values("pk"))


class ActionItemQuerySet(RestrictedQuerySet):
    def _restrict(self, user, action):
        if not _may_view(user, "actionitem"):
            return self.none()
        own = _person_user_q(user, "owner_person")
        if action == "view" and scope_of(user).all_regions:
            return self
        return self.filter(Q(meeting__in=_model("Meeting").objects.restrict(user, action).values("pk")) | own)

    def open(self):
        return self.exclude(status__in=self.model.CLOSED_STATUSES)


def meeting_can_change(user, meeting) -> bool:
    """The same rule as ``restrict(user, "change")`` for one fetched meeting, without a query
    (``meeting.team.region`` selected; scope and permissions are cached on the user)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("meetings.change_meeting"):
        return False
    return scope_of(user).covers(meeting.team.region.code)
