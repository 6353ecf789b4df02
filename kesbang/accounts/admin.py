from django.contrib import admin
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice

from kesbang.accounts.models import AuditEvent

User = get_user_model()


# Recovery codes live hashed in kesbang.RecoveryCode; django-otp's static tokens (plain text) are unused.
if admin.site.is_registered(StaticDevice):
    admin.site.unregister(StaticDevice)


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
