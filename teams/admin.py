from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kesbang.core.admin import ConfidentialDeleteSummaryMixin, ShowOnlyAdminMixin
from teams import services
from teams.models import (
    ActionPlan,
    Activity,
    ActivityPeriod,
    Evidence,
    Institution,
    Membership,
    Person,
    PlanReminderLog,
    Region,
    ReportingDeadline,
    Team,
)


class ParentRegionFilter(admin.SimpleListFilter):
    """Browse regions by parent: the province, its regencies/cities and kecamatan (not 393 desa)."""

    title = _("wilayah induk")
    parameter_name = "parent"

    def lookups(self, request, model_admin):
        parents = Region.objects.exclude(level__in=[Region.Level.DESA, Region.Level.KELURAHAN]).only("code", "name")
        return [(r.code, f"{r.code} {r.name}") for r in parents]

    def queryset(self, request, queryset):
        return queryset.filter(parent__code=self.value()) if self.value() else queryset


@admin.register(Region)
class RegionAdmin(ConfidentialDeleteSummaryMixin, admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "children_link")
    list_filter = ("level", ParentRegionFilter)
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(children_count=Count("children"))

    @admin.display(description=_("wilayah di bawahnya"), ordering="children_count")
    def children_link(self, obj):
        if not obj.children_count:
            return "—"
        url = reverse("admin:teams_region_changelist") + f"?parent={obj.code}"
        return format_html('<a href="{}">{}</a>', url, obj.children_count)


