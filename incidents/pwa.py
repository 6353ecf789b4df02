"""The two report forms as an installable web app: the web manifests and the service worker.

- ``/lapor/manifest.webmanifest`` (the public form) and ``/insiden/lapor/manifest.webmanifest`` (the
  staff quick entry): public JSON (browsers fetch a manifest without cookies), no data in them.
- ``/sw.js``: ``static/js/sw.js`` with its configuration in front (the URLs to keep, their versions).
  Served from the root so its scope covers both ``/lapor/`` and ``/insiden/lapor/``; it answers only
  for those pages, the region lists and the static files they use, and lets every other request
  through untouched. Never cached by HTTP (a new deployment reaches phones at their next visit).

What it keeps (``PRECACHE``): the public form and its personal-data notice, the province's region
list, the offline map's boundaries (GeoJSON), the stylesheets, scripts, icons and fonts of both forms.
The staff quick entry is kept when a logged-in officer opens it (it is that login's page), and
dropped when anyone opens the login page or logs out on that phone (``static/js/sw.js``).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

STATIC_FILES = (
    "vendor/bootstrap/css/bootstrap.min.css", "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/bootstrap-icons/bootstrap-icons.min.css", "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff",
    "vendor/leaflet/leaflet.css", "vendor/leaflet/leaflet.js", "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png", "vendor/leaflet/images/marker-shadow.png",
    "incidents/geo/batas-kabkota-19.geojson", "incidents/geo/batas-kecamatan-19.geojson",
    "css/kesbang.css", "css/public.css", "css/incidents.css",
    "js/kesbang.js", "js/pwa.js", "js/public-report.js", "js/incidents.js", "js/incident-form.js",
    "js/location-picker.js",
    "img/logo.svg", "img/icon-192.png", "img/icon-512.png",
)
SW_SOURCE = Path(settings.BASE_DIR) / "static" / "js" / "sw.js"


def _sw_config() -> dict:
    public_pages = [reverse("lapor:form"), reverse("lapor:privacy"), reverse("lapor:lookup")]
    static_urls = [static(name) for name in STATIC_FILES]
    return {
        "staticPrefix": settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL,
        "precacheStatic": static_urls,
        "publicPages": public_pages,
        "regionsUrl": reverse("lapor:regions"),
        "staffPages": [reverse("incidents:incident_create")],
        "staffJson": "^" + reverse("incidents:incident_list") + r"wilayah/\d+/$",
        "clearStaffOn": [reverse("login"), reverse("logout")],
        "offlineText": _("Tidak ada sinyal, dan halaman ini belum tersimpan di perangkat. Buka halaman ini sekali "
                         "saat ada sinyal agar dapat dipakai tanpa sinyal."),
    }


@lru_cache(maxsize=1)
def _static_stamp() -> str:
    """Files behind the precached URLs, by content, once per process (in production the URLs already
    carry a hash; in development a changed file still makes a new service worker after a restart)."""
    from django.contrib.staticfiles import finders

    digest = hashlib.sha256()
    for name in STATIC_FILES:
        path = finders.find(name)
        if path:
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:12]


def service_worker_source() -> str:
    config = _sw_config()
    body = SW_SOURCE.read_text(encoding="utf-8")
    version = hashlib.sha256((json.dumps(config, sort_keys=True) + body + _static_stamp()).encode()).hexdigest()[:16]
    config["version"] = version
    return f"/* Kesbang service worker {version} */\nself.KB_SW = {json.dumps(config)};\n{body}"


@login_not_required
@require_GET
def service_worker(request):
    response = HttpResponse(service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def manifest(request, app: str):
    """The web manifest of one of the two report forms (``app``: "lapor" public, "staf" quick entry)."""
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {"src": static("img/logo.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    if app == "staf":
        data = {"id": reverse("incidents:incident_create"), "name": _("Kesbang — Lapor Cepat Insiden"),
                "short_name": _("Lapor Cepat"), "start_url": reverse("incidents:incident_create"),
                "scope": reverse("incidents:incident_list"),
                "description": _("Laporan cepat insiden dan potensi konflik untuk petugas, juga tanpa sinyal.")}
    else:
        data = {"id": reverse("lapor:form"), "name": _("Lapor Potensi Konflik — Kesbangpol Babel"),
                "short_name": _("Lapor Konflik"), "start_url": reverse("lapor:form"), "scope": reverse("lapor:form"),
                "description": _("Laporkan potensi konflik sosial kepada Badan Kesbangpol, juga tanpa sinyal.")}
    data.update({"display": "standalone", "lang": "id", "background_color": "#f3f5f9", "theme_color": "#12355b",
                 "icons": icons})
    response = JsonResponse(data, content_type="application/manifest+json",
                            json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=3600"
    return response
