"""The OpenAPI document (``/api/v1/schema/``, YAML, or JSON with ``?format=json``) for any login
(token or session), and its documentation page (``/api/v1/docs/``): Swagger UI from our own static
files (drf-spectacular-sidecar), started by ``static/js/api-docs.js`` with its settings in a
``json_script`` (no inline script: the Content Security Policy stays strict)."""

from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import reverse
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated

from kesbang.api import schema  # noqa: F401 - registers the OpenAPI descriptions of our log-ins
from kesbang.api.throttling import ApiRateThrottle


class SchemaView(SpectacularAPIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [ApiRateThrottle]


class DocsView(TemplateView):
    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        config = {"url": reverse("api:schema") + "?format=json", "csrfToken": get_token(self.request),
                  "csrfHeader": settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-")}
        return super().get_context_data(docs_config=config, **kwargs)


def not_found(request, *args, **kwargs):
    """An address under /api/v1/ that names no resource (or an id beyond a row id)."""
    from django.http import JsonResponse
    from django.utils.translation import gettext as _

    return JsonResponse({"detail": _("Tidak ditemukan.")}, status=404)