@admin.register(Institution)
class InstitutionAdmin(ConfidentialDeleteSummaryMixin, admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "region", "phone", "email")
    list_filter = ("kind", ("region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "short_name")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)


@admin.register(Person)
class PersonAdmin(ConfidentialDeleteSummaryMixin, SimpleHistoryAdmin):
    list_display = ("name", "position", "institution", "region", "nip", "phone", "email", "user")
    list_filter = (("institution", admin.RelatedOnlyFieldListFilter), ("region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "nip", "position", "institution__name", "institution__short_name", "email")
    autocomplete_fields = ("institution", "region", "user")
    list_select_related = ("institution", "region", "user")


# --- Teams, memberships, action plans ----------------------------------------------------------------
# The admin is the data office's tool; day-to-day work goes through the pages and their services.

class MembershipInline(ShowOnlyAdminMixin, admin.TabularInline):
    """Shown for reading: seats are added and ended in the Keanggotaan admin (through the services)."""

    model = Membership
    fk_name = "team"
    extra = 0
    fields = ("person", "role", "start_date", "end_date", "decree_number", "end_reason", "replaces")
    readonly_fields = fields
    ordering = ("end_date", "start_date")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person__institution", "replaces__person")


@admin.register(Team)
class TeamAdmin(ConfidentialDeleteSummaryMixin, SimpleHistoryAdmin):
    list_display = ("name", "region", "level", "decree_number", "decree_date", "period_start", "period_end",
                    "status", "active_members")
    list_filter = ("status", "level", ("region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "decree_number", "region__name", "region__code")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    date_hierarchy = "period_start"
    readonly_fields = ("created_at",)
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            active_count=Count("memberships", filter=Q(memberships__end_date__isnull=True))
        )

    @admin.display(description=_("anggota aktif"), ordering="active_count")
    def active_members(self, obj):
        return obj.active_count


class MembershipAdminForm(forms.ModelForm):
    """Adding seats a person through ``membership_start``; changing ends the seat through
    ``membership_end``: the services' rules (team status, date window, one Ketua ...) hold here too.
    The service runs when the form is validated (inside the admin's transaction), so its refusal is a
    form error and nothing else writes the row."""

    class Meta:
        model = Membership
        fields = ("team", "person", "role", "start_date", "decree_number", "replaces", "end_date", "end_reason")

    def _post_clean(self):
        super()._post_clean()  # the model's own validation first, before anything is written
        self.result = None
        if self.errors:
            return
        data = self.cleaned_data
        try:
            if self.instance.pk is None:
                if data.get("end_date"):
                    raise ValidationError({"end_date": _("Keanggotaan baru belum berakhir; akhiri setelah disimpan.")})
                self.result = services.membership_start(
                    team=data["team"], person=data["person"], role=data["role"], start_date=data["start_date"],
                    decree_number=data.get("decree_number") or "", replaces=data.get("replaces"),
                )
            elif data.get("end_date") and self.initial.get("end_date") is None:
                current = Membership.objects.select_related("team").get(pk=self.instance.pk)
                self.result = services.membership_end(
                    membership=current, end_date=data["end_date"], reason=data.get("end_reason") or ""
                )
        except ValidationError as exc:
            self._update_errors(exc)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    form = MembershipAdminForm
    list_display = ("person", "role", "team", "start_date", "end_date", "decree_number", "end_reason")
    list_filter = ("role", ("end_date", admin.EmptyFieldListFilter), ("team", admin.RelatedOnlyFieldListFilter))
    search_fields = ("person__name", "person__nip", "team__name", "decree_number")
    list_select_related = ("person", "team")
    autocomplete_fields = ("team", "person", "replaces")
    date_hierarchy = "start_date"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # A seat's history is kept: after it is created only its end is recorded here.
        ended = ("end_date", "end_reason") if obj.end_date else ()
        return ("team", "person", "role", "start_date", "decree_number", "replaces", *ended)

    def save_model(self, request, obj, form, change):
        result = getattr(form, "result", None)
        if result is not None:
            obj.pk = result.pk
            obj.__dict__.update({f.attname: getattr(result, f.attname) for f in Membership._meta.concrete_fields})
            obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        return False  # ended, never deleted: the row is the history


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ("phase", "number", "name", "indicator", "unit", "responsible_institution", "budget", "budget_source")
    autocomplete_fields = ("responsible_institution",)
    show_change_link = True


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ("team", "year", "legal_basis_number", "legal_basis_date", "activity_count", "created_at")
    list_filter = ("year", ("team__region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("team__name", "legal_basis_number")
    list_select_related = ("team",)
    autocomplete_fields = ("team",)
    readonly_fields = ("created_at",)
    inlines = [ActivityInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(activity_total=Count("activities"))

    @admin.display(description=_("kegiatan"), ordering="activity_total")
    def activity_count(self, obj):
        return obj.activity_total


class ActivityPeriodInline(admin.TabularInline):
    model = ActivityPeriod
    extra = 0
    fields = ("period", "target", "realisation", "narrative", "reported_at", "reported_by")
    readonly_fields = ("reported_at", "reported_by")


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "plan", "phase", "number", "responsible_institution", "unit", "budget")
    list_filter = ("phase", "plan__year", ("responsible_institution", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "indicator", "plan__team__name", "responsible_institution__name")
    list_select_related = ("plan__team", "responsible_institution")
    autocomplete_fields = ("plan", "responsible_institution")
    inlines = [ActivityPeriodInline]


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(admin.ModelAdmin):
    list_display = ("year", "period", "due_date")
    list_filter = ("year", "period")
    search_fields = ("year",)
    ordering = ("-year", "period")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the system (reminders sent, uploaded evidence): look, never edit here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PlanReminderLog)
class PlanReminderLogAdmin(ReadOnlyAdmin):
    list_display = ("plan", "period", "institution", "days_before", "status", "attempts", "sent_at")
    list_filter = ("status", "period", "days_before", ("institution", admin.RelatedOnlyFieldListFilter))
    search_fields = ("plan__team__name", "institution__name", "recipient")
    list_select_related = ("plan__team", "institution")
    date_hierarchy = "created_at"


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "activity_period", "kind", "size", "uploaded_by", "uploaded_at")
    list_filter = ("kind", ("uploaded_by", admin.RelatedOnlyFieldListFilter))
    search_fields = ("original_name", "activity_period__activity__name")
    list_select_related = ("activity_period__activity", "uploaded_by")
    date_hierarchy = "uploaded_at"
    exclude = ("file",)  # files are private: downloaded only through the permission-checked view
