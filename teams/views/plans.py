"""Views: Rencana Aksi Terpadu (plans, activities, realisation, evidence, export).

Class-based on the core bases: the role's permission first (403), the object through
``Model.objects.restrict(user, ...)`` (another region's plan is a 404; visible but not manageable is
a 403), then one form and one service.
"""

from django.http import Http404
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from kesbang.core.spreadsheets import xlsx_response
from kesbang.core.views import ProtectedView, ScopedObjectMixin, ServiceActionView, ServiceFormView
from teams import plan_selectors, services
from teams.deadlines import period_deadline
from teams.models import ActionPlan, Activity, ActivityPeriod, Evidence, Period, Team
from teams.plan_forms import ActionPlanForm, ActivityForm, RealisationForm
from teams.selectors import team_can_manage
from teams.tables import PlanRows

READ_PERM = "teams.view_actionplan"


def _can_manage(user, team: Team, *perms: str) -> bool:
    return user.has_perms(perms) and team_can_manage(user, team)


def _year_param(request) -> int | None:
    raw = request.GET.get("tahun", "").strip()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


class PlanScopedMixin(ScopedObjectMixin):
    """An object below a team (plan, activity, period, evidence), looked up with its team and region;
    writes need the view's permissions and ``team_can_manage`` (else 403)."""

    scope_action = "change"
    team_path = "team"
    http_method_names = ["get", "post", "head", "options"]

    def team_of(self, obj) -> Team:
        for part in self.team_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def may_change(self, obj) -> bool:
        return team_can_manage(self.request.user, self.team_of(obj))


# --- Plans ------------------------------------------------------------------------------------------


class PlanListView(ProtectedView, TemplateView):
    permission_required = READ_PERM
    template_name = "teams/plan_list.html"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs):
        plans = ActionPlan.objects.restrict(self.request.user, "view")
        year = _year_param(self.request)
        return super().get_context_data(
            plans=plan_selectors.plan_list(plans, year=year), years=plan_selectors.plan_years(plans), year=year,
            **kwargs,
        )


class PlanCreateView(ScopedObjectMixin, ServiceFormView):
    permission_required = (READ_PERM, "teams.add_actionplan")
    template_name = "teams/plan_form.html"
    form_class = ActionPlanForm
    model = Team
    scope_action = "change"
    pk_url_kwarg = "team_pk"
    context_object_name = "team"

    def get_scoped_queryset(self):
        return Team.objects.select_related("region")

    def may_change(self, obj) -> bool:
        return team_can_manage(self.request.user, obj)

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=None, **kwargs)

    def perform(self, form):
        return services.plan_create(team=self.object, user=self.request.user, **form.cleaned_data)

    def get_success_message(self, plan):
        return _("Rencana Aksi %(year)s dibuat. Tambahkan kegiatannya.") % {"year": plan.year}


class PlanPageView(ProtectedView, PlanScopedMixin, TemplateView):
    """A read-only page of one plan (with its team and region) for a login that may see it."""

    permission_required = READ_PERM
    model = ActionPlan
    scope_action = "view"
    context_object_name = "plan"
    http_method_names = ["get", "head", "options"]

    def get_scoped_queryset(self):
        return ActionPlan.objects.select_related("team__region")


class PlanHistoryView(PlanPageView):
    """Every change of the plan, its activities and realisations: who, when, old → new (core
    ``change_log``), on a page of its own as an incident's and a team's are."""

    template_name = "teams/plan_history.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(change_log=plan_selectors.plan_change_log(self.object), **kwargs)


class PlanDetailView(PlanPageView):
    template_name = "teams/plan_detail.html"

    def get_context_data(self, **kwargs):
        user, plan = self.request.user, self.object
        team = plan.team
        detail = plan_selectors.plan_summary(plan)
        can_edit = _can_manage(user, team, "teams.change_activity")
        can_delete = _can_manage(user, team, "teams.delete_activity")
        rows = PlanRows(detail, csrf_token=get_token(self.request), can_edit=can_edit, can_delete=can_delete,
                        can_report=_can_manage(user, team, "teams.change_activityperiod"))
        return super().get_context_data(
            detail=detail,
            phase_rows=[(group, rows.table_html(group), rows.cards_html(group)) for group in detail.phases],
            can_edit_plan=_can_manage(user, team, "teams.change_actionplan"),
            can_add_activity=_can_manage(user, team, "teams.add_activity"),
            can_edit_activity=can_edit,
            can_delete_activity=can_delete,
            can_report=rows.can_report,
            **kwargs,
        )


