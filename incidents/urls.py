from django.urls import path

from incidents import intake_views, pwa, views

app_name = "incidents"

urlpatterns = [
    path("", views.IncidentListView.as_view(), name="incident_list"),
    path("lapor/", views.IncidentCreateView.as_view(), name="incident_create"),
    path("lapor/manifest.webmanifest", pwa.manifest, {"app": "staf"}, name="quick_entry_manifest"),
    path("laporan-masyarakat/", intake_views.PublicReportListView.as_view(), name="public_report_list"),
    path("laporan-masyarakat/<id:pk>/", intake_views.PublicReportDetailView.as_view(), name="public_report_detail"),
    path("laporan-masyarakat/<id:pk>/foto/<id:photo_pk>/", intake_views.PublicReportPhotoView.as_view(),
         name="public_report_photo"),
    path("peta/", views.IncidentMapView.as_view(), name="incident_map"),
    path("peta/data/", views.IncidentMapDataView.as_view(), name="incident_map_data"),
    path("ekspor.<str:fmt>", views.IncidentExportView.as_view(), name="incident_export"),
    path("wilayah/<id:region_pk>/", views.RegionChildrenView.as_view(), name="region_children"),
    path("tim/<id:team_pk>/petugas/", views.TeamHandlersView.as_view(), name="team_handlers"),
    path("kemungkinan-duplikat/", views.DuplicateCheckView.as_view(), name="duplicate_check"),
    path("<id:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("<id:pk>/riwayat/", views.IncidentHistoryView.as_view(), name="incident_history"),
    path("<id:pk>/ubah/", views.IncidentUpdateView.as_view(), name="incident_update"),
    path("<id:pk>/status/<str:name>/", views.IncidentTransitionView.as_view(), name="incident_transition"),
    path("<id:pk>/eskalasi/", views.IncidentEscalateView.as_view(), name="incident_escalate"),
    path("<id:pk>/tindak-lanjut/", views.FollowUpCreateView.as_view(), name="follow_up_create"),
    path("<id:pk>/status-keadaan-konflik/", views.ConflictStatusCreateView.as_view(), name="conflict_status_create"),
    path("<id:pk>/lampiran/", views.AttachmentUploadView.as_view(), name="attachment_upload"),
    path("<id:pk>/lampiran/<id:attachment_pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("<id:pk>/lampiran/<id:attachment_pk>/hapus/", views.AttachmentDeleteView.as_view(),
         name="attachment_delete"),
]
