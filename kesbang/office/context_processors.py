"""Navigation for the base template: the sidebar entries and which one is active."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (key, label, icon, url name, namespaces that mark it active)
NAV = [
    ("dashboard", _("Dasbor"), "speedometer2", "dashboard", ("",)),
    ("teams", _("Tim Terpadu"), "people", "teams:team_list", ("teams",)),
    ("incidents", _("Insiden"), "exclamation-triangle", "incidents:incident_list", ("incidents",)),
    ("meetings", _("Rapat"), "calendar-event", "meetings:meeting_list", ("meetings",)),
    ("reports", _("Laporan"), "file-earmark-bar-graph", "reports:report_list", ("reports", "integrations")),
]


def navigation(request):
    """Computed once per request (a template rendered with a RequestContext more than once, e.g. an
    include with its own context, would run every context processor again)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    cached = getattr(request, "_kesbang_navigation", None)
    if cached is None:
        cached = request._kesbang_navigation = _navigation(request)
    return cached


def _navigation(request):
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else None
    url_name = match.url_name if match else None
    items = []
    for key, label, icon, name, namespaces in NAV:
        try:
            url = reverse(name)
        except NoReverseMatch:
            url = None  # capability not built yet: shown, but disabled and labelled as such
        active = (namespace in namespaces and namespace != "") or (key == "dashboard" and url_name == "dashboard")
        items.append({"key": key, "label": label, "icon": icon, "url": url, "active": active})
    return {"nav_items": items}
