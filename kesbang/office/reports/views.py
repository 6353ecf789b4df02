"""Pages of the periodic reports (/laporan/): archive, request, detail with progress, downloads,
narrative, finalise and regenerate. Thin adapters: permission first (403), then the object through
``Report.objects.restrict`` (another region's report is a 404), then one service."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from kesbang.core.tasks import enqueue_after_commit
from kesbang.office.models import Report
from kesbang.office.reports import services
from kesbang.office.reports.forms import NarrativeForm, ReportFilterForm, ReportRequestForm
from teams.access import Role, role_names, scope_of
from teams.models import Region


class ReportPermissionMixin(PermissionRequiredMixin):
    raise_exception = True
    permission_required = "office.view_report"


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error.messages)
    else:
        form.add_error(None, exc.messages)


def regions_for_request(user):
    """The province and its regencies/cities for a province-wide login, else the login's own regency."""
    scope = scope_of(user)
    qs = Region.objects.filter(level__in=[Region.Level.PROVINSI, Region.Level.KABUPATEN, Region.Level.KOTA])
    if not scope.all_regions:
        qs = qs.filter(code=scope.regency_code) if scope.regency_code else qs.none()
    return qs.order_by("code")


def report_for(user, pk: int, action: str = "view") -> Report:
    """One report the login may see (404 otherwise); for a change also the right to change it (403)."""
    report = get_object_or_404(Report.objects.restrict(user, "view").select_related("region", "requested_by"), pk=pk)
    if action != "view" and not Report.objects.restrict(user, "change").filter(pk=pk).exists():
        raise PermissionDenied
    return report


def can_change(user, report: Report) -> bool:
    return user.has_perm("office.change_report") and scope_of(user).covers(report.region.code)


class ReportListView(ReportPermissionMixin, View):
    def get(self, request):
        form = ReportFilterForm(request.GET or None)
        qs = Report.objects.restrict(request.user).select_related("region", "requested_by")
        if form.is_valid():
            if form.cleaned_data["kind"]:
                qs = qs.filter(kind=form.cleaned_data["kind"])
            if form.cleaned_data["year"]:
                qs = qs.filter(period_start__year=form.cleaned_data["year"])
        page = Paginator(qs.order_by("-requested_at", "-pk"), 25).get_page(request.GET.get("page"))
        return render(request, "kesbang/reports/report_list.html", {
            "page": page, "reports": page.object_list, "filter_form": form,
            "can_request": request.user.has_perm("office.add_report"),
            "can_weekly": request.user.is_superuser or Role.ADMINISTRATOR in role_names(request.user),
            "querystring": _querystring(request),
        })


def _querystring(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class ReportRequestView(ReportPermissionMixin, View):
    permission_required = ("office.view_report", "office.add_report")

    def get(self, request):
        form = ReportRequestForm(regions=regions_for_request(request.user))
        return render(request, "kesbang/reports/report_form.html", {"form": form})

    def post(self, request):
        form = ReportRequestForm(request.POST, regions=regions_for_request(request.user))
        if form.is_valid():
            try:
                report = services.report_request(
                    kind=form.cleaned_data["kind"], period=form.cleaned_data["period"],
                    region=form.cleaned_data["region"], user=request.user,
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Laporan diantrekan. Anda boleh meninggalkan halaman ini; "
                                            "pembuatan berjalan di latar belakang."))
                return redirect(report)
        return render(request, "kesbang/reports/report_form.html", {"form": form}, status=200)


class ReportDetailView(ReportPermissionMixin, View):
    def get(self, request, pk: int):
        report = report_for(request.user, pk)
        versions = list(
            Report.objects.restrict(request.user)
            .filter(kind=report.kind, period=report.period, region=report.region_id)
            .order_by("-version").values("pk", "version", "status", "sent_at", "finalised_at")
        )
        editable = can_change(request.user, report)
        return render(request, "kesbang/reports/report_detail.html", {
            "report": report,
            "versions": versions,
            "figures": report.figures.get("figures", []),
            "can_change": editable,
            "can_regenerate": editable and request.user.has_perm("office.add_report"),
            "narrative_form": NarrativeForm(initial={"narrative": report.narrative}) if editable else None,
        })


class ReportStatusView(ReportPermissionMixin, View):
    """The small JSON the progress page polls (static/js/reports.js)."""

    def get(self, request, pk: int):
        report = report_for(request.user, pk)
        body = {
            "status": report.status, "status_label": report.get_status_display(), "progress": report.progress,
            "note": report.progress_note, "done": report.is_done, "failed": report.status == Report.Status.GAGAL,
            "reason": report.failure_reason,
        }
        if report.is_done:
            body["downloads"] = {
                fmt: reverse("reports:report_download", args=[report.pk, fmt]) for fmt in ("pdf", "xlsx")
            }
        response = JsonResponse(body)
        response["Cache-Control"] = "no-store"
        return response


class ReportDownloadView(ReportPermissionMixin, View):
    def get(self, request, pk: int, fmt: str):
        report = report_for(request.user, pk)
        field = {"pdf": report.pdf_file, "xlsx": report.xlsx_file}.get(fmt)
        if field is None or not report.is_done or not field:
            raise Http404(_("Berkas laporan belum tersedia."))
        try:
            handle = field.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("Berkas laporan tidak ditemukan.")) from exc
        content_type = "application/pdf" if fmt == "pdf" else (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response = FileResponse(handle, as_attachment=True, filename=report.download_name(fmt),
                                content_type=content_type)
        response["X-Content-SHA256"] = report.pdf_sha256 if fmt == "pdf" else report.xlsx_sha256
        return response


class _ReportActionView(ReportPermissionMixin, View):
    permission_required = ("office.view_report", "office.change_report")
    http_method_names = ["post"]

    def post(self, request, pk: int):
        report = report_for(request.user, pk, "change")
        try:
            result, message = self.perform(request, report)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
            return redirect(report)
        messages.success(request, message)
        return redirect(result)


class ReportNarrativeView(_ReportActionView):
    def perform(self, request, report):
        form = NarrativeForm(request.POST)
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        result = services.report_update_narrative(report=report, narrative=form.cleaned_data["narrative"],
                                                  user=request.user)
        return result, _("Narasi disimpan; berkas laporan dibuat ulang.")


class ReportFinaliseView(_ReportActionView):
    def perform(self, request, report):
        return services.report_finalise(report=report, user=request.user), _(
            "Laporan difinalkan. Perubahan berikutnya memerlukan versi baru.")


class ReportRegenerateView(_ReportActionView):
    permission_required = ("office.view_report", "office.change_report", "office.add_report")

    def perform(self, request, report):
        new = services.report_regenerate(report=report, user=request.user)
        return new, _("Versi %(v)s diantrekan; versi sebelumnya tetap tersimpan.") % {"v": new.version}





class ReportSendView(_ReportActionView):
    """Email a finalised version to the report recipients (once each)."""

    def perform(self, request, report):
        if not report.finalised_at:
            raise ValidationError(_("Finalkan laporan sebelum mengirimnya."))
        enqueue_after_commit("kesbang.office.tasks.report_send", report.pk)
        return report, _("Laporan diantrekan untuk dikirim ke penerima laporan.")
