"""Public intake (issue 16): the public form and its abuse checks, the tracking page, the triage queue
and its permissions per role and region, the digest/dashboard/weekly counts, retention and the data
request command."""

import datetime
import io
import json
import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incidents import intake
from incidents.intake_forms import HONEYPOT, form_stamp
from incidents.models import Attachment, Incident, PublicReport, PublicReportPhoto, tracking_display
from kesbang.accounts.models import AuditEvent
from tests.factories import PDF_BYTES, incident_category, make_incident, make_public_report, png_bytes, region

pytestmark = pytest.mark.django_db
FORM = "/lapor/"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_ENABLED = False
    settings.PUBLIC_REPORT_MIN_FILL_SECONDS = 5
    settings.PUBLIC_REPORT_RATE_DEVICE = "5/h"
    settings.PUBLIC_REPORT_RATE_ADDRESS = "20/h"
    settings.PUBLIC_REPORT_RATE_ATTEMPTS = "60/h"
    settings.PUBLIC_TRACKING_RATE = "30/h"


def browser(address="203.0.113.7") -> Client:
    """An anonymous visitor who opened the form once (CSRF and device cookies set)."""
    client = Client(enforce_csrf_checks=False, REMOTE_ADDR=address)
    assert client.get(FORM).status_code == 200
    return client


def data(**overrides) -> dict:
    values = {
        "description": "Puluhan warga menghadang alat berat tambang timah di kebun; suasana memanas.",
        "situation": "potensi", "occurred_on": timezone.localdate().isoformat(),
        "region": str(region("19.01").pk), "identity": "anonim", "consent": "on",
        "started": form_stamp(backdate=30), "client_key": str(uuid.uuid4()), HONEYPOT: "",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def body(response) -> str:
    return response.content.decode()


# --- The form --------------------------------------------------------------------------------------------


def test_form_is_public_allows_geolocation_and_names_no_official(client, staf_bangka):
    response = client.get(FORM)
    assert response.status_code == 200
    html = body(response)
    assert "Laporkan potensi konflik sosial" in html and "UU" in html or "Undang-Undang Nomor 27 Tahun 2022" in html
    assert "Undang-Undang Nomor 27 Tahun 2022" in html  # the consent text: law, purpose, who, how long
    assert "180 hari setelah laporan ditutup" in html
    assert "geolocation=(self)" in response["Permissions-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "kb_perangkat" in response.cookies
    assert staf_bangka.person.name not in html and "Keluar" not in html
    assert 'data-sw="/sw.js"' in html and 'rel="manifest"' in html
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    # Elsewhere geolocation stays off.
    assert "geolocation=()" in Client().get(reverse("login"))["Permissions-Policy"]


def test_anonymous_report_is_stored_without_contact_and_gives_a_tracking_code():
    c = browser()
    response = c.post(FORM, data(reporter_name="Budi", reporter_phone="0812 3456 7890", identity="anonim"))
    assert response.status_code == 302, body(response)[:3000]
    report = PublicReport.objects.get()
    assert report.anonymous and report.reporter_name == "" and report.reporter_phone == ""
    assert report.status == "baru" and len(report.tracking_code) == 10
    assert response["Location"] == f"/lapor/status/{tracking_display(report.tracking_code)}/?baru=1"
    page = c.get(response["Location"])
    assert page.status_code == 200
    text = body(page)
    assert report.tracking_display in text and "Diterima" in text and "sudah kami terima" in text
    assert report.description not in text  # never the content


def test_report_with_contact_needs_a_phone_or_email_and_keeps_it_normalised():
    c = browser()
    response = c.post(FORM, data(identity="identitas", reporter_name="Siti"))
    assert response.status_code == 200 and "Isi nomor telepon/WhatsApp atau email" in body(response)
    assert not PublicReport.objects.exists()
    response = c.post(FORM, data(identity="identitas", reporter_name="Siti", reporter_phone="0812-3456-7890",
                                 reporter_email="Siti@Example.ID"))
    assert response.status_code == 302
    report = PublicReport.objects.get()
    assert not report.anonymous and report.reporter_phone == "6281234567890"
    assert report.reporter_email == "siti@example.id"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("description", "pendek", "paling sedikit 20 karakter"),
    ("region", "", "This field is required" if False else "wajib"),
    ("consent", None, "Centang persetujuan pelindungan data pribadi"),
    ("identity", None, "Pilih: kirim tanpa identitas"),
    ("occurred_on", "2999-01-01", "tidak boleh di masa depan"),
    ("occurred_on", "kemarin", "Tanggal tidak dikenali"),
    ("latitude", "-2.1", "Isi lintang dan bujur bersama-sama"),
    ("reporter_phone", "abc", None),
])
def test_bad_input_is_shown_in_indonesian_not_500(field, value, message):
    c = browser()
    overrides = {field: value}
    if field == "reporter_phone":
        overrides.update(identity="identitas")
        message = "Nomor telepon hanya berisi angka"
    response = c.post(FORM, data(**overrides))
    assert response.status_code == 200
    html = body(response)
    assert "Periksa kembali isian yang ditandai merah" in html
    if message and message != "wajib":
        assert message in html, html[:4000]
    assert not PublicReport.objects.exists()


