"""Pages of the periodic reports (/laporan/): archive, request, detail with progress, downloads,
narrative, finalise, regenerate and send. Thin adapters on the core bases (house style 1): the
permission first (403), then the report through ``Report.objects.restrict`` (core
``ScopedObjectMixin``: another region's report is a 404, one the login may see but not change a 403),
then one service. The archive is a ``ListTableView`` (``ReportFilter`` + ``ReportTable``)."""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views import View
from django.views.generic import TemplateView

from kesbang.core.views import ListTableView, ProtectedView, ScopedObjectMixin, ServiceActionView, ServiceFormView
from kesbang.office.models import Report
from kesbang.office.reports import selectors, services
from kesbang.office.reports.filters import ReportFilter
from kesbang.office.reports.forms import NarrativeForm, ReportRequestForm
from kesbang.office.reports.tables import ReportTable

DOWNLOAD_TYPES = {"pdf": "application/pdf",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class ReportScopedMixin(ScopedObjectMixin):
    """The report of the URL through ``restrict(user, "view")`` (else 404); ``scope_action =
    "change"``: also in ``restrict(user, "change")`` (else 403). Whether the login may change it is
    the queryset's rule and no other, asked in the same query (``can_change``, as incidents do)."""

    permission_required = "office.view_report"
    model = Report
    context_object_name = "report"

    def get_scoped_queryset(self):
        changeable = Report.objects.restrict(self.request.user, "change").filter(pk=OuterRef("pk"))
        return Report.objects.select_related("region", "requested_by").annotate(can_change=Exists(changeable))

    def may_change(self, obj) -> bool:
        return obj.can_change

    @property
    def report(self) -> Report:
        return self.get_object()


class ReportListView(ListTableView):
    permission_required = "office.view_report"
    template_name = "kesbang/reports/report_list.html"
    table_class = ReportTable
    filterset_class = ReportFilter
    strict = False  # an invalid filter is shown with its message and ignored

    def get_queryset(self):
        return selectors.report_list(Report.objects.restrict(self.request.user, "view"))

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(can_request=user.has_perm("office.add_report"),
                                        can_weekly=user.has_perm("office.view_weeklysummary"), **kwargs)


class ReportRequestView(ServiceFormView):
    permission_required = ("office.view_report", "office.add_report")
    template_name = "kesbang/reports/report_form.html"
    form_class = ReportRequestForm
    success_message = _l("Laporan diantrekan. Anda boleh meninggalkan halaman ini; pembuatan berjalan di latar "
                         "belakang.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "regions": selectors.report_regions(self.request.user)}

    def perform(self, form):
        data = form.cleaned_data
        return services.report_request(kind=data["kind"], period=data["period"], region=data["region"],
                                       user=self.request.user)


class ReportDetailView(ReportScopedMixin, ProtectedView, TemplateView):
    template_name = "kesbang/reports/report_detail.html"

    def get_context_data(self, **kwargs):
        report, user = self.report, self.request.user
        editable = self.may_change(report)
        return super().get_context_data(
            versions=selectors.report_versions(Report.objects.restrict(user, "view"), report),
            figures=report.figures.get("figures", []),
            can_change=editable,
            can_regenerate=editable and user.has_perm("office.add_report"),
            narrative_form=NarrativeForm(initial={"narrative": report.narrative}) if editable else None,
            **kwargs)


class ReportStatusView(ReportScopedMixin, ProtectedView, View):
    """The small JSON the progress page polls (static/js/reports.js)."""

    def get(self, request, *args, **kwargs):
        report = self.report
        body = {
            "status": report.status, "status_label": report.get_status_display(), "progress": report.progress,
            "note": report.progress_note, "done": report.is_done, "failed": report.status == Report.Status.GAGAL,
            "reason": report.failure_reason,
        }
        if report.is_done:
            body["downloads"] = {fmt: reverse("reports:report_download", args=[report.pk, fmt])
                                 for fmt in DOWNLOAD_TYPES}
        response = JsonResponse(body)
        response["Cache-Control"] = "no-store"
        return response


class ReportDownloadView(ReportScopedMixin, ProtectedView, View):
    def get(self, request, *args, fmt: str, **kwargs):
        report = self.report
        field = {"pdf": report.pdf_file, "xlsx": report.xlsx_file}.get(fmt)
        if field is None or not report.is_done or not field:
            raise Http404(_("Berkas laporan belum tersedia."))
        try:
            handle = field.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("Berkas laporan tidak ditemukan.")) from exc
        response = FileResponse(handle, as_attachment=True, filename=report.download_name(fmt),
                                content_type=DOWNLOAD_TYPES[fmt])
        response["X-Content-SHA256"] = report.pdf_sha256 if fmt == "pdf" else report.xlsx_sha256
        return response


class ReportActionView(ReportScopedMixin, ServiceActionView):
    """A button on a report the login may change; success goes to the report the service returns,
    a refusal back to this one with its message."""

    permission_required = ("office.view_report", "office.change_report")
    scope_action = "change"


class ReportNarrativeView(ReportActionView):
    success_message = _l("Narasi disimpan; berkas laporan dibuat ulang.")

    def perform(self):
        form = NarrativeForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        return services.report_update_narrative(report=self.report, narrative=form.cleaned_data["narrative"],
                                                user=self.request.user)


class ReportFinaliseView(ReportActionView):
    success_message = _l("Laporan difinalkan. Perubahan berikutnya memerlukan versi baru.")

    def perform(self):
        return services.report_finalise(report=self.report, user=self.request.user)


class ReportRegenerateView(ReportActionView):
    permission_required = ("office.view_report", "office.change_report", "office.add_report")

    def perform(self):
        return services.report_regenerate(report=self.report, user=self.request.user)

    def get_success_message(self, new) -> str:
        return _("Versi %(v)s diantrekan; versi sebelumnya tetap tersimpan.") % {"v": new.version}


class ReportSendView(ReportActionView):
    """Email a finalised version to the report recipients (once each)."""

    success_message = _l("Laporan diantrekan untuk dikirim ke penerima laporan.")

    def perform(self):
        return services.report_send(report=self.report)
