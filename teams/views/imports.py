"""Views: member import (template, upload, preview, confirm), the member register with its exports,
and the printable member list (LAMPIRAN SK).

Teams are fetched through ``teams_visible_to`` (another region's team is a 404); writing needs the
permission and ``team_can_manage`` (otherwise 403).
"""

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View

from teams import exports, imports
from teams.models import Institution, Membership, Region, Team
from teams.selectors import team_can_manage, teams_visible_to
from teams.tables import DetailLinks

# --- Import ----------------------------------------------------------------------------------------


class TeamImportMixin(PermissionRequiredMixin):
    """The team comes through ``teams_visible_to`` (404 outside the region); managing it is 403-guarded."""

    permission_required = "teams.add_membership"
    raise_exception = True

    def dispatch(self, request, *args, **kwargs):
        # The role's permission first: a login without it is 403 here as on every other write page,
        # not a 404 that depends on whether the team happens to be in its region.
        if not PermissionRequiredMixin.has_permission(self):
            return self.handle_no_permission()
        self.team = get_object_or_404(teams_visible_to(request.user).select_related("region"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self) -> bool:
        return super().has_permission() and team_can_manage(self.request.user, self.team)

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


class MemberImportTemplateView(PermissionRequiredMixin, View):
    permission_required = "teams.add_membership"
    raise_exception = True

    def get(self, request):
        response = HttpResponse(exports.import_template_xlsx(), content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="templat-impor-anggota-tim-terpadu.xlsx"'
        return response


# --- Member register ------------------------------------------------------------------------------


class MembershipFilter(django_filters.FilterSet):
    STATUS_CHOICES = [("aktif", gettext_lazy("Aktif")), ("berakhir", gettext_lazy("Berakhir")),
                      ("semua", gettext_lazy("Semua"))]

    q = django_filters.CharFilter(label=gettext_lazy("Cari nama/NIP"), method="filter_search")
    team = django_filters.ModelChoiceFilter(label=gettext_lazy("Tim"), queryset=Team.objects.none(),
                                            empty_label=gettext_lazy("Semua tim"))
    region = django_filters.ModelChoiceFilter(label=gettext_lazy("Wilayah"), field_name="team__region",
                                              queryset=Region.objects.none(), empty_label=gettext_lazy("Semua wilayah"))
    institution = django_filters.ModelChoiceFilter(label=gettext_lazy("Instansi"), field_name="person__institution",
                                                   queryset=Institution.objects.none(),
                                                   empty_label=gettext_lazy("Semua instansi"))
    role = django_filters.ChoiceFilter(label=gettext_lazy("Kedudukan"), choices=Membership.Role.choices,
                                       empty_label=gettext_lazy("Semua kedudukan"))
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=STATUS_CHOICES, empty_label=None,
                                         method="filter_status")

    class Meta:
        model = Membership
        fields = ["q", "team", "region", "institution", "role", "status"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = "aktif"
        super().__init__(data, *args, **kwargs)
        visible = teams_visible_to(user)
        self.filters["team"].queryset = visible.select_related("region").order_by("region__code", "-period_start")
        self.filters["region"].queryset = Region.objects.filter(teams__in=visible).distinct().order_by("code")
        self.filters["institution"].queryset = Institution.objects.order_by("name")
        for name in ("team", "region", "institution", "role", "status"):
            self.form.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        self.form.fields["q"].widget.attrs.update(
            {"class": "form-control form-control-sm", "placeholder": _("Nama atau NIP"), "type": "search"}
        )

    def filter_search(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        return queryset.filter(Q(person__name__icontains=value) | Q(person__nip__startswith=value.replace(" ", "")))

    def filter_status(self, queryset, name, value):
        if value == "aktif":
            return queryset.filter(end_date__isnull=True)
        if value == "berakhir":
            return queryset.filter(end_date__isnull=False)
        return queryset

    def describe(self) -> list[tuple[str, str]]:
        """The filters in force, as (label, value) for the export's Info sheet."""
        if not self.form.is_valid():
            return []
        described = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            field = self.form.fields[name]
            if hasattr(field, "choices") and not hasattr(value, "pk"):
                value = dict(field.choices).get(value, value)
            described.append((str(field.label), str(value)))
        return described


class MembershipTable(DetailLinks, tables.Table):
    """Cells are ``render_<column>`` methods (no template per cell); team links share one ``reverse()``."""

    no = tables.Column(verbose_name=pgettext_lazy("nomor urut", "No"), empty_values=(), orderable=False,
                       attrs={"td": {"class": "text-secondary"}})
    name = tables.Column(verbose_name=gettext_lazy("Nama"), accessor="person__name", order_by=("person__name",))
    nip = tables.Column(verbose_name=gettext_lazy("NIP"), accessor="person__nip",
                        attrs={"td": {"class": "font-monospace small text-nowrap"}})
    position = tables.Column(verbose_name=gettext_lazy("Jabatan"), accessor="person__position")
    institution = tables.Column(verbose_name=gettext_lazy("Instansi"), accessor="person__institution",
                                order_by=("person__institution__name",))
    role = tables.Column(verbose_name=gettext_lazy("Kedudukan"), order_by=("role_order", "person__name"))
    team = tables.Column(verbose_name=gettext_lazy("Tim"), order_by=("team__name",))
    region = tables.Column(verbose_name=gettext_lazy("Wilayah"), accessor="team__region__name",
                           order_by=("team__region__code",))
    start_date = tables.DateColumn(verbose_name=gettext_lazy("Mulai"), format="j F Y",
                                   attrs={"td": {"class": "text-nowrap"}})
    end_date = tables.DateColumn(verbose_name=gettext_lazy("Berakhir"), format="j F Y",
                                 attrs={"td": {"class": "text-nowrap"}})
    phone = tables.Column(verbose_name=gettext_lazy("Telepon"), accessor="person__phone",
                          attrs={"td": {"class": "text-nowrap"}})
    email = tables.Column(verbose_name=gettext_lazy("Email"), accessor="person__email")

    class Meta:
        model = Membership
        fields = ()
        sequence = ("no", "name", "nip", "position", "institution", "role", "team", "region", "start_date",
                    "end_date", "phone", "email")
        template_name = "teams/includes/table.html"  # the register pages' shared look
        attrs = {"class": "table table-hover align-middle mb-0 kb-member-table"}
        empty_text = gettext_lazy("Tidak ada anggota yang cocok dengan filter.")
        per_page = 25

    detail_view = "teams:team_detail"

    def render_no(self, record, bound_row):
        page = getattr(self, "page", None)
        offset = page.start_index() - 1 if page else 0
        self._row_number = getattr(self, "_row_number", offset) + 1
        return self._row_number

    def render_institution(self, record):
        institution = record.person.institution
        if institution.short_name:
            return format_html('<span title="{}">{}</span>', institution.name, institution.short_name)
        return institution.name

    def render_team(self, record):
        try:
            return format_html('<a href="{}">{}</a>', self.url_for(record.team_id), record.team.name)
        except NoReverseMatch:
            return record.team.name

    def render_start_date(self, value, bound_column):  # DateColumn's template, without compiling one per cell
        return date_format(value, "j F Y") if value else bound_column.default

    def render_end_date(self, value, bound_column):
        return date_format(value, "j F Y") if value else bound_column.default

    def render_email(self, value):
        return format_html('<a href="mailto:{}">{}</a>', value, value)


def membership_filter(request) -> MembershipFilter:
    return MembershipFilter(request.GET, queryset=exports.membership_register(user=request.user), user=request.user)


class MembershipListView(PermissionRequiredMixin, View):
    permission_required = "teams.view_membership"
    raise_exception = True
    template_name = "teams/membership_list.html"

    def get(self, request):
        member_filter = membership_filter(request)
        table = MembershipTable(member_filter.qs)
        tables.RequestConfig(request, paginate={"per_page": _per_page(request)}).configure(table)
        export_query = request.GET.copy()
        export_query.pop("page", None)
        context = {
            "filter": member_filter,
            "table": table,
            "export_query": export_query.urlencode(),
            "total": table.paginator.count if table.paginator else len(table.rows),
        }
        return render(request, self.template_name, context)


def _per_page(request) -> int:
    try:
        value = int(request.GET.get("per_page", 25))
    except ValueError:
        return 25
    return value if value in (25, 50, 100) else 25


class MembershipExportView(PermissionRequiredMixin, View):
    """The rows the register shows with the same filters and sort, all pages, as .xlsx or .csv."""

    permission_required = "teams.view_membership"
    raise_exception = True

    def get(self, request, fmt):
        if fmt not in ("xlsx", "csv"):
            raise Http404
        member_filter = membership_filter(request)
        table = MembershipTable(member_filter.qs)
        tables.RequestConfig(request, paginate=False).configure(table)
        rows = table.data.data  # filtered, then ordered as the table was sorted
        stem = "anggota-tim-terpadu"
        if fmt == "csv":
            response = HttpResponse(exports.memberships_csv(rows), content_type=exports.CSV_CONTENT_TYPE)
        else:
            body = exports.memberships_xlsx(rows, filters=member_filter.describe(),
                                            exported_by=request.user.get_full_name() or request.user.get_username())
            response = HttpResponse(body, content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(stem, fmt)}"'
        return response


# --- Printable member list ------------------------------------------------------------------------


class TeamMembersPdfView(PermissionRequiredMixin, View):
    permission_required = "teams.view_membership"
    raise_exception = True

    def get(self, request, pk):
        team = get_object_or_404(teams_visible_to(request.user).select_related("region"), pk=pk)
        members = exports.team_members_for_print(team)
        pdf = exports.team_members_pdf(team, members, base_url=request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{exports.team_members_pdf_filename(team)}"'
        return response


urlpatterns = [
    path("anggota/", MembershipListView.as_view(), name="membership_list"),
    path("anggota/ekspor.<str:fmt>", MembershipExportView.as_view(), name="membership_export"),
    path("anggota/templat-impor.xlsx", MemberImportTemplateView.as_view(), name="team_members_import_template"),
    path("<int:pk>/anggota/impor/", TeamMembersImportView.as_view(), name="team_members_import"),
    path("<int:pk>/anggota/impor/<str:token>/", TeamMembersImportPreviewView.as_view(),
         name="team_members_import_preview"),
    path("<int:pk>/lampiran-sk.pdf", TeamMembersPdfView.as_view(), name="team_members_pdf"),
]
