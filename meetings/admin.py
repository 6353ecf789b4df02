"""The meetings admin only shows (``kesbang.core.admin.ShowOnlyAdminMixin``): meetings, invitations,
attendance, minutes, resolutions, action items and their files are written by ``meetings.services``
through the pages. Delivery records are the system's own: shown, deleted to send again."""

from django.contrib import admin
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from kesbang.core.admin import RestrictedChoicesMixin, ShowOnlyAdminMixin
from meetings.models import (
    ActionItem,
    ActionItemEvidence,
    ActionItemNote,
    AgendaItem,
    Attendance,
    Invitation,
    Meeting,
    MeetingDelivery,
    MeetingDocument,
    Minutes,
    Resolution,
)


class AgendaItemInline(ShowOnlyAdminMixin, admin.TabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ("presenter",)


class ResolutionInline(ShowOnlyAdminMixin, admin.TabularInline):
    model = Resolution
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(ShowOnlyAdminMixin, RestrictedChoicesMixin, SimpleHistoryAdmin):
    """Linked incidents: the autocomplete (the incident admin's restricted queryset), the choices and
    the selected ones shown are those ``Incident.objects.restrict(user, "view")`` gives; a linked
    incident the editor cannot see is neither shown nor dropped on save."""

    list_display = ("title", "kind", "team", "start", "venue", "status")
    list_filter = ("kind", "status", "team__level")
    search_fields = ("title", "venue", "letter_number")
    date_hierarchy = "start"
    list_select_related = ("team",)
    autocomplete_fields = ("team", "chair", "opener", "signatory", "linked_incidents")
    readonly_fields = ("sequence", "created_by", "created_at")
    inlines = [AgendaItemInline, ResolutionInline]
    restricted_fields = {"linked_incidents": "view"}

    # Shown read-only, a many-to-many field lists every related row: the linked incidents are shown
    # instead as the classification policy lets this login see them (incidents.classification).
    def _linked_incidents_shown(self, request):
        if not hasattr(request, "_kesbang_linked_shown"):
            from incidents import classification

            def linked_incidents(meeting):
                shown = classification.linked_incidents(request.user, meeting.linked_incidents.all())
                parts = [f"{i.reference} — {i.title}" for i in shown.readable + shown.named]
                parts += [_("%(n)s insiden berklasifikasi %(label)s") % {"n": n, "label": label}
                          for label, n in shown.counted.items()]
                return "; ".join(parts) or "—"

            linked_incidents.short_description = _("insiden yang dibahas")
            request._kesbang_linked_shown = linked_incidents
        return request._kesbang_linked_shown

    def get_fields(self, request, obj=None):
        shown = self._linked_incidents_shown(request)
        return [shown if f == "linked_incidents" else f for f in super().get_fields(request, obj)]

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), self._linked_incidents_shown(request))


@admin.register(Invitation)
class InvitationAdmin(ShowOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "source", "response", "responded_at")
    list_filter = ("response", "source")
    search_fields = ("person__name", "guest_name", "guest_institution", "meeting__title")
    list_select_related = ("meeting", "person")
    autocomplete_fields = ("meeting", "person")


@admin.register(Attendance)
class AttendanceAdmin(ShowOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "status", "arrived_at", "recorded_by")
    list_filter = ("status",)
    list_select_related = ("invitation__person", "invitation__meeting", "recorded_by")
    raw_id_fields = ("invitation",)


@admin.register(Minutes)
class MinutesAdmin(ShowOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("meeting", "status", "approved_by", "approved_at")
    list_filter = ("status",)
    list_select_related = ("meeting", "approved_by")
    raw_id_fields = ("meeting", "approved_by")


@admin.register(Resolution)
class ResolutionAdmin(ShowOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("meeting", "number", "kind", "text")
    list_select_related = ("meeting",)
    raw_id_fields = ("meeting",)


@admin.register(AgendaItem)
class AgendaItemAdmin(ShowOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("meeting", "order", "title", "duration_minutes")
    list_select_related = ("meeting",)
    raw_id_fields = ("meeting", "presenter")


class NoteInline(ShowOnlyAdminMixin, admin.TabularInline):
    model = ActionItemNote
    extra = 0
    readonly_fields = ("author", "created_at")


@admin.register(ActionItem)
class ActionItemAdmin(ShowOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("description", "meeting", "owner_person", "owner_institution", "due_date", "status")
    list_filter = ("status",)
    search_fields = ("description", "owner_person__name", "meeting__title")
    list_select_related = ("meeting", "owner_person", "owner_institution")
    raw_id_fields = ("meeting", "resolution", "owner_person")
    inlines = [NoteInline]


@admin.register(ActionItemNote)
class ActionItemNoteAdmin(ShowOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("action_item", "status_after", "author", "created_at")
    raw_id_fields = ("action_item",)


@admin.register(ActionItemEvidence)
class ActionItemEvidenceAdmin(ShowOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("original_name", "action_item", "kind", "size", "uploaded_at")
    raw_id_fields = ("action_item",)


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(ShowOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "meeting", "kind", "size", "uploaded_at")
    raw_id_fields = ("meeting",)


@admin.register(MeetingDelivery)
class MeetingDeliveryAdmin(admin.ModelAdmin):
    list_display = ("dedupe_key", "kind", "recipient", "status", "attempts", "sent_at")
    list_filter = ("kind", "status")
    search_fields = ("dedupe_key", "recipient")
    readonly_fields = [f.name for f in MeetingDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
