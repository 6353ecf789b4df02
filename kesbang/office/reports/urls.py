from django.urls import path

from kesbang.office.reports import views
from kesbang.office.weekly import views as weekly_views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("minta/", views.ReportRequestView.as_view(), name="report_request"),
    path("<id:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<id:pk>/status.json", views.ReportStatusView.as_view(), name="report_status"),
    path("<id:pk>/unduh/<str:fmt>/", views.ReportDownloadView.as_view(), name="report_download"),
    path("<id:pk>/narasi/", views.ReportNarrativeView.as_view(), name="report_narrative"),
    path("<id:pk>/finalkan/", views.ReportFinaliseView.as_view(), name="report_finalise"),
    path("<id:pk>/buat-ulang/", views.ReportRegenerateView.as_view(), name="report_regenerate"),
    path("<id:pk>/kirim/", views.ReportSendView.as_view(), name="report_send"),
    path("ringkasan-mingguan/", weekly_views.WeeklyPreviewView.as_view(), name="weekly_preview"),
    path("ringkasan-mingguan/surel.html", weekly_views.WeeklyPreviewHtmlView.as_view(), name="weekly_preview_html"),
    path("ringkasan-mingguan/kirim/", weekly_views.WeeklySendNowView.as_view(), name="weekly_send"),
]