class PlanUpdateView(PlanScopedMixin, ServiceFormView):
    permission_required = (READ_PERM, "teams.change_actionplan")
    template_name = "teams/plan_form.html"
    form_class = ActionPlanForm
    model = ActionPlan
    context_object_name = "plan"

    def get_scoped_queryset(self):
        return ActionPlan.objects.select_related("team__region")

    def get_initial(self):
        return {n: getattr(self.object, n) for n in ("year", "legal_basis_number", "legal_basis_date", "notes")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=self.object.team, **kwargs)

    def perform(self, form):
        return services.plan_update(plan=self.object, user=self.request.user, **form.cleaned_data)

    def get_success_message(self, plan):
        return _("Rencana Aksi diperbarui.")


class PlanExportView(ProtectedView, PlanScopedMixin, TemplateView):
    permission_required = READ_PERM
    model = ActionPlan
    scope_action = "view"
    http_method_names = ["get", "head", "options"]

    def get_scoped_queryset(self):
        return ActionPlan.objects.select_related("team__region")

    def get(self, request, *args, **kwargs):
        plan = self.object
        content = plan_selectors.plan_workbook(plan_selectors.plan_summary(plan))
        return xlsx_response(content, f"rencana-aksi-{slugify(plan.team.name)}-{plan.year}.xlsx")


# --- Activities -------------------------------------------------------------------------------------


class ActivityCreateView(PlanScopedMixin, ServiceFormView):
    permission_required = (READ_PERM, "teams.add_activity")
    template_name = "teams/activity_form.html"
    form_class = ActivityForm
    model = ActionPlan
    pk_url_kwarg = "plan_pk"
    context_object_name = "plan"

    def get_scoped_queryset(self):
        return ActionPlan.objects.select_related("team__region")

    def get_initial(self):
        return {"phase": self.request.GET.get("tahap") or None}

    def get_context_data(self, **kwargs):
        return super().get_context_data(activity=None, **kwargs)

    def perform(self, form):
        return services.activity_create(
            plan=self.object, targets=form.targets(), user=self.request.user, **form.activity_fields()
        )

    def get_success_message(self, activity):
        return _("Kegiatan ditambahkan.")

    def get_success_url_for(self, activity):
        if "simpan_tambah" in self.request.POST:
            return self.request.path
        return self.object.get_absolute_url()


class ActivityScopedMixin(PlanScopedMixin):
    model = Activity
    team_path = "plan__team"
    context_object_name = "activity"

    def get_scoped_queryset(self):
        return Activity.objects.select_related("plan__team__region", "responsible_institution")


class ActivityUpdateView(ActivityScopedMixin, ServiceFormView):
    permission_required = (READ_PERM, "teams.change_activity")
    template_name = "teams/activity_form.html"
    form_class = ActivityForm

    def get_initial(self):
        return ActivityForm.initial_for(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.object.plan, **kwargs)

    def perform(self, form):
        return services.activity_update(
            activity=self.object, targets=form.targets(), user=self.request.user, **form.activity_fields()
        )

    def get_success_message(self, activity):
        return _("Kegiatan diperbarui.")

    def get_success_url_for(self, activity):
        return self.object.plan.get_absolute_url()


class ActivityDeleteView(ActivityScopedMixin, ServiceActionView):
    permission_required = (READ_PERM, "teams.delete_activity")

    def perform(self):
        services.activity_delete(activity=self.object, user=self.request.user)
        return self.object

    def get_success_message(self, activity):
        return _("Kegiatan “%(name)s” dihapus.") % {"name": activity.name}

    def get_success_url_for(self, activity):
        return self.object.plan.get_absolute_url()


# --- Realisation and evidence -----------------------------------------------------------------------


