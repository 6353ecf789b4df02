from django.contrib import admin

from kesbang.models import AuditEvent


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
