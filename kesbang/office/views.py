"""Office-wide views: dashboard and health."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kesbang.celery import app as celery_app
from kesbang.selectors import DASHBOARD_PERIODS, office_dashboard
from teams.access import has_any_role

logger = logging.getLogger(__name__)


def dashboard(request):
    """The landing page: aggregates from ``office_dashboard`` (cached a minute per login and period),
    the live list of reports awaiting verification; every number links to its filtered list."""
    if not has_any_role(request.user):
        raise PermissionDenied(_("Akun Anda belum memiliki peran. Hubungi administrator Kesbangpol."))
    data = office_dashboard(user=request.user, period=request.GET.get("periode"))
    context = {"summary": data["summary"], "b_period": data["b_period"], "b_achievement": data["b_achievement"],
               "periods": DASHBOARD_PERIODS.items(), "meetings": data.get("meetings")}
    overview = data.get("incidents")
    if overview is not None:
        context["inc"] = overview
        context["awaiting"] = overview["awaiting_list"]
        context["chart_data"] = _chart_data(overview)
        context["links"] = _incident_links(overview)
    return render(request, "kesbang/dashboard.html", context)


def _list_url(**params) -> str:
    """The incident list filtered by ``params``, drafts left out as on the dashboard (a list value
    repeats the parameter: ``severity=tinggi&severity=kritis``)."""
    from urllib.parse import urlencode

    base = reverse("incidents:incident_list")
    params = {"tanpa_draf": "1", **params}
    query = urlencode(
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in params.items() if v}, doseq=True
    )
    return f"{base}?{query}"


HIGH_SEVERITIES = ["tinggi", "kritis"]


def _incident_links(o: dict) -> dict:
    p = o["period"]
    return {
        "week": _list_url(date_from=o["week"]["start"], date_to=o["week"]["end"]),
        "prev_week": _list_url(date_from=o["week"]["prev_start"], date_to=o["week"]["prev_end"]),
        "month": _list_url(date_from=o["month"]["start"], date_to=o["month"]["end"]),
        "prev_month": _list_url(date_from=o["month"]["prev_start"], date_to=o["month"]["prev_end"]),
        "period": _list_url(date_from=p["start"], date_to=p["end"]),
        "open": _list_url(terbuka="on"),
        "open_high": _list_url(terbuka="on", severity=HIGH_SEVERITIES),
        "awaiting": _list_url(status="dilaporkan"),
        "conflict": _list_url(skk_aktif="on"),
        "severity": {code: _list_url(terbuka="on", severity=code) for code, _label, _n in o["open_by_severity"]},
    }


def _chart_data(o: dict) -> dict:
    """What static/js/dashboard.js draws (passed with json_script: no inline code)."""
    from django.templatetags.static import static

    p = o["period"]
    return {
        "weekly": {
            "labels": [w["label"] for w in o["series"]], "values": [w["n"] for w in o["series"]],
            "urls": [_list_url(date_from=w["week"], date_to=(datetime.date.fromisoformat(w["week"])
                                                             + datetime.timedelta(days=6))) for w in o["series"]],
            "title": str(_("Insiden per minggu (26 minggu)")),
        },
        "sources": {
            "labels": [label for _code, label, _n in o["by_source"]], "values": [n for _c, _l, n in o["by_source"]],
            "urls": [_list_url(source=code, date_from=p["start"], date_to=p["end"]) for code, _l, _n in o["by_source"]],
        },
        "regions": {
            "labels": [r["name"] for r in o["regions"]], "values": [r["period"] for r in o["regions"]],
            "urls": [_list_url(region=r["id"], date_from=p["start"], date_to=p["end"]) for r in o["regions"]],
        },
        "map": {
            "geojson": static("incidents/geo/batas-kabkota-19.geojson"),
            "open": {r["code"]: r["open"] for r in o["regions"]},
            "urls": {r["code"]: _list_url(region=r["id"], terbuka="on") for r in o["regions"]},
            "label": str(_("insiden terbuka")),
        },
        "label_incidents": str(_("insiden")),
    }


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_broker() -> None:
    with celery_app.connection_for_write(url=settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)


def _check_cache() -> None:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return the value just written")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Public JSON health: 200 when database, broker and cache answer; 503 naming what is down."""
    checks = {}
    for name, check in (("database", _check_database), ("broker", _check_broker), ("cache", _check_cache)):
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down", and is reported
            logger.warning("healthz: %s down: %s", name, exc)
            # The page is public: name the kind of failure only; the message (hosts, user names) is logged.
            checks[name] = {"ok": False, "error": type(exc).__name__}
        else:
            checks[name] = {"ok": True}
    down = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "ok" if not down else "error", "down": down, "checks": checks}
    return JsonResponse(body, status=503 if down else 200)
