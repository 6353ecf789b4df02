from django.urls import path

from kesbang.integrations import views

app_name = "integrations"

urlpatterns = [
    path("", views.PackageListView.as_view(), name="package_list"),
    path("minta/", views.PackageRequestView.as_view(), name="package_request"),
    path("<id:pk>/", views.PackageDetailView.as_view(), name="package_detail"),
    path("<id:pk>/status.json", views.PackageStatusView.as_view(), name="package_status"),
    path("<id:pk>/unduh/", views.PackageDownloadView.as_view(), name="package_download"),
]