class RealisationUpdateView(PlanScopedMixin, ServiceFormView):
    """One activity's realisation for one period, with evidence upload (``?pk`` is the activity)."""

    permission_required = (READ_PERM, "teams.change_activityperiod")
    template_name = "teams/activity_realisation.html"
    form_class = RealisationForm
    model = ActivityPeriod
    team_path = "activity__plan__team"
    context_object_name = "activity_period"

    def get_scoped_queryset(self):
        from django.db.models import Prefetch

        return (
            ActivityPeriod.objects.select_related("activity__plan__team__region", "activity__responsible_institution")
            .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")))
        )

    def get_lookup(self) -> dict:
        if self.kwargs["period"] not in Period.values:
            raise Http404(_("Periode tidak dikenal."))
        return {"activity_id": self.kwargs["pk"], "period": self.kwargs["period"]}

    def get_initial(self):
        return {"realisation": self.object.realisation, "narrative": self.object.narrative}

    def form_valid(self, form):
        from django.core.exceptions import PermissionDenied

        if form.cleaned_data.get("evidence") and not self.request.user.has_perm("teams.add_evidence"):
            raise PermissionDenied
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        activity_period = self.object
        plan = activity_period.activity.plan
        period = activity_period.period
        return super().get_context_data(
            plan=plan,
            activity=activity_period.activity,
            period_label=Period(period).label,
            deadline=period_deadline(plan.year, period),
            evidence=list(activity_period.evidence.all()),
            can_delete_evidence=_can_manage(self.request.user, plan.team, "teams.delete_evidence"),
            **kwargs,
        )

    def perform(self, form):
        uploaded = form.cleaned_data.get("evidence")
        return services.realisation_record(
            activity_period=self.object,
            realisation=form.cleaned_data["realisation"],
            narrative=form.cleaned_data["narrative"],
            user=self.request.user,
            evidence_files=[uploaded] if uploaded else [],
        )

    def get_success_message(self, activity_period):
        return _("Realisasi %(period)s untuk “%(name)s” disimpan.") % {
            "period": activity_period.period, "name": activity_period.activity.name}

    def get_success_url_for(self, activity_period):
        return f"{activity_period.activity.plan.get_absolute_url()}#kegiatan-{activity_period.activity_id}"


class EvidenceScopedMixin(PlanScopedMixin):
    model = Evidence
    team_path = "activity_period__activity__plan__team"
    context_object_name = "evidence"

    def get_scoped_queryset(self):
        return Evidence.objects.select_related("activity_period__activity__plan__team__region")


class EvidenceDownloadView(ProtectedView, EvidenceScopedMixin, TemplateView):
    permission_required = READ_PERM
    scope_action = "view"
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        evidence = self.object
        return evidence.file_response()


class EvidenceDeleteView(EvidenceScopedMixin, ServiceActionView):
    permission_required = (READ_PERM, "teams.delete_evidence")

    def perform(self):
        services.evidence_delete(evidence=self.object, user=self.request.user)
        return self.object

    def get_success_message(self, evidence):
        return _("Bukti “%(name)s” dihapus.") % {"name": evidence.original_name}

    def get_success_url_for(self, evidence):
        ap = evidence.activity_period
        from django.urls import reverse

        return reverse("teams:realisation_update", kwargs={"pk": ap.activity_id, "period": ap.period})


urlpatterns = [
    path("rencana-aksi/", PlanListView.as_view(), name="plan_list"),
    path("<id:team_pk>/rencana-aksi/baru/", PlanCreateView.as_view(), name="plan_create"),
    path("rencana-aksi/<id:pk>/", PlanDetailView.as_view(), name="plan_detail"),
    path("rencana-aksi/<id:pk>/ubah/", PlanUpdateView.as_view(), name="plan_update"),
    path("rencana-aksi/<id:pk>/riwayat/", PlanHistoryView.as_view(), name="plan_history"),
    path("rencana-aksi/<id:pk>/unduh.xlsx", PlanExportView.as_view(), name="plan_export"),
    path("rencana-aksi/<id:plan_pk>/kegiatan/baru/", ActivityCreateView.as_view(), name="activity_create"),
    path("rencana-aksi/kegiatan/<id:pk>/ubah/", ActivityUpdateView.as_view(), name="activity_update"),
    path("rencana-aksi/kegiatan/<id:pk>/hapus/", ActivityDeleteView.as_view(), name="activity_delete"),
    path("rencana-aksi/kegiatan/<id:pk>/realisasi/<str:period>/", RealisationUpdateView.as_view(),
         name="realisation_update"),
    path("rencana-aksi/bukti/<id:pk>/unduh/", EvidenceDownloadView.as_view(), name="evidence_download"),
    path("rencana-aksi/bukti/<id:pk>/hapus/", EvidenceDeleteView.as_view(), name="evidence_delete"),
]
