from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice

from kesbang.accounts import twofactor
from kesbang.accounts.models import AuditEvent

User = get_user_model()


# Recovery codes live hashed in kesbang.RecoveryCode; django-otp's static tokens (plain text) are unused.
if admin.site.is_registered(StaticDevice):
    admin.site.unregister(StaticDevice)


def _codes_page(modeladmin, request, users):
    """Issue one enrolment code per login and show them once, on this answer only (never in a
    message: messages travel in a cookie or the session). Never cached."""
    rows = [(user, twofactor.has_device(user),
             twofactor.enrolment_code_issue(user=user, issued_by=request.user, request=request)) for user in users]
    response = TemplateResponse(request, "admin/kesbang/enrolment_codes.html", {
        **modeladmin.admin_site.each_context(request),
        "title": _("Kode pendaftaran verifikasi dua langkah"),
        "rows": rows, "hours": twofactor.enrolment_hours(), "opts": modeladmin.model._meta,
    })
    add_never_cache_headers(response)
    return response


@admin.action(description=_("Buat kode pendaftaran verifikasi dua langkah"), permissions=["change"])
def issue_enrolment_codes(modeladmin, request, queryset):
    return _codes_page(modeladmin, request, list(queryset.order_by("username")))


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    """Django's user admin plus enrolment codes (kesbang.accounts.twofactor): an action on the list and a
    button on a user's page (POST only, so a link or a prefetch never issues a code)."""

    actions = [issue_enrolment_codes]

    def get_urls(self):
        from django.urls import path

        return [
            path("<int:object_id>/kode-pendaftaran/", self.admin_site.admin_view(self.enrolment_code_view),
                 name="auth_user_enrolment_code"),
            *super().get_urls(),
        ]

    def enrolment_code_view(self, request, object_id):
        from django.core.exceptions import PermissionDenied
        from django.http import Http404, HttpResponseNotAllowed

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        user = self.get_object(request, str(object_id))
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        return _codes_page(self, request, [user])


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the application, never edited by hand."""

    list_display = ("created_at", "kind", "username", "ip_address", "method", "path")
    list_filter = ("kind", "created_at")
    search_fields = ("username", "path", "ip_address", "detail")
    date_hierarchy = "created_at"
    list_select_related = ()
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Users, groups and two-factor devices: no back door (kept in its own module).
from kesbang.accounts import admin_accounts  # noqa: E402, F401 - registers the account admins
