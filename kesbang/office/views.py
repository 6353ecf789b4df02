"""The office's landing page: the dashboard (a ``TemplateView`` on the core ``ProtectedView``)."""

import datetime
import logging

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.generic import TemplateView

from kesbang.core.views import ProtectedView
from kesbang.office.selectors import DASHBOARD_PERIODS, office_dashboard

logger = logging.getLogger(__name__)


class DashboardView(ProtectedView, TemplateView):
    """The landing page: aggregates from ``office_dashboard`` (cached a minute per login and period),
    the live list of reports awaiting verification; every number links to its filtered list.

    Its one fixed part is the Tim Terpadu summary, so it asks ``teams.view_team``, which every role
    holds (kesbang/accounts/roles.py); the incident and meeting blocks follow their own view
    permissions and everything the login's scope. A login without a role holds nothing and is refused
    (403) before anything is read."""

    permission_required = "teams.view_team"
    template_name = "kesbang/dashboard.html"
    permission_denied_message = _l("Akun Anda belum memiliki peran. Hubungi administrator Kesbangpol.")

    def get_context_data(self, **kwargs):
        data = office_dashboard(user=self.request.user, period=self.request.GET.get("periode"))
        context = {"summary": data["summary"], "b_period": data["b_period"], "b_achievement": data["b_achievement"],
                   "periods": DASHBOARD_PERIODS.items(), "meetings": data.get("meetings")}
        overview = data.get("incidents")
        if overview is not None:
            context["inc"] = overview
            context["awaiting"] = overview["awaiting_list"]
            base = reverse("incidents:incident_list")  # once: the links below are some sixty addresses
            context["chart_data"] = _chart_data(overview, base)
            context["links"] = _incident_links(overview, base)
        return super().get_context_data(**context, **kwargs)


def _list_url(base: str, **params) -> str:
    """The incident list (``base``, its address) filtered by ``params``, drafts left out as on the
    dashboard (a list value repeats the parameter: ``severity=tinggi&severity=kritis``)."""
    from urllib.parse import urlencode

    params = {"tanpa_draf": "1", **params}
    query = urlencode(
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in params.items() if v}, doseq=True
    )
    return f"{base}?{query}"


HIGH_SEVERITIES = ["tinggi", "kritis"]


def _incident_links(o: dict, base: str) -> dict:
    p = o["period"]
    return {
        "week": _list_url(base, date_from=o["week"]["start"], date_to=o["week"]["end"]),
        "prev_week": _list_url(base, date_from=o["week"]["prev_start"], date_to=o["week"]["prev_end"]),
        "month": _list_url(base, date_from=o["month"]["start"], date_to=o["month"]["end"]),
        "prev_month": _list_url(base, date_from=o["month"]["prev_start"], date_to=o["month"]["prev_end"]),
        "period": _list_url(base, date_from=p["start"], date_to=p["end"]),
        "open": _list_url(base, terbuka="on"),
        "open_high": _list_url(base, terbuka="on", severity=HIGH_SEVERITIES),
        "awaiting": _list_url(base, status="dilaporkan"),
        "conflict": _list_url(base, skk_aktif="on"),
        "severity": {code: _list_url(base, terbuka="on", severity=code) for code, _label, _n in o["open_by_severity"]},
    }


def _chart_data(o: dict, base: str) -> dict:
    """What static/js/dashboard.js draws (passed with json_script: no inline code)."""
    from django.templatetags.static import static

    p = o["period"]
    return {
        "weekly": {
            "labels": [w["label"] for w in o["series"]], "values": [w["n"] for w in o["series"]],
            "urls": [_list_url(base, date_from=w["week"], date_to=(datetime.date.fromisoformat(w["week"])
                                                             + datetime.timedelta(days=6))) for w in o["series"]],
            "title": str(_("Insiden per minggu (26 minggu)")),
        },
        "sources": {
            "labels": [label for _code, label, _n in o["by_source"]], "values": [n for _c, _l, n in o["by_source"]],
            "urls": [_list_url(base, source=code, date_from=p["start"], date_to=p["end"])
                     for code, _l, _n in o["by_source"]],
        },
        "regions": {
            "labels": [r["name"] for r in o["regions"]], "values": [r["period"] for r in o["regions"]],
            "urls": [_list_url(base, region=r["id"], date_from=p["start"], date_to=p["end"]) for r in o["regions"]],
        },
        "map": {
            "geojson": static("incidents/geo/batas-kabkota-19.geojson"),
            "open": {r["code"]: r["open"] for r in o["regions"]},
            "urls": {r["code"]: _list_url(base, region=r["id"], terbuka="on") for r in o["regions"]},
            "label": str(_("insiden terbuka")),
        },
        "label_incidents": str(_("insiden")),
    }
