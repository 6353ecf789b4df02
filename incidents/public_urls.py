"""The public address of the report form (``/lapor/``, no login): see ``incidents.intake_views``."""

from django.urls import path

from incidents import intake_views, pwa

app_name = "lapor"

urlpatterns = [
    path("", intake_views.PublicReportCreateView.as_view(), name="form"),
    path("status/", intake_views.PublicReportLookupView.as_view(), name="lookup"),
    path("status/<str:code>/", intake_views.PublicReportStatusView.as_view(), name="status"),
    path("privasi/", intake_views.PublicPrivacyView.as_view(), name="privacy"),
    path("wilayah.json", intake_views.PublicRegionsView.as_view(), name="regions"),
    path("manifest.webmanifest", pwa.manifest, {"app": "lapor"}, name="manifest"),
]
