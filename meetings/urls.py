from django.urls import path

from meetings import exports, views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("kalender/", views.MeetingCalendarView.as_view(), name="meeting_calendar"),
    path("baru/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("<id:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("<id:pk>/ubah/", views.MeetingUpdateView.as_view(), name="meeting_update"),
    path("<id:pk>/batalkan/", views.MeetingCancelView.as_view(), name="meeting_cancel"),
    path("<id:pk>/status/", views.MeetingStatusView.as_view(), name="meeting_status"),
    path("<id:pk>/acara/", views.AgendaAddView.as_view(), name="agenda_add"),
    path("<id:pk>/acara/<id:item>/hapus/", views.AgendaDeleteView.as_view(), name="agenda_delete"),
    path("<id:pk>/undang/", views.InviteView.as_view(), name="meeting_invite"),
    path("<id:pk>/undangan/<id:invitation>/hapus/", views.InvitationRemoveView.as_view(), name="invitation_remove"),
    path("<id:pk>/daftar-hadir/", views.CheckInView.as_view(), name="meeting_checkin"),
    path("<id:pk>/notulen/", views.MinutesView.as_view(), name="meeting_minutes"),
    path("<id:pk>/notulen/setujui/", views.MinutesApproveView.as_view(), name="minutes_approve"),
    path("<id:pk>/dokumen/tambah/", views.DocumentAddView.as_view(), name="document_add"),
    path("dokumen/<id:pk>/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("<id:pk>/kalender.ics", exports.MeetingIcsView.as_view(), name="meeting_ics"),
    path("<id:pk>/surat-undangan.pdf", exports.InvitationLetterPdfView.as_view(), name="invitation_letter_pdf"),
    path("<id:pk>/daftar-hadir.pdf", exports.AttendanceSheetPdfView.as_view(), name="attendance_sheet_pdf"),
    path("<id:pk>/laporan.pdf", exports.MeetingReportPdfView.as_view(), name="meeting_report_pdf"),
    path("jawab/<str:token>/", views.RsvpView.as_view(), name="rsvp"),
    path("tindak-lanjut/saya/", views.MyActionItemsView.as_view(), name="action_items_mine"),
    path("tindak-lanjut/terlambat/", views.OverdueActionItemsView.as_view(), name="action_items_overdue"),
    path("tindak-lanjut/<id:pk>/", views.ActionItemDetailView.as_view(), name="action_item_detail"),
    path("tindak-lanjut/bukti/<id:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
]
