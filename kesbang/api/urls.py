"""``/api/v1/``: the resources (a router over ``kesbang.api.views``), the OpenAPI document and its
documentation page. The API answers 401/403 itself, so its views are exempt from the site's
login redirect (``LoginRequiredMiddleware``); the documentation page is a page and keeps it."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.routers import DefaultRouter

from kesbang.api import docs, views

app_name = "api"

router = DefaultRouter(use_regex_path=False)
router.include_root_view = False
router.include_format_suffixes = False
router.register("regions", views.RegionViewSet, basename="region")
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("teams", views.TeamViewSet, basename="team")
router.register("people", views.PersonViewSet, basename="person")
router.register("action-plans", views.ActionPlanViewSet, basename="action-plan")
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("action-items", views.ActionItemViewSet, basename="action-item")
router.register("reports", views.ReportViewSet, basename="report")
router.register("national-packages", views.NationalPackageViewSet, basename="national-package")

urlpatterns = [
    path("schema/", login_not_required(docs.SchemaView.as_view()), name="schema"),
    path("docs/", docs.DocsView.as_view(), name="docs"),
    *[path(str(p.pattern), login_not_required(p.callback), name=p.name) for p in router.urls],
    # Anything else under /api/v1/ is a JSON 404 (not the site's HTML page): a client reads one format.
    re_path(r"^.*$", csrf_exempt(login_not_required(docs.not_found))),
]
