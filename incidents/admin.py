"""Admin: incidents with filters and attachments inline; the taxonomy (categories) is managed here.

Writes in the admin are for administrators correcting data; the workflow itself goes through the
services on the incident pages (the admin shows status as read-only).

Every admin here that shows an incident or its content reads through ``Incident.objects.restrict``
(``kesbang.core.admin.RestrictedAdminMixin``): the Administrator role never reads, searches,
autocompletes, edits or deletes an incident here that it may not read on the pages."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from incidents import classification
from incidents.models import (
    Attachment,
    Category,
    ConflictStatus,
    ConflictStatusReminder,
    FollowUp,
    Incident,
    IncidentAlert,
    IncidentTransition,
    ReferenceCounter,
    VerificationDigest,
)
from kesbang.core.admin import ConfidentialDeleteSummaryMixin, RestrictedAdminMixin


class SubCategoryInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    extra = 0
    fields = ("name", "social_conflict", "sort_order", "is_active")
    verbose_name = _("sub-jenis")
    verbose_name_plural = _("sub-jenis isu")


@admin.register(Category)
class CategoryAdmin(ConfidentialDeleteSummaryMixin, admin.ModelAdmin):
    list_display = ("name", "parent", "social_conflict", "sort_order", "is_active")
    list_filter = ("social_conflict", "is_active", ("parent", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name",)
    list_editable = ("sort_order", "is_active")
    list_select_related = ("parent",)
    inlines = [SubCategoryInline]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("original_name", "kind", "size", "description", "uploaded_by", "uploaded_at")
    readonly_fields = ("original_name", "kind", "size", "uploaded_by", "uploaded_at")
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False  # uploads go through the page, which checks the content


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = ("date", "kind", "institution", "description", "created_by")
    readonly_fields = ("created_by",)
    autocomplete_fields = ("institution",)


class TransitionInline(admin.TabularInline):
    model = IncidentTransition
    extra = 0
    fields = ("at", "from_status", "to_status", "by", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ConflictStatusInline(admin.TabularInline):
    model = ConflictStatus
    extra = 0
    fields = ("scale", "decree_number", "decree_date", "start_date", "end_date", "dprd_consulted_on")


@admin.register(Incident)
class IncidentAdmin(RestrictedAdminMixin, SimpleHistoryAdmin):
    list_display = ("reference", "title", "kind", "status", "severity", "occurred_on", "region", "classification")
    list_filter = ("status", "kind", "severity", "classification", "source", "phase", "info_source",
                   ("region", admin.RelatedOnlyFieldListFilter), ("category", admin.RelatedOnlyFieldListFilter),
                   "occurred_on")
    search_fields = ("reference", "title", "chronology")
    date_hierarchy = "occurred_on"
    list_select_related = ("region",)
    list_per_page = 50
    readonly_fields = ("reference", "status", "rejection_reason", "reporter", "reported_at", "version", "created_at",
                       "updated_at", "escalated_from_label")
    raw_id_fields = ("region", "kecamatan", "desa", "handler", "handling_team")
    inlines = [TransitionInline, FollowUpInline, ConflictStatusInline, AttachmentInline]
    fieldsets = (
        (None, {"fields": ("reference", "title", "chronology", "kind", "escalated_from_label", "status",
                           "rejection_reason")}),
        (_("Waktu dan tempat"), {"fields": ("occurred_on", "occurred_time", "date_precision", "reported_at",
                                            "region", "kecamatan", "desa", "latitude", "longitude")}),
        (_("Klasifikasi"), {"fields": ("source", "category", "violence_form", "phase", "severity", "info_source",
                                       "classification")}),
        (_("Pihak"), {"fields": ("party_a_type", "party_a_name", "party_a_size", "party_b_type", "party_b_name",
                                 "party_b_size")}),
        (_("Dampak"), {"fields": ("killed", "injured", "missing", "displaced", "buildings_damaged",
                                  "buildings_destroyed", "women_victims", "children_victims", "estimated_loss")}),
        (_("Penanganan"), {"fields": ("handling_team", "handler", "reporter", "version", "created_at", "updated_at")}),
    )

    def has_add_permission(self, request):
        return False  # reports are made on the quick-entry page (reference numbers, workflow, alerts)

    def log_label(self, obj) -> str:
        return obj.reference or super().log_label(obj)

    # The history pages follow the classification policy as the incident page's history does: a record
    # made while the incident had a class the login may not read is not listed, diffed or opened.
    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        qs = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return qs.filter(classification__in=classification.readable_classes(request.user))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        readable = Incident.history.filter(id=unquote(object_id), history_id=version_id,
                                           classification__in=classification.readable_classes(request.user))
        if not readable.exists():
            raise Http404(_("Data tidak ditemukan."))
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description=_("eskalasi dari"))
    def escalated_from_label(self, obj):
        """The earlier report by its reference only: its title may be one the login cannot read."""
        return obj.escalated_from.reference if obj.escalated_from_id else "—"


@admin.register(ConflictStatus)
class ConflictStatusAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    restrict_through = "incident"
    restricted_fields = {"incident": "change"}
    list_display = ("incident", "scale", "decree_number", "start_date", "end_date")
    list_filter = ("scale",)
    date_hierarchy = "end_date"
    list_select_related = ("incident",)
    raw_id_fields = ("incident",)


@admin.register(FollowUp)
class FollowUpAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    restrict_through = "incident"
    restricted_fields = {"incident": "change"}
    list_display = ("incident", "date", "kind", "institution")
    list_filter = ("kind",)
    list_select_related = ("incident", "institution")
    raw_id_fields = ("incident",)


@admin.register(Attachment)
class AttachmentAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    restrict_through = "incident"
    list_display = ("original_name", "incident", "kind", "size", "uploaded_at")
    list_filter = ("kind",)
    list_select_related = ("incident",)
    readonly_fields = ("incident", "file", "original_name", "kind", "size", "uploaded_by", "uploaded_at")

    def has_add_permission(self, request):
        return False


@admin.register(IncidentTransition)
class IncidentTransitionAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    restrict_through = "incident"
    list_display = ("incident", "from_status", "to_status", "by", "at")
    list_filter = ("to_status",)
    list_select_related = ("incident", "by")
    readonly_fields = ("incident", "from_status", "to_status", "by", "at", "note")

    def has_add_permission(self, request):
        return False


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(admin.ModelAdmin):
    list_display = ("region_code", "year", "last")


class DeliveryAdmin(admin.ModelAdmin):
    """Delivery records (exactly-once emails): read, and delete one to let it be sent again."""

    list_filter = ("status",)
    readonly_fields = ("status", "attempts", "claimed_at", "sent_at", "last_error", "recipient", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(IncidentAlert)
class IncidentAlertAdmin(RestrictedAdminMixin, DeliveryAdmin):
    restrict_through = "incident"
    restricted_fields = {"incident": "change"}
    list_display = ("incident", "level", "email", "status", "attempts", "sent_at")
    list_select_related = ("incident",)
    raw_id_fields = ("incident",)


@admin.register(VerificationDigest)
class VerificationDigestAdmin(DeliveryAdmin):
    list_display = ("day", "email", "count", "status", "attempts", "sent_at")
    date_hierarchy = "day"


@admin.register(ConflictStatusReminder)
class ConflictStatusReminderAdmin(RestrictedAdminMixin, DeliveryAdmin):
    restrict_through = "conflict_status__incident"
    list_display = ("conflict_status", "days_before", "email", "status", "attempts", "sent_at")
    list_select_related = ("conflict_status__incident",)
    raw_id_fields = ("conflict_status",)
