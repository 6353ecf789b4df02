"""Views: Rencana Aksi Terpadu (plans, activities, realisation, evidence, export).

Thin adapters (house style 1): fetch through the visibility selectors (another region's plan is a
404), check the role's permission and ``team_can_manage`` for writes (403), bind a form, call one
service, message and redirect.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from teams import plan_selectors, services
from teams.models import Period, Team
from teams.plan_forms import ActionPlanForm, ActivityForm, RealisationForm
from teams.selectors import action_plans_visible_to, team_can_manage, teams_visible_to

READ_PERM = "teams.view_actionplan"


def _require_read(user) -> None:
    """Every page needs the role's view right first: a login without a role is refused (403)."""
    if not user.has_perm(READ_PERM):
        raise PermissionDenied


def _require_manage(user, team: Team, *perms: str) -> None:
    if not user.has_perms(perms) or not team_can_manage(user, team):
        raise PermissionDenied


def _can_manage(user, team: Team, *perms: str) -> bool:
    return user.has_perms(perms) and team_can_manage(user, team)


def _form_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: known fields on the field, the rest on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error.messages if hasattr(error, "messages") else error)
    else:
        form.add_error(None, exc.messages)


def _year_param(request) -> int | None:
    raw = request.GET.get("tahun", "").strip()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


# --- Plans ------------------------------------------------------------------------------------------


@require_safe
def plan_list(request):
    _require_read(request.user)
    year = _year_param(request)
    return render(request, "teams/plan_list.html", {
        "plans": plan_selectors.plan_list(user=request.user, year=year),
        "years": plan_selectors.plan_years(user=request.user),
        "year": year,
    })


@require_http_methods(["GET", "POST"])
def plan_create(request, team_pk: int):
    _require_read(request.user)
    team = get_object_or_404(teams_visible_to(request.user).select_related("region"), pk=team_pk)
    _require_manage(request.user, team, "teams.add_actionplan")
    form = ActionPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(team=team, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Rencana Aksi %(year)s dibuat. Tambahkan kegiatannya.") % {"year": plan.year})
            return redirect(plan.get_absolute_url())
    return render(request, "teams/plan_form.html", {"form": form, "team": team, "plan": None})


@require_safe
def plan_detail(request, pk: int):
    _require_read(request.user)
    detail = plan_selectors.plan_detail(user=request.user, pk=pk)
    team = detail.plan.team
    return render(request, "teams/plan_detail.html", {
        "detail": detail,
        "plan": detail.plan,
        "can_edit_plan": _can_manage(request.user, team, "teams.change_actionplan"),
        "can_add_activity": _can_manage(request.user, team, "teams.add_activity"),
        "can_edit_activity": _can_manage(request.user, team, "teams.change_activity"),
        "can_delete_activity": _can_manage(request.user, team, "teams.delete_activity"),
        "can_report": _can_manage(request.user, team, "teams.change_activityperiod"),
        "change_log": plan_selectors.plan_change_log(detail.plan),
    })


@require_http_methods(["GET", "POST"])
def plan_update(request, pk: int):
    _require_read(request.user)
    plan = get_object_or_404(
        action_plans_visible_to(request.user).select_related("team__region"), pk=pk
    )
    _require_manage(request.user, plan.team, "teams.change_actionplan")
    initial = {n: getattr(plan, n) for n in ("year", "legal_basis_number", "legal_basis_date", "notes")}
    form = ActionPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Rencana Aksi diperbarui."))
            return redirect(plan.get_absolute_url())
    return render(request, "teams/plan_form.html", {"form": form, "team": plan.team, "plan": plan})


@require_safe
def plan_export(request, pk: int):
    _require_read(request.user)
    detail = plan_selectors.plan_detail(user=request.user, pk=pk)
    content = plan_selectors.plan_workbook(detail)
    filename = f"rencana-aksi-{slugify(detail.plan.team.name)}-{detail.plan.year}.xlsx"
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Activities -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def activity_create(request, plan_pk: int):
    _require_read(request.user)
    plan = get_object_or_404(
        action_plans_visible_to(request.user).select_related("team__region"), pk=plan_pk
    )
    _require_manage(request.user, plan.team, "teams.add_activity")
    form = ActivityForm(request.POST or None, initial={"phase": request.GET.get("tahap") or None})
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(
                plan=plan, targets=form.targets(), user=request.user, **form.activity_fields()
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Kegiatan ditambahkan."))
            if "simpan_tambah" in request.POST:
                return redirect("teams:activity_create", plan_pk=plan.pk)
            return redirect(plan.get_absolute_url())
    return render(request, "teams/activity_form.html", {"form": form, "plan": plan, "activity": None})


@require_http_methods(["GET", "POST"])
def activity_update(request, pk: int):
    _require_read(request.user)
    activity = plan_selectors.activity_for_user(user=request.user, pk=pk)
    plan = activity.plan
    _require_manage(request.user, plan.team, "teams.change_activity")
    form = ActivityForm(request.POST or None, initial=ActivityForm.initial_for(activity))
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                activity=activity, targets=form.targets(), user=request.user, **form.activity_fields()
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Kegiatan diperbarui."))
            return redirect(plan.get_absolute_url())
    return render(request, "teams/activity_form.html", {"form": form, "plan": plan, "activity": activity})


@require_POST
def activity_delete(request, pk: int):
    _require_read(request.user)
    activity = plan_selectors.activity_for_user(user=request.user, pk=pk)
    plan = activity.plan
    _require_manage(request.user, plan.team, "teams.delete_activity")
    services.activity_delete(activity=activity, user=request.user)
    messages.success(request, _("Kegiatan “%(name)s” dihapus.") % {"name": activity.name})
    return redirect(plan.get_absolute_url())


# --- Realisation and evidence -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def realisation_update(request, pk: int, period: str):
    _require_read(request.user)
    if period not in Period.values:
        raise Http404(_("Periode tidak dikenal."))
    activity_period = plan_selectors.activity_period_for_user(user=request.user, activity_pk=pk, period=period)
    activity = activity_period.activity
    plan = activity.plan
    _require_manage(request.user, plan.team, "teams.change_activityperiod")
    initial = {"realisation": activity_period.realisation, "narrative": activity_period.narrative}
    form = RealisationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data.get("evidence")
        if uploaded and not request.user.has_perm("teams.add_evidence"):
            raise PermissionDenied
        try:
            services.realisation_record(
                activity_period=activity_period,
                realisation=form.cleaned_data["realisation"],
                narrative=form.cleaned_data["narrative"],
                user=request.user,
                evidence_files=[uploaded] if uploaded else [],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Realisasi %(period)s untuk “%(name)s” disimpan.") % {
                "period": period, "name": activity.name})
            return redirect(f"{plan.get_absolute_url()}#kegiatan-{activity.pk}")
    deadline = services.period_deadline(plan.year, period)
    return render(request, "teams/activity_realisation.html", {
        "form": form,
        "plan": plan,
        "activity": activity,
        "activity_period": activity_period,
        "period_label": Period(period).label,
        "deadline": deadline,
        "evidence": list(activity_period.evidence.all()),
        "can_delete_evidence": _can_manage(request.user, plan.team, "teams.delete_evidence"),
    })


@require_safe
def evidence_download(request, pk: int):
    _require_read(request.user)
    evidence = plan_selectors.evidence_for_user(user=request.user, pk=pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("Berkas bukti tidak ditemukan di penyimpanan.")) from exc
    return FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )


@require_POST
def evidence_delete(request, pk: int):
    _require_read(request.user)
    evidence = plan_selectors.evidence_for_user(user=request.user, pk=pk)
    activity_period = evidence.activity_period
    _require_manage(request.user, activity_period.activity.plan.team, "teams.delete_evidence")
    services.evidence_delete(evidence=evidence, user=request.user)
    messages.success(request, _("Bukti “%(name)s” dihapus.") % {"name": evidence.original_name})
    return redirect("teams:realisation_update", pk=activity_period.activity_id, period=activity_period.period)


urlpatterns = [
    path("rencana-aksi/", plan_list, name="plan_list"),
    path("<int:team_pk>/rencana-aksi/baru/", plan_create, name="plan_create"),
    path("rencana-aksi/<int:pk>/", plan_detail, name="plan_detail"),
    path("rencana-aksi/<int:pk>/ubah/", plan_update, name="plan_update"),
    path("rencana-aksi/<int:pk>/unduh.xlsx", plan_export, name="plan_export"),
    path("rencana-aksi/<int:plan_pk>/kegiatan/baru/", activity_create, name="activity_create"),
    path("rencana-aksi/kegiatan/<int:pk>/ubah/", activity_update, name="activity_update"),
    path("rencana-aksi/kegiatan/<int:pk>/hapus/", activity_delete, name="activity_delete"),
    path("rencana-aksi/kegiatan/<int:pk>/realisasi/<str:period>/", realisation_update, name="realisation_update"),
    path("rencana-aksi/bukti/<int:pk>/unduh/", evidence_download, name="evidence_download"),
    path("rencana-aksi/bukti/<int:pk>/hapus/", evidence_delete, name="evidence_delete"),
]
