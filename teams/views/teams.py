"""Views: the Tim Terpadu register (list, detail, create, edit, end) and membership actions.

Thin adapters (house style 1) on the core bases: the permission first (403), the object through
``Model.objects.restrict(user, ...)`` (404 outside the login's scope, 403 when visible but not
manageable), then one form and one service.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from kesbang.core.views import ListTableView, ProtectedView, ScopedObjectMixin, ServiceFormView
from teams import selectors, services
from teams.filters import TeamFilter
from teams.forms import MembershipAddForm, MembershipEndForm, MembershipReplaceForm, TeamEndForm, TeamForm
from teams.models import Membership, Person, Team
from teams.tables import TeamMemberRows, TeamTable


class TeamScopedMixin(ScopedObjectMixin):
    """The team of the URL: visible (else 404) and manageable by the login (else 403)."""

    model = Team
    scope_action = "change"
    context_object_name = "team"

    def get_scoped_queryset(self):
        return Team.objects.select_related("region")

    def may_change(self, obj) -> bool:
        return selectors.team_can_manage(self.request.user, obj)

    @property
    def team(self) -> Team:
        return self.get_object()


class MembershipScopedMixin(ScopedObjectMixin):
    """The membership of the URL: visible (404), on a team the login may manage (403), still active
    (otherwise back to the team with a note)."""

    model = Membership
    scope_action = "change"
    context_object_name = "membership"

    def get_scoped_queryset(self):
        return Membership.objects.select_related("team__region", "person__institution")

    def may_change(self, obj) -> bool:
        return selectors.team_can_manage(self.request.user, obj.team)

    @property
    def membership(self) -> Membership:
        return self.get_object()

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        if not self.membership.is_active:
            messages.info(request, _("Keanggotaan ini sudah berakhir; tidak ada yang perlu diubah."))
            return redirect(self.membership.team)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "membership": self.membership}

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=self.membership.team, **kwargs)

    def get_success_url_for(self, result):
        return self.membership.team.get_absolute_url() + "#anggota"


# --- Teams ------------------------------------------------------------------------------------------


class TeamListView(ListTableView):
    permission_required = "teams.view_team"
    template_name = "teams/team_list.html"
    table_class = TeamTable
    filterset_class = TeamFilter

    def get_queryset(self):
        return selectors.team_list(Team.objects.restrict(self.request.user, "view"))


class TeamDetailView(ProtectedView, ScopedObjectMixin, TemplateView):
    permission_required = "teams.view_team"
    template_name = "teams/team_detail.html"
    model = Team
    context_object_name = "team"

    def get_scoped_queryset(self):
        return selectors.team_with_members(Team.objects.all())

    def get_context_data(self, **kwargs):
        user = self.request.user
        team = self.object
        can_manage = selectors.team_can_manage(user, team)
        groups = selectors.members_by_role(team)
        ended = selectors.membership_history(team)
        active = [m for _label, members in groups for m in members]
        can_change_member = can_manage and team.is_active and user.has_perm("teams.change_membership")
        rows = TeamMemberRows(can_change=can_change_member)
        return super().get_context_data(
            member_groups=[(label, members, rows.members_html(members)) for label, members in groups],
            active_count=len(active),
            institution_count=len({m.person.institution_id for m in active}),
            ended_memberships=ended,
            ended_rows=rows.ended_html(ended),
            plans=list(team.action_plans.all()),
            can_manage=can_manage,
            can_add_member=can_manage and team.is_active and user.has_perm("teams.add_membership"),
            can_change_member=can_change_member,
            can_plan=can_manage and user.has_perm("teams.add_actionplan"),
            **kwargs,
        )


class TeamHistoryView(ProtectedView, ScopedObjectMixin, TemplateView):
    """Every change of the team's data and of its memberships: who, when, old → new (core
    ``change_log``). A page of its own, as an incident's is: the team page does not draw it each visit."""

    permission_required = "teams.view_team"
    template_name = "teams/team_history.html"
    model = Team
    context_object_name = "team"
    http_method_names = ["get", "head", "options"]

    def get_scoped_queryset(self):
        return Team.objects.select_related("region")

    def get_context_data(self, **kwargs):
        return super().get_context_data(change_log=selectors.team_change_log(self.object), **kwargs)


class TeamCreateView(ServiceFormView):
    permission_required = "teams.add_team"
    template_name = "teams/team_form.html"
    form_class = TeamForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "regions": selectors.team_regions_for(self.request.user)}

    def perform(self, form):
        return services.team_create(**form.cleaned_data)

    def get_success_message(self, team):
        return _("Tim %(name)s telah didaftarkan. Tambahkan anggotanya.") % {"name": team.name}