def test_honeypot_is_refused_with_a_clear_message():
    c = browser()
    response = c.post(FORM, data(**{HONEYPOT: "http://spam.example"}))
    assert response.status_code == 400
    assert "kolom tersembunyi untuk program otomatis ikut terisi" in body(response)
    assert not PublicReport.objects.exists()


def test_too_fast_is_refused_and_a_second_try_later_passes():
    c = browser()
    response = c.post(FORM, data(started=form_stamp()))
    assert response.status_code == 400
    assert "terlalu cepat setelah formulir dibuka" in body(response)
    assert not PublicReport.objects.exists()
    assert c.post(FORM, data()).status_code == 302


def test_tampered_or_missing_time_stamp_is_refused_and_served_again():
    c = browser()
    response = c.post(FORM, data(started="palsu"))
    assert response.status_code == 400
    assert "terlalu lama terbuka atau tidak utuh" in body(response)
    assert 'name="description"' in body(response) and "menghadang alat berat" in body(response)  # typed text kept
    assert not PublicReport.objects.exists()


def test_a_post_without_the_device_cookie_is_refused():
    c = Client(REMOTE_ADDR="203.0.113.9")
    response = c.post(FORM, data())
    assert response.status_code == 400 and "Perangkat Anda belum dikenali" in body(response)
    assert "kb_perangkat" in response.cookies  # the page gives one, so the next try works
    assert c.post(FORM, data()).status_code == 302


def test_rate_limit_per_device(settings):
    settings.PUBLIC_REPORT_RATE_DEVICE = "2/h"
    c = browser()
    assert c.post(FORM, data()).status_code == 302
    assert c.post(FORM, data()).status_code == 302
    response = c.post(FORM, data())
    assert response.status_code == 429
    assert "Sudah terlalu banyak laporan dari perangkat atau jaringan ini" in body(response)
    assert PublicReport.objects.count() == 2
    other = browser(address="198.51.100.4")  # another phone elsewhere is not affected
    assert other.post(FORM, data()).status_code == 302


def test_rate_limit_per_client_address_across_devices(settings):
    settings.PUBLIC_REPORT_RATE_ADDRESS = "2/h"
    for _i in range(2):
        assert browser().post(FORM, data()).status_code == 302
    response = browser().post(FORM, data())  # a third "device" (new cookies) behind the same address
    assert response.status_code == 429 and PublicReport.objects.count() == 2


def test_rate_limit_uses_the_client_address_behind_a_trusted_proxy(settings):
    settings.PUBLIC_REPORT_RATE_ADDRESS = "1/h"
    settings.KESBANG_TRUSTED_PROXIES = ["127.0.0.1"]
    first = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50")
    first.get(FORM)
    assert first.post(FORM, data()).status_code == 302
    second = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.51")  # another client, same proxy
    second.get(FORM)
    assert second.post(FORM, data()).status_code == 302


