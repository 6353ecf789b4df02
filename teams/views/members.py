"""Views: the member register (list, .xlsx/.csv export), member import (template, upload, preview,
confirm) and the printable member list (LAMPIRAN SK, PDF).

Class-based on the core bases: the role's permission first (403), then the team through
``Team.objects.restrict`` (404 outside the login's scope; 403 when it may not manage it).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View

from kesbang.core.spreadsheets import csv_response, export_filename, xlsx_response
from kesbang.core.views import ListTableView, ProtectedView, ScopedObjectMixin
from teams import exports, imports
from teams.filters import MembershipFilter
from teams.models import Membership, Team
from teams.tables import MembershipTable
from teams.views.teams import TeamScopedMixin

# --- Member register ------------------------------------------------------------------------------


class MembershipListView(ListTableView):
    permission_required = "teams.view_membership"
    template_name = "teams/membership_list.html"
    table_class = MembershipTable
    filterset_class = MembershipFilter
    strict = False  # an unknown filter value is ignored, as before

    def get_queryset(self):
        return exports.membership_register(Membership.objects.restrict(self.request.user, "view"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        export_query = self.request.GET.copy()
        export_query.pop("page", None)
        return {**context, "export_query": export_query.urlencode(), "total": context["table"].total,
                "total_capped": context["table"].total_capped}


class MembershipExportView(ProtectedView, View):
    """The rows the register shows with the same filters and sort, all pages, as .xlsx or .csv."""

    permission_required = "teams.view_membership"

    def get(self, request, fmt):
        if fmt not in ("xlsx", "csv"):
            raise Http404
        queryset = exports.membership_register(Membership.objects.restrict(request.user, "view"))
        member_filter = MembershipFilter(request.GET, queryset=queryset, request=request)
        rows = MembershipTable(member_filter.qs, request=request, paginate=False).data  # filtered, then sorted
        stem = "anggota-tim-terpadu"
        if fmt == "csv":
            return csv_response(exports.register_headers(), exports.register_rows(rows), export_filename(stem, "csv"))
        body = exports.memberships_xlsx(rows, filters=member_filter.describe(),
                                        exported_by=request.user.get_full_name() or request.user.get_username())
        return xlsx_response(body, export_filename(stem, "xlsx"))


# --- Import ----------------------------------------------------------------------------------------


class TeamImportMixin(ProtectedView, TeamScopedMixin):
    """The role's permission first (403), then the team: visible (404) and manageable (403)."""

    permission_required = "teams.add_membership"

    def team_url(self) -> str:
        return self.team.get_absolute_url()


class TeamMembersImportView(TeamImportMixin, View):
    template_name = "teams/import_form.html"

    def get(self, request, pk):
        return self.render_form(imports.MemberImportForm())

    def post(self, request, pk):
        if not self.team.is_active:
            messages.error(request, _("Tim yang sudah berakhir tidak dapat menerima anggota baru."))
            return redirect(request.path)
        form = imports.MemberImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, status=400)
        token = imports.preview_store(request.session, team=self.team, rows=form.rows,
                                      filename=form.cleaned_data["file"].name)
        return redirect("teams:team_members_import_preview", pk=self.team.pk, token=token)

    def render_form(self, form, status=200):
        context = {
            "team": self.team,
            "form": form,
            "columns": imports.COLUMNS,
            "roles": imports.role_labels(),
            "max_rows": imports.MAX_ROWS,
            "team_url": self.team_url(),
        }
        return render(self.request, self.template_name, context, status=status)


class TeamMembersImportPreviewView(TeamImportMixin, View):
    """GET: the rows with their status and errors (nothing saved). POST: save them all, or refuse."""

    template_name = "teams/import_preview.html"

    def load(self, token):
        stored = imports.preview_load(self.request.session, team=self.team, token=token)
        if stored is None:
            messages.warning(self.request, _("Pratinjau impor tidak ditemukan atau sudah kedaluwarsa. Unggah "
                                             "berkas sekali lagi."))
        return stored

    def get(self, request, pk, token):
        stored = self.load(token)
        if stored is None:
            return redirect("teams:team_members_import", pk=self.team.pk)
        preview = imports.members_import_preview(team=self.team, rows=stored["rows"], user=self.request.user)
        return self.render_preview(preview, stored, token)

    def post(self, request, pk, token):
        stored = self.load(token)
        if stored is None:
            return redirect("teams:team_members_import", pk=self.team.pk)
        try:
            result = imports.members_import(team=self.team, rows=stored["rows"], user=request.user)
        except ValidationError as exc:
            preview = imports.members_import_preview(team=self.team, rows=stored["rows"], user=self.request.user)
            messages.error(request, _("Tidak ada yang disimpan: masih ada baris yang bermasalah. Perbaiki "
                                      "berkasnya lalu unggah kembali."))
            return self.render_preview(preview, stored, token, status=400, save_errors=exc.messages)
        imports.preview_discard(request.session, team=self.team, token=token)
        count = len(result.memberships)
        messages.success(
            request,
            _("%(count)s anggota disimpan ke %(team)s (%(new)s orang baru, %(reused)s orang sudah terdaftar).")
            % {"count": count, "team": self.team.name, "new": result.people_created, "reused": result.people_reused},
        )
        return redirect(self.team_url())

    def render_preview(self, preview, stored, token, status=200, save_errors=None):
        context = {
            "team": self.team,
            "preview": preview,
            "filename": stored.get("filename", ""),
            "token": token,
            "save_errors": save_errors or [],
            "team_url": self.team_url(),
        }
        return render(self.request, self.template_name, context, status=status)


class MemberImportTemplateView(ProtectedView, View):
    permission_required = "teams.add_membership"

    def get(self, request):
        return xlsx_response(exports.import_template_xlsx(), "templat-impor-anggota-tim-terpadu.xlsx")


# --- Printable member list ------------------------------------------------------------------------


class TeamMembersPdfView(ProtectedView, ScopedObjectMixin, View):
    permission_required = "teams.view_membership"
    model = Team

    def get_scoped_queryset(self):
        return Team.objects.select_related("region")

    def get(self, request, pk):
        team = self.object
        members = exports.team_members_for_print(team)
        pdf = exports.team_members_pdf(team, members)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{exports.team_members_pdf_filename(team)}"'
        return response


urlpatterns = [
    path("anggota/", MembershipListView.as_view(), name="membership_list"),
    path("anggota/ekspor.<str:fmt>", MembershipExportView.as_view(), name="membership_export"),
    path("anggota/templat-impor.xlsx", MemberImportTemplateView.as_view(), name="team_members_import_template"),
    path("<id:pk>/anggota/impor/", TeamMembersImportView.as_view(), name="team_members_import"),
    path("<id:pk>/anggota/impor/<str:token>/", TeamMembersImportPreviewView.as_view(),
         name="team_members_import_preview"),
    path("<id:pk>/lampiran-sk.pdf", TeamMembersPdfView.as_view(), name="team_members_pdf"),
]
