from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from teams.models import Institution, Person, Region


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
class RegionAdmin(admin.ModelAdmin):
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
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "region", "phone", "email")
    list_filter = ("kind", ("region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "short_name")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("name", "position", "institution", "region", "nip", "phone", "email", "user")
    list_filter = (("institution", admin.RelatedOnlyFieldListFilter), ("region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "nip", "position", "institution__name", "institution__short_name", "email")
    autocomplete_fields = ("institution", "region", "user")
    list_select_related = ("institution", "region", "user")