class TeamUpdateView(TeamScopedMixin, ServiceFormView):
    permission_required = "teams.change_team"
    template_name = "teams/team_form.html"
    form_class = TeamForm

    def get_initial(self):
        return {name: getattr(self.team, name) for name in TeamForm.base_fields}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "regions": selectors.team_regions_for(self.request.user)}

    def perform(self, form):
        try:
            return services.team_update(team=self.team, **form.cleaned_data)
        except ValidationError:
            self.team.refresh_from_db()  # the service set attributes before refusing; show the saved ones
            raise

    def get_success_message(self, team):
        return _("Perubahan tim %(name)s tersimpan.") % {"name": team.name}


class TeamEndView(TeamScopedMixin, ServiceFormView):
    permission_required = "teams.change_team"
    template_name = "teams/team_end.html"
    form_class = TeamEndForm

    def get(self, request, *args, **kwargs):
        if not self.team.is_active:
            messages.info(request, _("Tim ini sudah berakhir."))
            return redirect(self.team)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "team": self.team}

    def get_context_data(self, **kwargs):
        active = self.team.memberships.filter(end_date__isnull=True).count()
        return super().get_context_data(active_count=active, **kwargs)

    def perform(self, form):
        return services.team_end(team=self.team, end_date=form.cleaned_data["end_date"],
                                 reason=form.cleaned_data["reason"])

    def get_success_message(self, team):
        return _("Masa tugas tim %(name)s telah diakhiri; keanggotaan aktif ikut diakhiri.") % {"name": team.name}


# --- Memberships ------------------------------------------------------------------------------------


class MembershipAddView(TeamScopedMixin, ServiceFormView):
    permission_required = ("teams.add_membership",)
    template_name = "teams/membership_form.html"
    form_class = MembershipAddForm

    def get_form_kwargs(self):
        people = selectors.membership_candidates(people=Person.objects.restrict(self.request.user), team=self.team)
        return {**super().get_form_kwargs(), "team": self.team, "people": people}

    def get(self, request, *args, **kwargs):
        if not self.team.is_active:
            messages.info(request, _("Tim ini sudah berakhir dan tidak dapat menerima anggota baru."))
            return redirect(self.team)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(action="add", **kwargs)

    def perform(self, form):
        return services.membership_start(team=self.team, **form.cleaned_data)

    def get_success_message(self, membership):
        return _("%(person)s ditambahkan sebagai %(role)s.") % {
            "person": membership.person.name, "role": membership.get_role_display()
        }

    def get_success_url_for(self, membership):
        return self.team.get_absolute_url() + "#anggota"


class MembershipEndView(MembershipScopedMixin, ServiceFormView):
    permission_required = ("teams.change_membership",)
    template_name = "teams/membership_form.html"
    form_class = MembershipEndForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(action="end", **kwargs)

    def perform(self, form):
        try:
            return services.membership_end(membership=self.membership, **form.cleaned_data)
        except ValidationError:
            self.membership.refresh_from_db()
            raise

    def get_success_message(self, membership):
        return _("Keanggotaan %(person)s telah diakhiri dan tersimpan di riwayat.") % {
            "person": membership.person.name
        }


class MembershipReplaceView(MembershipScopedMixin, ServiceFormView):
    permission_required = ("teams.change_membership", "teams.add_membership")
    template_name = "teams/membership_form.html"
    form_class = MembershipReplaceForm

    def get_form_kwargs(self):
        people = selectors.membership_candidates(
            people=Person.objects.restrict(self.request.user), team=self.membership.team
        )
        return {**super().get_form_kwargs(), "people": people}

    def get_context_data(self, **kwargs):
        return super().get_context_data(action="replace", **kwargs)

    def perform(self, form):
        try:
            return services.membership_replace(membership=self.membership, **form.cleaned_data)
        except ValidationError:
            self.membership.refresh_from_db()  # the service ended it in memory before rolling back
            raise

    def get_success_message(self, membership):
        return _("%(new)s menggantikan %(old)s sebagai %(role)s.") % {
            "new": membership.person.name, "old": self.membership.person.name, "role": membership.get_role_display()
        }


urlpatterns = [
    path("", TeamListView.as_view(), name="team_list"),
    path("baru/", TeamCreateView.as_view(), name="team_create"),
    path("<id:pk>/", TeamDetailView.as_view(), name="team_detail"),
    path("<id:pk>/ubah/", TeamUpdateView.as_view(), name="team_update"),
    path("<id:pk>/riwayat/", TeamHistoryView.as_view(), name="team_history"),
    path("<id:pk>/akhiri/", TeamEndView.as_view(), name="team_end"),
    path("<id:pk>/anggota/tambah/", MembershipAddView.as_view(), name="membership_add"),
    path("keanggotaan/<id:pk>/akhiri/", MembershipEndView.as_view(), name="membership_end"),
    path("keanggotaan/<id:pk>/ganti/", MembershipReplaceView.as_view(), name="membership_replace"),
]
