"""Reads of the report pages (house style 3): the querysets they list, the regions a login may
ask reports for and the versions of one report's period. Authorisation stays in
``Report.objects.restrict``: these take its querysets."""

from kesbang.office.models import Report
from teams.access import scope_of
from teams.models import Region


def report_list(queryset):
    """The archive's rows with what each cell shows (region, requester) in the same query."""
    return queryset.select_related("region", "requested_by")


def report_regions(user):
    """The province and its regencies/cities for a province-wide login, else the login's own
    regency: what the request form offers and the archive's region filter lists."""
    scope = scope_of(user)
    qs = Region.objects.filter(level__in=[Region.Level.PROVINSI, Region.Level.KABUPATEN, Region.Level.KOTA])
    if not scope.all_regions:
        qs = qs.filter(code=scope.regency_code) if scope.regency_code else qs.none()
    return qs.order_by("code")


def report_versions(visible, report: Report) -> list[dict]:
    """Every version of ``report``'s kind, period and region among ``visible`` (restricted), newest
    first, as the few values the detail page lists."""
    return list(
        visible.filter(kind=report.kind, period=report.period, region=report.region_id)
        .order_by("-version").values("pk", "version", "status", "sent_at", "finalised_at")
    )
