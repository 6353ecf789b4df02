"""The office's records in the admin: reports (read-only), recipients and the calendar corrections."""

from django.contrib import admin

from kesbang.office.models import NonWorkingDay, Recipient, Report


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
