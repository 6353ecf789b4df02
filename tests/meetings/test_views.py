"""Meetings pages: permission matrix on every page, flows, bad input, RSVP link, PDFs, query counts."""

import datetime
import io

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import rsvp, services
from meetings.models import ActionItem, Attendance, Invitation, Meeting, Minutes
from tests.factories import PersonFactory, make_meeting, make_team

pytestmark = pytest.mark.django_db

USERS = ["no_role_user", "admin_user", "staf_provinsi", "pimpinan", "anggota_tim", "staf_bangka", "staf_belitung"]


def client_for(request, client, who):
    client.force_login(request.getfixturevalue(who))
    return client


READ = dict.fromkeys(USERS, 200) | {"no_role_user": 403}
DETAIL = {**READ, "anggota_tim": 404, "staf_belitung": 404}
WRITE = {"no_role_user": 403, "admin_user": 200, "staf_provinsi": 200, "pimpinan": 403, "anggota_tim": 403,
         "staf_bangka": 200, "staf_belitung": 404}
PAGES = {
    "meeting_list": READ, "meeting_calendar": READ, "action_items_mine": READ, "action_items_overdue": READ,
    "meeting_create": {**WRITE, "staf_belitung": 200},
    "meeting_detail": DETAIL, "meeting_ics": DETAIL, "invitation_letter_pdf": DETAIL,
    "attendance_sheet_pdf": DETAIL, "meeting_report_pdf": DETAIL,
    "meeting_update": WRITE, "meeting_cancel": WRITE, "agenda_add": WRITE, "meeting_invite": WRITE,
    "meeting_checkin": WRITE, "meeting_minutes": WRITE, "document_add": WRITE,
}
NO_PK = {"meeting_list", "meeting_calendar", "action_items_mine", "action_items_overdue", "meeting_create"}


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("who", USERS)
def test_permission_matrix(request, client, bangka_meeting, name, who):
    url = reverse(f"meetings:{name}", args=[] if name in NO_PK else [bangka_meeting.pk])
    response = client_for(request, client, who).get(url)
    assert response.status_code == PAGES[name][who], (name, who)


