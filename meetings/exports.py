"""Files of a meeting: the .ics, the formal invitation letter (naskah dinas, DOMAIN.md section 4), the
attendance sheet with a signature column (daftar hadir) and the one-click meeting PDF (cover, agenda,
attendance, minutes, resolutions, action items). PDFs through WeasyPrint, always in Indonesian (they
are official documents), a fixed number of queries whatever the number of invitees.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.views import View

from kesbang.core.pdf import render_pdf
from kesbang.core.views import ProtectedView
from meetings import selectors
from meetings.calendar_ics import ICS_CONTENT_TYPE, meeting_ics
from meetings.models import Attendance, Invitation, Meeting
from meetings.views import MeetingScopedMixin

OFFICE = {
    "government": "PEMERINTAH PROVINSI KEPULAUAN BANGKA BELITUNG",
    "agency": "BADAN KESATUAN BANGSA DAN POLITIK",
    "address": "Kompleks Perkantoran dan Pemukiman Terpadu Pemerintah Provinsi Kepulauan Bangka Belitung, "
               "Jl. Pulau Bangka, Air Itam, Pangkalpinang 33149",
    "contact": "Telepon (0717) 4262000 · Laman kesbangpol.babelprov.go.id · Pos-el kesbangpol@babelprov.go.id",
}


def _pdf(html: str) -> bytes:
    return render_pdf(html)  # img/logo.svg of the letterhead resolves under static/


def _when(meeting: Meeting) -> dict:
    start, end = timezone.localtime(meeting.start), timezone.localtime(meeting.end)
    return {
        "day_date": date_format(start, "l, j F Y"),
        "time": f"{start:%H.%M} WIB s.d. selesai",
        "time_range": f"{start:%H.%M}–{end:%H.%M} WIB",
        "date": date_format(start, "j F Y"),
    }


def addressee(inv: Invitation) -> str:
    """"Yth." names the addressee's position (and institution), not only the name (DOMAIN.md 4)."""
    position = inv.position_label
    institution = inv.person.institution.name if inv.person_id else inv.guest_institution
    if position and institution and institution.lower() not in position.lower():
        return f"{position} {institution}"
    return position or inv.name


def invitation_letter_html(meeting: Meeting, invitations: list[Invitation]) -> str:
    with translation.override("id"):
        agenda = list(meeting.agenda_items.order_by("order"))
        signatory = meeting.signatory
        return render_to_string("meetings/pdf/invitation_letter.html", {
            "meeting": meeting, "office": OFFICE, "when": _when(meeting), "agenda": agenda,
            "letters": [{"inv": inv, "to": addressee(inv)} for inv in invitations],
            "letter_date": date_format(meeting.letter_date or timezone.localdate(meeting.created_at), "j F Y"),
            "signatory": signatory, "copies": [c.strip() for c in meeting.copies.splitlines() if c.strip()],
        })


def attendance_sheet_html(meeting: Meeting, invitations: list[Invitation]) -> str:
    with translation.override("id"):
        return render_to_string("meetings/pdf/attendance_sheet.html", {
            "meeting": meeting, "office": OFFICE, "when": _when(meeting), "invitations": invitations,
            "blank_rows": range(5),
        })


def meeting_report_html(meeting: Meeting) -> str:
    with translation.override("id"):
        invitations = selectors.invitations_with_attendance(meeting)
        present, represented, absent, unrecorded = [], [], [], []
        for inv in invitations:
            att = selectors.attendance_of(inv)
            if att is None:
                unrecorded.append(inv)
            elif att.status == Attendance.Status.REPRESENTED:
                represented.append((inv, att))
            elif att.counts_as_present:
                present.append((inv, att))
            else:
                absent.append(inv)
        minutes = selectors.minutes_of(meeting)
        return render_to_string("meetings/pdf/meeting_report.html", {
            "meeting": meeting, "office": OFFICE, "when": _when(meeting),
            "agenda": list(meeting.agenda_items.select_related("presenter").order_by("order")),
            "present": present, "represented": represented, "absent": absent, "unrecorded": unrecorded,
            "headcount": selectors.meeting_headcount(meeting, invitations), "minutes": minutes,
            "resolutions": list(meeting.resolutions.all()),
            "action_items": list(selectors.action_items_of(meeting)),
            "printed": date_format(timezone.localtime(), "j F Y H.i"),
        })


def _filename(meeting: Meeting, stem: str, ext: str) -> str:
    return f"{stem}-{slugify(meeting.title)[:50]}-{timezone.localtime(meeting.start):%Y%m%d}.{ext}"


def _file(data: bytes, content_type: str, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


class MeetingFileMixin(MeetingScopedMixin, ProtectedView):
    def get_scoped_queryset(self):
        return Meeting.objects.select_related("team__region", "chair", "opener", "signatory")


class MeetingIcsView(MeetingFileMixin, View):
    def get(self, request, *args, **kwargs):
        return _file(meeting_ics(self.meeting), ICS_CONTENT_TYPE, _filename(self.meeting, "rapat", "ics"),
                     inline=False)


class InvitationLetterPdfView(MeetingFileMixin, View):
    """Letters for the invitees without email (default), all (``?semua=1``) or one (``?undangan=<id>``)."""

    def get(self, request, *args, **kwargs):
        invitations = selectors.invitations_with_attendance(self.meeting)
        one = request.GET.get("undangan")
        if one:
            invitations = [i for i in invitations if str(i.pk) == one]
            if not invitations:
                raise Http404
        elif not request.GET.get("semua"):
            invitations = [i for i in invitations if not i.email] or invitations
        html = invitation_letter_html(self.meeting, invitations)
        return _file(_pdf(html), "application/pdf", _filename(self.meeting, "surat-undangan", "pdf"))


class AttendanceSheetPdfView(MeetingFileMixin, View):
    def get(self, request, *args, **kwargs):
        html = attendance_sheet_html(self.meeting, selectors.invitations_with_attendance(self.meeting))
        return _file(_pdf(html), "application/pdf", _filename(self.meeting, "daftar-hadir", "pdf"))


class MeetingReportPdfView(MeetingFileMixin, View):
    def get(self, request, *args, **kwargs):
        return _file(_pdf(meeting_report_html(self.meeting)), "application/pdf",
                     _filename(self.meeting, "laporan-rapat", "pdf"))
