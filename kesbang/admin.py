from django.contrib import admin
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice

from kesbang.models import AuditEvent, NonWorkingDay, Recipient, Report

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



@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "progress", "requested_at", "finalised_at", "sent_at")
    list_filter = ("kind", "status", "scheduled")
    search_fields = ("period", "region__name")
    list_select_related = ("region",)
    readonly_fields = (
        "kind", "period", "period_start", "period_end", "region", "version", "status", "progress", "progress_note",
        "progress_at", "failure_reason", "attempts", "scheduled", "requested_by", "requested_at", "started_at",
        "finished_at", "finalised_at", "finalised_by", "sent_at", "pdf_file", "xlsx_file", "pdf_sha256",
        "xlsx_sha256", "figures",
    )

    def has_add_permission(self, request):
        return False  # reports are requested from /laporan/ so they go through the generation task


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "weekly_summary", "reports", "active")
    list_filter = ("weekly_summary", "reports", "active")
    search_fields = ("email", "name")


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    """Corrections to the national calendar (the ``holidays`` library) for scheduled reports."""

    list_display = ("date", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("name",)
    date_hierarchy = "date"


# Users, groups and two-factor devices: no back door (kept in its own module).
from kesbang import admin_accounts  # noqa: E402, F401 - registers the account admins