def test_attempts_limit_counts_every_post(settings):
    settings.PUBLIC_REPORT_RATE_ATTEMPTS = "3/h"
    c = browser()
    for _i in range(3):
        assert c.post(FORM, data(description="x")).status_code == 200
    response = c.post(FORM, data())
    assert response.status_code == 429 and "Terlalu banyak percobaan pengiriman" in body(response)


def test_a_cache_that_fails_lets_the_report_through(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr("django_ratelimit.core.get_usage", broken)
    assert browser().post(FORM, data()).status_code == 302


def test_same_key_twice_makes_one_report_and_answers_json_to_the_outbox():
    c = browser()
    key = str(uuid.uuid4())
    first = c.post(FORM, data(client_key=key), HTTP_X_REQUESTED_WITH="fetch")
    second = c.post(FORM, data(client_key=key), HTTP_X_REQUESTED_WITH="fetch")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    report = PublicReport.objects.get()
    assert first.json()["code"] == report.tracking_display and first.json()["url"].startswith("/lapor/status/")


def test_photos_are_checked_by_content_size_and_number(settings):
    settings.PUBLIC_REPORT_PHOTO_MAX_MB = 1
    c = browser()
    cases = [
        ([SimpleUploadedFile("foto.jpg", b"bukan gambar sama sekali")], "tidak diizinkan"),
        ([SimpleUploadedFile("surat.pdf", PDF_BYTES)], "tidak diizinkan"),
        ([SimpleUploadedFile("foto.jpg", png_bytes())], "tidak sesuai dengan ekstensinya"),
        ([SimpleUploadedFile("besar.png", png_bytes() + b"\x00" * (1024 * 1024 + 10))], "terlalu besar"),
        ([SimpleUploadedFile(f"f{i}.png", png_bytes()) for i in range(4)], "Paling banyak 3 foto"),
    ]
    for files, message in cases:
        response = c.post(FORM, {**data(), "photos": files})
        assert response.status_code == 200 and message in body(response), message
    assert not PublicReport.objects.exists()
    response = c.post(FORM, {**data(), "photos": [SimpleUploadedFile("a.png", png_bytes()),
                                                  SimpleUploadedFile("b.png", png_bytes())]})
    assert response.status_code == 302
    report = PublicReport.objects.get()
    assert [p.kind for p in report.photos.all()] == ["png", "png"]
    names = [p.file.name for p in report.photos.all()]
    # Stored under a random name, not the one sent ("...a.png" may end a random name: 1 in 64).
    assert all(n.startswith("laporan-masyarakat/") and n.rsplit("/", 1)[-1] not in ("a.png", "b.png") for n in names)


# --- Tracking page -----------------------------------------------------------------------------------


def test_tracking_page_normalises_codes_and_says_when_unknown(client):
    report = make_public_report()
    code = report.tracking_code
    loose = (code[:5] + " " + code[5:]).lower().replace("0", "o")
    response = client.get(reverse("lapor:status", args=[loose]))
    assert response.status_code == 302 and response["Location"].endswith(f"/{tracking_display(code)}/")
    missing = client.get(reverse("lapor:status", args=["ZZZZZ-ZZZZZ"]))
    assert missing.status_code == 404 and "Kode tidak ditemukan" in body(missing)
    bad = client.get(reverse("lapor:status", args=["ab<script>"]))
    assert bad.status_code == 404 and "<script>" not in body(bad)
    lookup = client.post(reverse("lapor:lookup"), {"code": loose})
    assert lookup.status_code == 302 and lookup["Location"].endswith(f"/{tracking_display(code)}/")
    wrong = client.post(reverse("lapor:lookup"), {"code": "123"})
    assert wrong.status_code == 200 and "10 huruf dan angka" in body(wrong)


def test_tracking_lookups_are_limited_per_address(client, settings):
    settings.PUBLIC_TRACKING_RATE = "3/h"
    url = reverse("lapor:status", args=["ZZZZZ-ZZZZZ"])
    assert [client.get(url).status_code for _i in range(3)] == [404, 404, 404]
    response = client.get(url)
    assert response.status_code == 429 and "Terlalu banyak pencarian kode" in body(response)


def test_public_status_follows_the_report_and_its_incident(staf_provinsi):
    report = make_public_report()
    assert report.public_status() == "diterima"
    incident = intake.public_report_accept(report=report, user=staf_provinsi, **accept_fields(report))
    report.refresh_from_db()
    assert report.public_status() == "diverifikasi" and incident.status == "draf"
    for name, expected in (("submit", "diverifikasi"), ("verify", "diverifikasi")):
        from incidents import services

        services.incident_transition(incident=incident, user=staf_provinsi, name=name)
        report.refresh_from_db()
        assert report.public_status() == expected
    from teams.models import Team
    from tests.factories import make_team

    team = Team.objects.filter(region__code="19.01").first() or make_team("19.01")
    from incidents import services

    services.incident_assign(incident=incident, user=staf_provinsi, handling_team=team)
    services.incident_transition(incident=incident, user=staf_provinsi, name="handle")
    report.refresh_from_db()
    assert report.public_status() == "ditangani"
    services.incident_transition(incident=incident, user=staf_provinsi, name="close")
    report.refresh_from_db()
    assert report.public_status() == "selesai"
    page = Client().get(reverse("lapor:status", args=[report.tracking_display]))
    text = body(page)
    assert "Selesai" in text and incident.reference not in text and incident.title not in text
    assert staf_provinsi.person.name not in text and staf_provinsi.username not in text
    rejected = make_public_report()
    intake.public_report_reject(report=rejected, user=staf_provinsi, reason="spam")
    rejected.refresh_from_db()
    assert rejected.public_status() == "ditutup"
    assert "ditutup" in body(Client().get(reverse("lapor:status", args=[rejected.tracking_display])))


def test_regions_json_and_privacy_page_are_public(client):
    data_ = client.get(reverse("lapor:regions")).json()
    bangka = next(r for r in data_["regencies"] if r["code"] == "19.01")
    kecamatan = data_["children"][str(bangka["id"])]
    assert kecamatan and data_["children"][str(kecamatan[0]["id"])]  # desa of the first kecamatan
    privacy = client.get(reverse("lapor:privacy"))
    assert privacy.status_code == 200 and "Hak Anda" in body(privacy)


# --- Triage ----------------------------------------------------------------------------------------------


def accept_fields(report, **overrides):
    values = {"title": "Sengketa batas kebun dua dusun", "kind": "potensi", "occurred_on": report.occurred_on,
              "region": report.region, "chronology": report.description, "source": "sda",
              "category": incident_category(), "severity": "sedang", "classification": "biasa"}
    values.update(overrides)
    return values


def accept_post(report, **overrides):
    values = {"which": "terima", "terima-title": "Sengketa batas kebun dua dusun", "terima-kind": "potensi",
              "terima-occurred_on": report.occurred_on.isoformat(), "terima-region": str(report.region_id),
              "terima-chronology": report.description, "terima-source": "sda",
              "terima-category": str(incident_category().pk), "terima-severity": "sedang",
              "terima-classification": "biasa", "action": "draf"}
    values.update(overrides)
    return values


@pytest.mark.parametrize(("who", "own", "other"), [
    ("staf_provinsi", 200, 200), ("staf_bangka", 200, 404), ("pimpinan", 403, 403), ("anggota_tim", 403, 403),
    ("admin_user", 200, 200), ("no_role_user", 403, 403),
])
def test_queue_and_report_pages_per_role_and_region(request, client, who, own, other):
    user = request.getfixturevalue(who)
    mine, theirs = make_public_report("19.01"), make_public_report("19.02")
    client.force_login(user)
    listing = client.get(reverse("incidents:public_report_list"))
    assert listing.status_code == (own if own == 403 else 200)
    if listing.status_code == 200:
        assert mine.tracking_display in body(listing)
        assert (theirs.tracking_display in body(listing)) == (other == 200)
    assert client.get(mine.get_absolute_url()).status_code == own
    assert client.get(theirs.get_absolute_url()).status_code == other


def test_anonymous_is_sent_to_login_for_the_queue(client):
    report = make_public_report()
    for url in (reverse("incidents:public_report_list"), report.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_accept_makes_a_draft_incident_with_the_photos_and_keeps_the_contact_off_it(client, staf_bangka):
    report = make_public_report(anonymous=False, reporter_name="Siti Aminah", reporter_phone="081234567890",
                                photos=[SimpleUploadedFile("a.png", png_bytes())])
    client.force_login(staf_bangka)
    page = client.get(report.get_absolute_url())
    assert "Siti Aminah" in body(page) and "+6281234567890" in body(page)
    response = client.post(report.get_absolute_url(), accept_post(report))
    assert response.status_code == 302, body(response)[:3000]
    report.refresh_from_db()
    incident = report.incident
    assert report.status == "diterima" and report.decided_by == staf_bangka
    assert incident.status == "draf" and incident.info_source == "masyarakat" and incident.reporter == staf_bangka
    assert response["Location"] == reverse("incidents:incident_update", args=[incident.pk])
    assert [a.kind for a in Attachment.objects.filter(incident=incident)] == ["png"]
    assert not PublicReportPhoto.objects.filter(report=report).exists()
    assert "Siti" not in incident.chronology and "6281234567890" not in incident.chronology
    assert not incident.history.filter(chronology__contains="6281234567890").exists()
    # The incident page shows the reporter's contact to a verifier only.
    detail = client.get(incident.get_absolute_url())
    assert "Siti Aminah" in body(detail) and report.tracking_display in body(detail)
    # A second triage of the same report is refused with a message.
    again = client.post(report.get_absolute_url(), {"which": "tolak", "tolak-reason": "spam"}, follow=True)
    assert "sudah diperiksa" in body(again)


def test_contact_is_not_shown_to_a_non_verifier_reading_the_incident(client, staf_provinsi, pimpinan):
    report = make_public_report(anonymous=False, reporter_name="Siti Aminah", reporter_phone="081234567890")
    incident = intake.public_report_accept(report=report, user=staf_provinsi, submit=True, **accept_fields(report))
    client.force_login(pimpinan)
    page = client.get(incident.get_absolute_url())
    assert page.status_code == 200 and "Siti Aminah" not in body(page) and "6281234567890" not in body(page)


def test_accept_and_report_at_once(client, staf_provinsi):
    report = make_public_report()
    client.force_login(staf_provinsi)
    response = client.post(report.get_absolute_url(), accept_post(report, action="laporkan"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.incident.status == "dilaporkan" and response["Location"] == report.incident.get_absolute_url()


def test_accept_with_bad_data_shows_the_errors(client, staf_bangka):
    report = make_public_report()
    client.force_login(staf_bangka)
    bad = {"terima-title": "", "terima-region": str(region("19.02").pk)}
    response = client.post(report.get_absolute_url(), accept_post(report, **bad))
    assert response.status_code == 200 and "Periksa kembali isian yang ditandai merah" in body(response)
    report.refresh_from_db()
    assert report.status == "baru" and not Incident.objects.exists()


def test_merge_into_a_suggested_duplicate(client, staf_bangka):
    kecamatan = region("19.01").children.order_by("code").first()
    incident = make_incident(region_code="19.01", kecamatan=kecamatan, occurred_on=timezone.localdate())
    far = make_incident(region_code="19.01", occurred_on=timezone.localdate() - datetime.timedelta(days=10))
    report = make_public_report(kecamatan=kecamatan, photos=[SimpleUploadedFile("a.png", png_bytes())])
    client.force_login(staf_bangka)
    page = body(client.get(report.get_absolute_url()))
    assert incident.reference in page and far.reference not in page  # same kecamatan, within 3 days
    response = client.post(report.get_absolute_url(), {"which": "gabung", "gabung-incident": str(incident.pk)})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "digabung" and report.incident == incident
    assert incident.attachments.count() == 1


def test_merge_by_reference_only_within_the_scope(client, staf_bangka):
    theirs = make_incident(region_code="19.02")
    mine = make_incident(region_code="19.01", occurred_on=datetime.date(2026, 1, 5))
    report = make_public_report()
    client.force_login(staf_bangka)
    refused = client.post(report.get_absolute_url(), {"which": "gabung", "gabung-reference": theirs.reference})
    assert refused.status_code == 200 and "yang dapat Anda ubah" in body(refused)
    done = client.post(report.get_absolute_url(), {"which": "gabung", "gabung-reference": mine.reference.lower()})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.incident == mine


def test_reject_with_a_reason_category(client, staf_bangka):
    report = make_public_report()
    client.force_login(staf_bangka)
    missing = client.post(report.get_absolute_url(), {"which": "tolak"})
    assert missing.status_code == 200 and "Pilih alasan penolakan" in body(missing)
    response = client.post(report.get_absolute_url(), {"which": "tolak", "tolak-reason": "bukan_konflik",
                                                       "tolak-note": "Urusan utang piutang."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "ditolak" and report.reject_reason == "bukan_konflik"
    status = body(Client().get(reverse("lapor:status", args=[report.tracking_display])))
    assert "utang" not in status and "Bukan konflik" not in status


def test_triage_outside_the_region_or_without_the_right_is_refused(client, staf_belitung, pimpinan):
    report = make_public_report("19.01")
    client.force_login(staf_belitung)
    assert client.post(report.get_absolute_url(), {"which": "tolak", "tolak-reason": "spam"}).status_code == 404
    client.force_login(pimpinan)
    assert client.post(report.get_absolute_url(), {"which": "tolak", "tolak-reason": "spam"}).status_code == 403
    report.refresh_from_db()
    assert report.status == "baru"
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        intake.public_report_reject(report=report, user=staf_belitung, reason="spam")


def test_photo_download_is_scoped(client, staf_bangka, staf_belitung):
    report = make_public_report(photos=[SimpleUploadedFile("a.png", png_bytes())])
    photo = report.photos.get()
    client.force_login(staf_bangka)
    response = client.get(photo.get_absolute_url() + "?lihat=1")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    client.force_login(staf_belitung)
    assert client.get(photo.get_absolute_url()).status_code == 404


# --- Counts: dashboard, digest, weekly summary ------------------------------------------------------


def test_queue_count_on_the_dashboard_for_verifiers(client, staf_bangka, pimpinan):
    make_public_report("19.01")
    make_public_report("19.01")
    make_public_report("19.02")
    client.force_login(staf_bangka)
    html = body(client.get("/"))
    assert 'id="stat-public-queue">2<' in html
    client.force_login(pimpinan)
    assert "stat-public-queue" not in body(client.get("/"))


def test_digest_tells_each_verifier_its_public_queue(staf_bangka, staf_provinsi):
    from incidents.alerts import verification_digest_send

    make_public_report("19.01")
    make_public_report("19.02")
    mail.outbox = []
    verification_digest_send(day=timezone.localdate())
    by_address = {m.to[0]: m for m in mail.outbox}
    bangka = by_address[staf_bangka.person.email.lower()]
    province = by_address[staf_provinsi.person.email.lower()]
    assert "1 laporan masyarakat menunggu pemeriksaan" in bangka.body
    assert "2 laporan masyarakat menunggu pemeriksaan" in province.body
    assert "/insiden/laporan-masyarakat/" in bangka.body
    assert "dusun" not in bangka.body  # never the reporter's words


def test_weekly_summary_counts_public_reports(staf_provinsi):
    from kesbang.office.weekly.sections_incidents import incidents as section
    from kesbang.office.weekly.weeks import week_of

    taken = make_public_report()
    intake.public_report_accept(report=taken, user=staf_provinsi, **accept_fields(taken))
    make_public_report()
    figures = {f["label"]: f["value"] for f in section(week_of(timezone.localdate()))["figures"]}
    assert figures["Laporan masyarakat masuk"] == 2
    assert figures["di antaranya diterima atau digabung ke insiden"] == 1
    assert figures["Laporan masyarakat menunggu pemeriksaan"] == 1


# --- Retention and data requests ---------------------------------------------------------------------


def _closed_long_ago(report, user, days):
    intake.public_report_reject(report=report, user=user, reason="spam")
    PublicReport.objects.filter(pk=report.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=days))


def test_retention_erases_contact_and_photos_once_and_records_it(staf_provinsi, settings):
    from incidents.tasks import public_report_retention

    settings.PUBLIC_REPORT_RETENTION_DAYS = 30
    old = make_public_report(anonymous=False, reporter_name="Siti", reporter_email="siti@example.id",
                             photos=[SimpleUploadedFile("a.png", png_bytes())])
    recent = make_public_report(anonymous=False, reporter_name="Budi", reporter_phone="0812000000")
    waiting = make_public_report(anonymous=False, reporter_name="Ani", reporter_phone="0813000000")
    _closed_long_ago(old, staf_provinsi, 31)
    _closed_long_ago(recent, staf_provinsi, 29)
    # An accepted report whose incident was finished long ago.
    accepted = make_public_report(anonymous=False, reporter_name="Dedi", reporter_phone="0814000000")
    incident = intake.public_report_accept(report=accepted, user=staf_provinsi, submit=True,
                                           **accept_fields(accepted))
    from incidents import services

    services.incident_reject(incident=incident, user=staf_provinsi, reason="Bukan konflik sosial.")
    incident.transitions.filter(to_status="ditolak").update(at=timezone.now() - datetime.timedelta(days=40))

    first = public_report_retention.apply().get()
    assert sorted(first["erased"]) == sorted([old.pk, accepted.pk])
    for report in (old, recent, waiting, accepted):
        report.refresh_from_db()
    assert old.reporter_name == old.reporter_email == "" and old.personal_data_erased_at is not None
    assert not old.photos.exists()
    assert accepted.reporter_phone == "" and accepted.personal_data_erased_at is not None
    assert recent.reporter_name == "Budi" and waiting.reporter_name == "Ani"
    events = AuditEvent.objects.filter(kind="pdp_erased")
    assert events.count() == 2 and all("retensi 30 hari" in e.detail for e in events)
    second = public_report_retention.apply().get()
    assert second["erased"] == [] and AuditEvent.objects.filter(kind="pdp_erased").count() == 2
    # Erasing the same report again (a retry, another worker) does nothing and records nothing.
    assert intake.personal_data_erase(report_id=old.pk, reason="uji") is False


def test_retention_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["incidents-public-report-retention"]
    assert entry["task"] == "incidents.tasks.public_report_retention"


def test_command_exports_a_reporters_data_as_json(tmp_path):
    report = make_public_report(anonymous=False, reporter_name="Siti", reporter_phone="0812-3456-7890",
                                photos=[SimpleUploadedFile("a.png", png_bytes())])
    out = io.StringIO()
    call_command("public_report_data", "export", "--kontak", "+62 812 3456 7890", stdout=out)
    exported = json.loads(out.getvalue())["laporan"]
    assert len(exported) == 1 and exported[0]["nama"] == "Siti" and exported[0]["telepon"] == "6281234567890"
    assert exported[0]["kode_pelacakan"] == report.tracking_display and len(exported[0]["foto"]) == 1
    target = tmp_path / "data.json"
    call_command("public_report_data", "export", "--kode", report.tracking_code.lower(), "--keluaran", str(target),
                 stdout=io.StringIO())
    assert json.loads(target.read_text(encoding="utf-8"))["laporan"][0]["uraian"] == report.description
    assert AuditEvent.objects.filter(kind="pdp_exported").count() == 2


def test_command_erases_a_reporters_data_once():
    from django.core.management.base import CommandError

    report = make_public_report(anonymous=False, reporter_name="Siti", reporter_email="siti@example.id")
    out = io.StringIO()
    call_command("public_report_data", "hapus", "--kontak", "SITI@example.id", "--ya", stdout=out)
    assert "dihapus dari 1 laporan" in out.getvalue()
    report.refresh_from_db()
    assert report.reporter_name == "" and report.reporter_email == "" and report.personal_data_erased_at
    out = io.StringIO()
    call_command("public_report_data", "hapus", "--kode", report.tracking_display, "--ya", stdout=out)
    assert "sudah dihapus sebelumnya" in out.getvalue()
    assert AuditEvent.objects.filter(kind="pdp_erased").count() == 1
    with pytest.raises(CommandError, match="Tidak ada laporan masyarakat"):
        call_command("public_report_data", "export", "--kontak", "orang@lain.id", stdout=io.StringIO())


# --- PWA -----------------------------------------------------------------------------------------------------


def test_service_worker_and_manifests_are_public_and_scoped(client):
    sw = client.get("/sw.js")
    assert sw.status_code == 200 and sw["Content-Type"].startswith("text/javascript")
    assert sw["Cache-Control"] == "no-cache"
    text = body(sw)
    config = json.loads(text.split("self.KB_SW = ", 1)[1].split(";\n", 1)[0])
    assert "/lapor/" in config["publicPages"] and config["staffPages"] == ["/insiden/lapor/"]
    assert any(u.endswith("batas-kabkota-19.geojson") for u in config["precacheStatic"])
    assert config["regionsUrl"] == "/lapor/wilayah.json"
    for url, start in (("/lapor/manifest.webmanifest", "/lapor/"),
                       ("/insiden/lapor/manifest.webmanifest", "/insiden/lapor/")):
        manifest = client.get(url)
        assert manifest.status_code == 200 and manifest["Content-Type"] == "application/manifest+json"
        assert manifest.json()["start_url"] == start and manifest.json()["display"] == "standalone"


def test_quick_entry_page_allows_geolocation_and_registers_the_worker(client, staf_bangka):
    client.force_login(staf_bangka)
    response = client.get(reverse("incidents:incident_create"))
    assert "geolocation=(self)" in response["Permissions-Policy"]
    html = body(response)
    assert 'data-sw="/sw.js"' in html and "data-sw-keep" in html and "Gunakan lokasi saya" in html
    assert 'data-regions-fallback="/lapor/wilayah.json"' in html
    assert "geolocation=()" in client.get(reverse("incidents:incident_list"))["Permissions-Policy"]


def test_every_file_the_service_worker_keeps_exists():
    """One missing file makes the worker's install fail, and the form would not open offline."""
    from django.contrib.staticfiles import finders

    from incidents.pwa import STATIC_FILES

    assert [name for name in STATIC_FILES if not finders.find(name)] == []


def test_queue_and_report_page_query_counts_are_pinned(client, staf_bangka):
    """Exact baselines (queue, filtered queue, report page): an N+1 or a new query fails here."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        cache.clear()  # the cold path: the region filter's options are read (then cached until a region write)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        return len(ctx.captured_queries)

    first = make_public_report(photos=[SimpleUploadedFile("a.png", png_bytes())])
    make_incident(region_code="19.01", occurred_on=timezone.localdate())  # one suggestion: the merge choices query
    client.force_login(staf_bangka)
    urls = [reverse("incidents:public_report_list"), reverse("incidents:public_report_list") + "?status=&region="
            + str(region("19.01").pk), first.get_absolute_url()]
    small = [count(u) for u in urls]
    for _i in range(15):
        make_public_report(photos=[SimpleUploadedFile("a.png", png_bytes())])
        make_incident(region_code="19.01", occurred_on=timezone.localdate())
    large = [count(u) for u in urls]
    assert small == large == [6, 7, 11]