@pytest.mark.parametrize("name", ["meeting_list", "meeting_detail", "meeting_checkin", "meeting_report_pdf"])
def test_anonymous_goes_to_login(client, bangka_meeting, name):
    url = reverse(f"meetings:{name}", args=[] if name in NO_PK else [bangka_meeting.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_invited_anggota_sees_meeting_and_updates_own_action_item(client, anggota_tim, bangka_meeting):
    services.invite_people(meeting=bangka_meeting, people=[anggota_tim.person])
    client.force_login(anggota_tim)
    assert client.get(bangka_meeting.get_absolute_url()).status_code == 200
    assert client.get(reverse("meetings:meeting_update", args=[bangka_meeting.pk])).status_code == 403
    other = bangka_meeting.action_items.get()
    assert client.post(other.get_absolute_url(), {"text": "x", "status": "selesai"}).status_code == 403
    # their own item (after the minutes would be approved, progress is still allowed)
    Minutes.objects.filter(meeting=bangka_meeting).delete()
    own = services.action_item_create(meeting=bangka_meeting, description="Milik anggota",
                                      owner_person=anggota_tim.person, due_date=timezone.localdate())
    response = client.post(own.get_absolute_url(), {"text": "Sudah dilaksanakan", "status": "selesai"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == ActionItem.Status.DONE
    mine = client.get(reverse("meetings:action_items_mine"))
    assert b"Milik anggota" in mine.content and b"Pemetaan potensi konflik" not in mine.content


def test_post_refused_for_wrong_region_and_role(client, staf_belitung, pimpinan, bangka_meeting):
    url = reverse("meetings:meeting_cancel", args=[bangka_meeting.pk])
    client.force_login(staf_belitung)
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(pimpinan)
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert client.post(reverse("meetings:minutes_approve", args=[bangka_meeting.pk])).status_code == 403
    bangka_meeting.refresh_from_db()
    assert bangka_meeting.status == Meeting.Status.DIRENCANAKAN


def test_schedule_meeting_flow_and_bad_input(client, staf_bangka):
    team = make_team("19.01")
    client.force_login(staf_bangka)
    url = reverse("meetings:meeting_create")
    day = timezone.localdate() + datetime.timedelta(days=5)
    data = {"title": "Rakor Kabupaten", "kind": "rakor", "team": team.pk, "start": f"{day}T09:00",
            "end": f"{day}T08:00", "venue": "Aula Kantor Bupati", "venue_city": "Sungailiat",
            "agenda": "Pembukaan\nPaparan\nDiskusi"}
    response = client.post(url, data)
    assert response.status_code == 200 and "Waktu selesai harus setelah waktu mulai" in response.content.decode()
    response = client.post(url, {**data, "start": "bukan-tanggal"})
    assert response.status_code == 200
    response = client.post(url, {**data, "end": f"{day}T12:00"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Rakor Kabupaten")
    assert [a.title for a in meeting.agenda_items.all()] == ["Pembukaan", "Paparan", "Diskusi"]
    # a team outside the login's region is not a valid choice
    other = make_team("19.02")
    response = client.post(url, {**data, "end": f"{day}T12:00", "team": other.pk})
    assert response.status_code == 200 and Meeting.objects.count() == 1


def test_invite_checkin_minutes_approve_flow(client, staf_provinsi, bangka_meeting):
    client.force_login(staf_provinsi)
    invite = reverse("meetings:meeting_invite", args=[bangka_meeting.pk])
    assert client.post(invite, {"which": "tamu", "tamu-name": "Perwakilan Kemhan", "tamu-institution": "Kemhan"}
                       ).status_code == 302
    assert client.post(invite, {"which": "tamu", "tamu-name": ""}).status_code == 200
    assert client.post(invite, {"which": "zzz"}).status_code == 302
    checkin = reverse("meetings:meeting_checkin", args=[bangka_meeting.pk])
    guest = Invitation.objects.get(guest_name="Perwakilan Kemhan")
    assert client.post(checkin, {"invitation": guest.pk, "status": "terlambat"}).status_code == 302
    assert Attendance.objects.get(invitation=guest).status == "terlambat"
    response = client.post(checkin, {"invitation": guest.pk, "status": "diwakili"}, follow=True)
    assert "Sebutkan nama yang mewakili" in response.content.decode()
    assert client.post(checkin, {"invitation": "abc", "status": "hadir"}).status_code == 302
    assert client.post(checkin, {"walk_in": "1", "tamu-name": "Kepala Kesbangpol Kota Pangkalpinang"}
                       ).status_code == 302
    detail = client.get(bangka_meeting.get_absolute_url() + "?tab=kehadiran").content.decode()
    assert "Kepala Kesbangpol Kota Pangkalpinang" in detail
    # the chair has no login: the manager records the chair's approval; then read-only
    minutes_url = reverse("meetings:meeting_minutes", args=[bangka_meeting.pk])
    assert client.post(minutes_url, {"which": "notulen", "notulen-opening": "Dibuka pukul 09.00",
                                     "notulen-note_taker": "Sekretariat"}).status_code == 302
    assert client.post(reverse("meetings:minutes_approve", args=[bangka_meeting.pk])).status_code == 302
    minutes = Minutes.objects.get(meeting=bangka_meeting)
    assert minutes.is_approved
    response = client.post(minutes_url, {"which": "rumusan", "rumusan-kind": "rumusan", "rumusan-text": "baru"},
                           follow=True)
    assert response.status_code == 200 and "sudah disetujui" in response.content.decode()
    assert "hanya dapat dibaca" in client.get(minutes_url).content.decode()
    history = client.get(bangka_meeting.get_absolute_url() + "?tab=riwayat").content.decode()
    assert "Notulen" in history and "Disetujui" in history


def test_calendar_and_list_filters_never_500(client, staf_provinsi, bangka_meeting):
    client.force_login(staf_provinsi)
    cal = reverse("meetings:meeting_calendar")
    for query in ("", "?bulan=2017-05", "?bulan=2017-13", "?bulan=abc", "?minggu=2017-05-10", "?minggu=x",
                  "?team=999999", "?kind=zzz", "?bulan=9999-12", "?bulan=0001-01", "?bulan=1-1-1",
                  "?minggu=9999-12-31", "?minggu=0001-01-01"):
        assert client.get(cal + query).status_code == 200, query
    month = client.get(cal + "?bulan=" + timezone.localdate(bangka_meeting.start).strftime("%Y-%m"))
    assert bangka_meeting.title in month.content.decode()
    lst = reverse("meetings:meeting_list")
    for query in ("?date_from=2030-01-01&date_to=2020-01-01", "?date_from=xx", "?page=999", "?per_page=-5",
                  "?status=selesai", "?team=abc", "?date_to=9999-12-31", "?date_from=0001-01-01&date_to=0001-01-01"):
        assert client.get(lst + query).status_code == 200, query
    assert "Tanggal harus di antara tahun 1900 dan 2100" in client.get(lst + "?date_to=9999-12-31").content.decode()
    assert "Tanggal akhir tidak boleh sebelum tanggal awal" in client.get(
        lst + "?date_from=2030-01-01&date_to=2020-01-01").content.decode()


# --- RSVP link --------------------------------------------------------------------------------------


def future_invitation():
    meeting = make_meeting(make_team("19"), days_ahead=5)
    return services.invite_people(meeting=meeting, people=[PersonFactory(), PersonFactory()])


def test_rsvp_link_answers_only_its_invitation_without_login(client):
    inv, other = future_invitation()
    url = rsvp.rsvp_path(inv)
    response = client.get(url)
    assert response.status_code == 200 and inv.name in response.content.decode()
    response = client.post(url, {"response": "diwakilkan", "delegate_name": ""})
    assert "Sebutkan nama yang mewakili" in response.content.decode()
    response = client.post(url, {"response": "diwakilkan", "delegate_name": "Kabid Kewaspadaan"})
    assert response.status_code == 200 and "Terima kasih" in response.content.decode()
    inv.refresh_from_db()
    other.refresh_from_db()
    assert inv.response == "diwakilkan" and inv.delegate_name == "Kabid Kewaspadaan"
    assert other.response == "belum"


def test_rsvp_page_is_never_cached_and_every_answer_is_audited_without_the_token(client):
    from kesbang.accounts.models import AuditEvent

    inv, _other = future_invitation()
    url = rsvp.rsvp_path(inv)
    token = url.rstrip("/").rsplit("/", 1)[1]
    for response in (client.get(url), client.post(url, {"response": "hadir"}),
                     client.get(reverse("meetings:rsvp", args=["rusak"]))):
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    client.post(url, {"response": "diwakilkan", "delegate_name": "Kabid Kewaspadaan"})
    events = list(AuditEvent.objects.filter(kind="rsvp_answered").order_by("id"))
    assert len(events) == 2
    assert events[0].detail == f"rapat #{inv.meeting_id}, undangan #{inv.pk}: hadir"
    assert events[1].detail.endswith("diwakilkan, diwakili Kabid Kewaspadaan")
    assert events[1].username == f"(undangan) {inv.person.name}" and events[1].user is None
    assert all(token not in e.path for e in events) and events[0].path == "/rapat/jawab/…"
    assert events[0].method == "POST"
    # a refused answer (invalid form) is not an answer
    client.post(url, {"response": "diwakilkan", "delegate_name": ""})
    assert AuditEvent.objects.filter(kind="rsvp_answered").count() == 2


def test_rsvp_refuses_tampering_and_expiry(client, settings):
    inv, other = future_invitation()
    token = rsvp.token_for(inv)
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    response = client.get(reverse("meetings:rsvp", args=[tampered]))
    assert response.status_code == 400 and "tidak sah atau telah diubah" in response.content.decode()
    assert client.post(reverse("meetings:rsvp", args=[tampered]), {"response": "hadir"}).status_code == 400
    # a validly signed token for another invitation of another meeting
    forged = signing.TimestampSigner(salt=rsvp.SALT).sign_object({"i": other.pk, "m": 999999}, compress=True)
    assert client.get(reverse("meetings:rsvp", args=[forged])).status_code == 400
    assert client.get(reverse("meetings:rsvp", args=["x" * 500])).status_code == 400
    # validly signed but not the expected shape (a leaked SECRET_KEY is not needed for a 400, only for a 500)
    for payload in ("abc", [1, 2], {"i": "x", "m": None}, {"i": [1]}, None):
        odd = signing.TimestampSigner(salt=rsvp.SALT).sign_object(payload, compress=True)
        assert client.get(reverse("meetings:rsvp", args=[odd])).status_code == 400, payload
    settings.MEETINGS_RSVP_MAX_AGE_DAYS = -1
    response = client.post(rsvp.rsvp_path(inv), {"response": "hadir"})
    assert response.status_code == 400 and "kedaluwarsa" in response.content.decode()
    inv.refresh_from_db()
    assert inv.response == "belum"


def test_rsvp_after_start_is_refused_with_a_message(client, bangka_meeting):
    inv = bangka_meeting.invitations.filter(person__isnull=False).first()
    response = client.post(rsvp.rsvp_path(inv), {"response": "hadir"})
    assert response.status_code == 200 and "sudah dimulai" in response.content.decode()


# --- PDFs -------------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_meeting_pdf_contains_attendees_and_resolutions(client, staf_provinsi, bangka_meeting):
    client.force_login(staf_provinsi)
    response = client.get(reverse("meetings:meeting_report_pdf", args=[bangka_meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    present = bangka_meeting.invitations.get(attendance__status="hadir")
    assert present.name in text
    assert "Memperkuat deteksi dini konflik" in text and "Pemetaan potensi konflik" in text
    assert "LAPORAN RAPAT" in text and "Paparan potensi konflik" in text and "Dibuka resmi" in text


def test_invitation_letter_and_attendance_sheet(client, staf_provinsi, bangka_meeting):
    client.force_login(staf_provinsi)
    letter = pdf_text(client.get(reverse("meetings:invitation_letter_pdf", args=[bangka_meeting.pk])
                                 + "?semua=1").content)
    flat = " ".join(letter.split())
    for word in ("PEMERINTAH PROVINSI KEPULAUAN BANGKA BELITUNG", "Nomor", "Sifat", "Lampiran", "Hal", "Yth.",
                 "hari/tanggal", "pukul", "tempat", "acara", "005/123/Kesbangpol/2026", "Tembusan", "Sekda"):
        assert word in flat, word
    inv = bangka_meeting.invitations.first()
    one = client.get(reverse("meetings:invitation_letter_pdf", args=[bangka_meeting.pk]) + f"?undangan={inv.pk}")
    assert one.status_code == 200
    assert client.get(reverse("meetings:invitation_letter_pdf", args=[bangka_meeting.pk]) + "?undangan=0"
                      ).status_code == 404
    sheet = " ".join(pdf_text(client.get(reverse("meetings:attendance_sheet_pdf", args=[bangka_meeting.pk])
                                         ).content).split())
    assert "DAFTAR HADIR" in sheet and "Tanda Tangan" in sheet and "Asisten Intel Kajati" in sheet


def test_ics_download(client, staf_provinsi, bangka_meeting):
    from icalendar import Calendar

    client.force_login(staf_provinsi)
    response = client.get(reverse("meetings:meeting_ics", args=[bangka_meeting.pk]))
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event.decoded("DTSTART").tzinfo) == "Asia/Jakarta"


# --- Query counts -----------------------------------------------------------------------------------


def add_invitees(meeting, n):
    people = [PersonFactory(region=meeting.team.region) for _ in range(n)]
    invs = services.invite_people(meeting=meeting, people=people)
    Attendance.objects.bulk_create([Attendance(invitation=i, status="hadir") for i in invs[: n // 2]])


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


TABS = ["acara", "undangan", "kehadiran", "notulen", "tindak-lanjut", "dokumen", "riwayat"]


def test_detail_query_count_does_not_grow_with_invitees(client, staf_provinsi):
    client.force_login(staf_provinsi)
    small = make_meeting(make_team("19"), days_ahead=0, hours=2)
    big = make_meeting(small.team, days_ahead=1, hours=2)
    add_invitees(small, 5)
    add_invitees(big, 200)
    for tab in TABS:
        a = count_queries(client, small.get_absolute_url() + f"?tab={tab}")
        b = count_queries(client, big.get_absolute_url() + f"?tab={tab}")
        assert a == b, tab
        assert b <= 10, (tab, b)
    for name in ("meeting_checkin", "meeting_report_pdf", "attendance_sheet_pdf"):
        a = count_queries(client, reverse(f"meetings:{name}", args=[small.pk]))
        b = count_queries(client, reverse(f"meetings:{name}", args=[big.pk]))
        assert a == b and b <= 12, (name, a, b)


def test_list_and_calendar_query_counts_are_constant(client, staf_provinsi):
    client.force_login(staf_provinsi)
    team = make_team("19")
    first = make_meeting(team, days_ahead=1)
    add_invitees(first, 2)
    ActionItem.objects.create(meeting=first, description="x", owner_person=staf_provinsi.person,
                              due_date=timezone.localdate() - datetime.timedelta(days=3))
    urls = [reverse("meetings:meeting_list"), reverse("meetings:meeting_calendar"),
            reverse("meetings:meeting_calendar") + "?minggu=" + timezone.localdate().isoformat(),
            reverse("meetings:action_items_mine"), reverse("meetings:action_items_overdue")]
    before = [count_queries(client, u) for u in urls]
    for i in range(30):
        m = make_meeting(team, days_ahead=(i % 20) + 1, title=f"Rapat {i}")
        add_invitees(m, 3)
        ActionItem.objects.create(meeting=m, description="x", owner_person=staf_provinsi.person,
                                  due_date=timezone.localdate() - datetime.timedelta(days=3))
    after = [count_queries(client, u) for u in urls]
    assert before == after
    assert max(after) <= 10, after


def test_document_upload_download_and_refusals(client, staf_provinsi, staf_belitung, bangka_meeting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.models import MeetingDocument

    client.force_login(staf_provinsi)
    url = reverse("meetings:document_add", args=[bangka_meeting.pk])
    pdf = SimpleUploadedFile("materi.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    assert client.post(url, {"title": "Materi paparan", "file": pdf}).status_code == 302
    doc = MeetingDocument.objects.get()
    assert doc.kind == "pdf" and doc.original_name == "materi.pdf"
    response = client.get(reverse("meetings:document_download", args=[doc.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"title": "x", "file": fake})
    assert response.status_code == 200 and "tidak diizinkan" in response.content.decode()
    assert MeetingDocument.objects.count() == 1
    client.force_login(staf_belitung)
    assert client.get(reverse("meetings:document_download", args=[doc.pk])).status_code == 404


def test_progress_with_evidence(client, staf_provinsi, bangka_meeting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staf_provinsi)
    item = bangka_meeting.action_items.get()
    png = SimpleUploadedFile("bukti.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")
    response = client.post(item.get_absolute_url(), {"text": "Peta selesai", "status": "selesai", "evidence": png})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "selesai" and item.evidence.count() == 1
    ev = item.evidence.get()
    assert client.get(reverse("meetings:evidence_download", args=[ev.pk])).status_code == 200
    page = client.get(item.get_absolute_url()).content.decode()
    assert "bukti.png" in page and "sudah ditutup" in page
    response = client.post(item.get_absolute_url(), {"text": "", "status": "selesai"})
    assert response.status_code == 403 or "ditutup" in response.content.decode()


def test_checkin_form_posts_back_ids_above_999_unlocalised(client, staf_provinsi, bangka_meeting):
    """USE_THOUSAND_SEPARATOR renders 1234 as "1.234" in Indonesian; the check-in form must post the
    raw id back (the browser test failed in a long suite run once invitation ids passed 999)."""
    guest = Invitation.objects.create(meeting=bangka_meeting, pk=12345, guest_name="Tamu Nomor Besar")
    client.force_login(staf_provinsi)
    checkin = reverse("meetings:meeting_checkin", args=[bangka_meeting.pk])
    page = client.get(checkin).content.decode()
    assert 'name="invitation" value="12345"' in page and 'id="undangan-12345"' in page
    assert "12.345" not in page
    assert client.post(checkin, {"invitation": "12345", "status": "hadir"}).status_code == 302
    assert Attendance.objects.get(invitation=guest).status == "hadir"


def test_invitees_tab_links_equal_the_reversed_urls(client, staf_provinsi, bangka_meeting):
    """The invitees tab builds its per-row links from URLs reversed once (200 rows); they must stay
    exactly what the URL resolver gives."""
    client.force_login(staf_provinsi)
    html = client.get(bangka_meeting.get_absolute_url() + "?tab=undangan").content.decode()
    for inv in bangka_meeting.invitations.all():
        assert f'action="{reverse("meetings:invitation_remove", args=[bangka_meeting.pk, inv.pk])}"' in html
        letter = reverse("meetings:invitation_letter_pdf", args=[bangka_meeting.pk])
        assert f'href="{letter}?undangan={inv.pk}"' in html
