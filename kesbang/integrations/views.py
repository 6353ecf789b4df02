"""Pages of the national submission package (/laporan/paket-nasional/): list, request, detail with
progress, download. Thin adapters on the core bases: permission first (403), then the package through
``NationalPackage.objects.restrict`` (404 outside the scope), then one service."""

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from kesbang.core.uploads import private_file_response
from kesbang.core.views import ListTableView, ProtectedView, ScopedObjectMixin, ServiceFormView
from kesbang.integrations import package as services
from kesbang.integrations.forms import PackageRequestForm
from kesbang.integrations.models import NationalPackage
from kesbang.integrations.tables import PackageTable

VIEW = "integrations.view_nationalpackage"
ADD = "integrations.add_nationalpackage"


def _may_request(user) -> bool:
    return user.has_perm(ADD) and services._province_wide(user)


class ProvinceWideMixin:
    """The package is the province's: a login with the permission but a regional scope gets 403."""

    def has_permission(self):
        return super().has_permission() and services._province_wide(self.request.user)


class PackageListView(ProvinceWideMixin, ListTableView):
    permission_required = VIEW
    template_name = "integrations/package_list.html"
    table_class = PackageTable

    def get_queryset(self):
        return NationalPackage.objects.restrict(self.request.user, "view").select_related("requested_by")

    def get_context_data(self, **kwargs):
        may_request = _may_request(self.request.user)
        return super().get_context_data(can_request=may_request,
                                        form=PackageRequestForm() if may_request else None, **kwargs)


class PackageRequestView(ProvinceWideMixin, ServiceFormView):
    permission_required = (VIEW, ADD)
    template_name = "integrations/package_form.html"
    form_class = PackageRequestForm

    def perform(self, form):
        return services.package_request(kind=form.cleaned_data["kind"], period=form.cleaned_data["period"],
                                        user=self.request.user)

    def get_success_message(self, result) -> str:
        return _("Paket %(period)s versi %(v)s diantrekan. Anda boleh meninggalkan halaman ini; pembuatan berjalan "
                 "di latar belakang.") % {"period": result.period, "v": result.version}


class PackageScopedMixin(ProvinceWideMixin, ProtectedView, ScopedObjectMixin):
    permission_required = VIEW
    model = NationalPackage
    context_object_name = "package"

    def get_scoped_queryset(self):
        return NationalPackage.objects.select_related("region", "requested_by")


class PackageDetailView(PackageScopedMixin, TemplateView):
    template_name = "integrations/package_detail.html"

    def get_context_data(self, **kwargs):
        package = self.object
        summary = package.summary or {}
        return super().get_context_data(
            counts=summary.get("counts", {}), members=sorted((summary.get("members") or {}).items()),
            plans=summary.get("plans"), can_request=_may_request(self.request.user), **kwargs)


class PackageStatusView(PackageScopedMixin, View):
    """The small JSON the progress page polls (static/js/reports.js)."""

    def get(self, request, pk):
        package = self.object
        body = {
            "status": package.status, "status_label": package.get_status_display(), "progress": package.progress,
            "note": package.progress_note, "done": package.is_done,
            "failed": package.status == NationalPackage.Status.GAGAL, "reason": package.failure_reason,
        }
        if package.is_done:
            body["download"] = reverse("integrations:package_download", args=[package.pk])
        response = JsonResponse(body)
        response["Cache-Control"] = "no-store"
        return response


class PackageDownloadView(PackageScopedMixin, View):
    def get(self, request, pk):
        package = self.object
        if not package.is_done or not package.file:
            raise Http404(_("Berkas paket belum tersedia."))
        response = private_file_response(package.file, download_name=package.download_name(),
                                         content_type="application/zip")
        response["X-Content-SHA256"] = package.sha256
        return response
