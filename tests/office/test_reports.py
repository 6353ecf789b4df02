"""Periodic reports: generation, contents read back (pypdf, openpyxl), versions, idempotent claims."""

import datetime
import hashlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from kesbang.office.models import Report
from kesbang.office.reports import services
from tests.factories import region
from tests.office.office_data import build_office_dataset

pytestmark = pytest.mark.django_db


def generate(kind, period, code="19", **kwargs) -> Report:
    report = services.report_request(kind=kind, period=period, region=region(code), **kwargs)
    result = services.report_generate(report_id=report.pk)
    assert result is not None, Report.objects.get(pk=report.pk).failure_reason
    return Report.objects.get(pk=report.pk)


def pdf_text(report) -> str:
    with report.pdf_file.open("rb") as fh:
        return "\n".join(page.extract_text() for page in PdfReader(BytesIO(fh.read())).pages)


def xlsx(report):
    with report.xlsx_file.open("rb") as fh:
        return load_workbook(BytesIO(fh.read()), read_only=True)


def sheet_rows(wb, name):
    return [list(r) for r in wb[name].iter_rows(values_only=True)]


def test_caturwulan_province_figures_pdf_and_xlsx(django_capture_on_commit_callbacks):
    build_office_dataset()
    with django_capture_on_commit_callbacks(execute=False):
        report = generate("caturwulan", "2026-B08")
    assert report.status == "selesai" and report.progress == 100 and report.attempts == 1
    figures = dict(report.figures["figures"])
    assert figures["Tim terpadu bertugas"] == "2"
    assert figures["Anggota tim pada akhir periode"] == "3"
    assert figures["Rencana aksi"] == "2"
    assert figures["Capaian rencana aksi (rata-rata)"] == "62,5 %"
    with report.pdf_file.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == report.pdf_sha256
    text = pdf_text(report)
    assert "LAPORAN CATURWULAN B08 TAHUN 2026" in text
    assert "BADAN KESATUAN BANGSA DAN POLITIK" in text  # kop surat
    assert "Caturwulan B08 (Mei–Agustus) 2026" in text
    assert "62,5 %" in text and "Tabel Pelaporan Rencana Aksi Terpadu kepada Kemendagri (B08)" in text
    wb = xlsx(report)
    assert wb.sheetnames[0] == "Ringkasan"
    assert len(wb.sheetnames) == 1 + len(report.figures["sections"])
    summary = {r[0]: r[1] for r in sheet_rows(wb, "Ringkasan") if len(r) > 1 and r[0]}
    assert summary["Tim terpadu bertugas"] == 2 and summary["Anggota tim pada akhir periode"] == 3
    # Per-plan achievement table: province 25.0, Bangka 100.0, mean 62.5 (numbers, not text).
    plans = sheet_rows(wb, next(n for n in wb.sheetnames if n.startswith("Realisasi dan Capaian")))
    by_region = {r[0]: r for r in plans if len(r) > 5 and r[0]}
    assert by_region["Kepulauan Bangka Belitung"][5] == pytest.approx(25.0)
    assert by_region["Kabupaten Bangka"][5] == pytest.approx(100.0)
    assert by_region["Rata-rata"][5] == pytest.approx(62.5)
    sheet = next(n for n in wb.sheetnames if n.startswith("Tabel Pelaporan"))
    kemendagri = [r for r in sheet_rows(wb, sheet) if r and isinstance(r[0], int)]
    cumulative = [r[-1] for r in kemendagri]
    assert cumulative == [pytest.approx(75.0), pytest.approx(50.0), pytest.approx(25.0), pytest.approx(100.0)]


def test_pdf_parts_joined_with_page_numbers_contents_and_bookmarks(django_capture_on_commit_callbacks):
    """The PDF is rendered in parts (a section each) and joined: the footer counts pages over the
    whole report, the table of contents names the page each section starts on, and every section
    is a bookmark pointing at that page."""
    import re

    build_office_dataset()
    with django_capture_on_commit_callbacks(execute=False):
        report = generate("caturwulan", "2026-B08")
    with report.pdf_file.open("rb") as fh:
        reader = PdfReader(BytesIO(fh.read()))
    pages = [page.extract_text() for page in reader.pages]
    total = len(pages)
    assert total >= 2 + len(report.figures["sections"])
    assert "Halaman" not in pages[0]  # the cover has no footer
    for number, text in enumerate(pages[1:], start=2):
        assert f"Halaman {number} dari {total}" in text, number
    contents = dict(re.findall(r"^(\d+)\. .*?(\d+)$", pages[1], re.M))
    assert len(contents) == len(report.figures["sections"])
    for number, page in contents.items():
        assert re.search(rf"^{number}\. ", pages[int(page) - 1], re.M), (number, page)
    bookmarks = {item.title: reader.get_destination_page_number(item) + 1 for item in reader.outline
                 if not isinstance(item, list)}
    assert bookmarks["8. Tabel Pelaporan Rencana Aksi Terpadu kepada Kemendagri (B08)"] == int(contents["8"])


def test_regency_report_only_its_region(django_capture_on_commit_callbacks):
    build_office_dataset()
    with django_capture_on_commit_callbacks(execute=False):
        report = generate("tahunan", "2026", code="19.01")
    figures = dict(report.figures["figures"])
    assert figures["Tim terpadu bertugas"] == "1" and figures["Anggota tim pada akhir periode"] == "1"
    assert figures["Capaian rencana aksi (rata-rata)"] == "66,7 %"
    assert "Kemendagri" not in " ".join(report.figures["sections"])
    text = pdf_text(report)
    assert "Provinsi Uji" not in text and "Sosialisasi kerukunan" in text


def test_province_report_counts_only_its_own_regions(django_capture_on_commit_callbacks):
    """At national scale the region table holds every province: the Bangka Belitung report counts
    the incidents and teams of its own regencies, never those of Sumatera Selatan (16)."""
    from teams.models import Region
    from tests.factories import make_incident, make_team

    region("19")  # reference data loaded
    sumsel = Region.objects.create(code="16", name="Sumatera Selatan", level=Region.Level.PROVINSI)
    Region.objects.create(code="16.71", name="Kota Palembang", level=Region.Level.KOTA, parent=sumsel)
    make_incident(occurred_on=datetime.date(2026, 9, 3), killed=1)
    make_incident(region_code="16.71", occurred_on=datetime.date(2026, 9, 4), killed=5)
    make_incident(region_code="16.71", occurred_on=datetime.date(2026, 9, 5), killed=5)
    make_team("19.01")
    make_team("16.71")
    with django_capture_on_commit_callbacks(execute=False):
        report = generate("caturwulan", "2026-B12")
    figures = dict(report.figures["figures"])
    assert figures["Insiden dalam periode"] == "1" and figures["Korban meninggal"] == "1"
    assert figures["Tim terpadu bertugas"] == "1"
    assert "Palembang" not in pdf_text(report)


def test_tahunan_province_mean(django_capture_on_commit_callbacks):
    build_office_dataset()
    with django_capture_on_commit_callbacks(execute=False):
        report = generate("tahunan", "2026")
    assert dict(report.figures["figures"])["Capaian rencana aksi (rata-rata)"] == "52,1 %"


def test_versions_never_overwrite_a_finalised_one(django_capture_on_commit_callbacks, staf_provinsi):
    build_office_dataset()
    with django_capture_on_commit_callbacks(execute=False):
        first = generate("bulanan", "2026-05", narrative="Situasi kondusif.")
        services.report_finalise(report=first, user=staf_provinsi)
        with pytest.raises(ValidationError):
            services.report_update_narrative(report=first, narrative="diubah")
        second = services.report_regenerate(report=first, user=staf_provinsi)
    assert (first.version, second.version) == (1, 2)
    assert second.narrative == "Situasi kondusif." and second.status == "antri"
    first.refresh_from_db()
    assert first.narrative == "Situasi kondusif." and first.pdf_file.name
    assert Report.objects.filter(kind="bulanan", period="2026-05").count() == 2


def test_narrative_rebuilds_same_version(django_capture_on_commit_callbacks):
    build_office_dataset()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = generate("bulanan", "2026-05")
        old_pdf = report.pdf_file.name
        text = "Paragraf satu.\n\nParagraf dua tentang tambang timah."
        services.report_update_narrative(report=report, narrative=text)
    assert len(callbacks) >= 1
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert report.version == 1 and report.pdf_file.name != old_pdf and report.attempts == 2
    assert "Paragraf dua tentang tambang timah." in pdf_text(report)


def test_claim_is_exactly_once_and_takes_over_a_dead_worker(django_capture_on_commit_callbacks):
    build_office_dataset()
    with django_capture_on_commit_callbacks(execute=False):
        report = services.report_request(kind="bulanan", period="2026-05", region=region("19"))
    claimed = services.report_claim(report.pk)
    assert claimed is not None
    assert services.report_claim(report.pk) is None  # a second message while the first worker lives
    assert services.reports_resume_stuck() == []
    # The worker dies: no progress for longer than the stale limit.
    Report.objects.filter(pk=report.pk).update(progress_at=timezone.now() - datetime.timedelta(minutes=10))
    assert services.reports_resume_stuck() == [report.pk]
    assert services.report_generate(report_id=report.pk) is not None
    assert services.report_generate(report_id=report.pk) is None  # done: a late duplicate does nothing
    report.refresh_from_db()
    assert report.attempts == 2 and report.status == "selesai"
    assert Report.objects.count() == 1


def test_failure_is_recorded_with_reason(django_capture_on_commit_callbacks, monkeypatch):
    build_office_dataset()
    with django_capture_on_commit_callbacks(execute=False):
        report = services.report_request(kind="bulanan", period="2026-05", region=region("19"))

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "report_pdf", broken)
    assert services.report_generate(report_id=report.pk) is None
    report.refresh_from_db()
    assert report.status == "gagal" and "RuntimeError" in report.failure_reason
    assert "Coba buat ulang" in report.failure_reason


@pytest.mark.parametrize(("kind", "period", "message"), [
    ("caturwulan", "2026-B13", "tidak sesuai"),
    ("tahunan", "2099", "belum dimulai"),
])
def test_request_refuses_bad_period(kind, period, message):
    with pytest.raises(ValidationError) as exc:
        services.report_request(kind=kind, period=period, region=region("19"))
    assert message in " ".join(exc.value.messages)


def test_request_refuses_a_kecamatan():
    from teams.models import Region

    kec = Region.objects.filter(level=Region.Level.KECAMATAN).first()
    with pytest.raises(ValidationError):
        services.report_request(kind="tahunan", period="2025", region=kec)


def test_scheduled_once_per_period(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = services.reports_schedule_due(today=datetime.date(2026, 9, 1))
        again = services.reports_schedule_due(today=datetime.date(2026, 9, 2))
    assert {(r.kind, r.period) for r in first} >= {("caturwulan", "2026-B08"), ("bulanan", "2026-08")}
    assert all(r.scheduled and r.region.code == "19" for r in first)
    assert again == []


def test_the_office_province_is_the_configured_one_whatever_else_is_loaded(settings,
                                                                         django_capture_on_commit_callbacks):
    """At national volume Aceh (11) sorts first: the scheduled reports stay the office's province."""
    from teams.models import Region

    Region.objects.create(code="11", name="Aceh", level=Region.Level.PROVINSI)
    with django_capture_on_commit_callbacks(execute=False):
        due = services.reports_schedule_due(today=datetime.date(2026, 9, 1))
    assert due and {r.region.code for r in due} == {"19"}
    settings.KESBANG_PROVINCE_CODE = "11"
    assert Region.office_province().name == "Aceh"


def test_incident_sections_totals_in_pdf_and_xlsx(django_capture_on_commit_callbacks):
    """Caturwulan 2026-B12 (September-December), province: three incidents in the period (one in
    Bangka reported late, one in Belitung, one draft that never counts), one in August outside."""
    from tests.factories import make_incident

    make_incident(occurred_on=datetime.date(2026, 9, 3), severity="tinggi", status="ditangani", killed=1, injured=3,
                  displaced=10, estimated_loss=2500000)
    late = make_incident(occurred_on=datetime.date(2026, 10, 30), severity="sedang", status="dilaporkan",
                         source="ekonomi", injured=2)
    from incidents.models import Incident

    Incident.objects.filter(pk=late.pk).update(reported_at=timezone.make_aware(datetime.datetime(2026, 11, 20, 8)))
    make_incident(region_code="19.02", occurred_on=datetime.date(2026, 11, 2), severity="kritis", status="selesai",
                  killed=2)
    make_incident(occurred_on=datetime.date(2026, 11, 5), status="draf", killed=50)
    make_incident(occurred_on=datetime.date(2026, 8, 31), killed=7)
    with django_capture_on_commit_callbacks(execute=False):
        report = generate("caturwulan", "2026-B12")
    figures = dict(report.figures["figures"])
    assert figures["Insiden dalam periode"] == "3"
    assert figures["Korban meninggal"] == "3" and figures["Korban luka-luka"] == "5"
    assert figures["Pengungsi"] == "10" and figures["Insiden tingkat tinggi/kritis"] == "2"
    assert figures["Insiden selesai ditangani"] == "1"
    wb = xlsx(report)
    rows = sheet_rows(wb, next(n for n in wb.sheetnames if n.startswith("Insiden dan Potensi")))
    by_region = {}
    for r in rows:  # the first table's rows (the source and severity tables below have a "Jumlah" too)
        if len(r) > 9 and r[0]:
            by_region.setdefault(r[0], r)
    assert by_region["Kabupaten Bangka"][1:5] == [2, 2, 0, 1]  # total, potensi, peristiwa, killed
    assert by_region["Jumlah"][1] == 3 and by_region["Jumlah"][4] == 3 and by_region["Jumlah"][9] == 2500000
    text = pdf_text(report)
    assert "Insiden dan Potensi Konflik" in text and "2.500.000" in text


def test_report_email_once_per_recipient_with_attachments(django_capture_on_commit_callbacks):
    from django.core import mail

    from kesbang.office.models import Recipient
    from kesbang.office.reports.delivery import report_deliveries_plan, report_send_one

    Recipient.objects.create(email="gubernur@example.go.id", weekly_summary=False, reports=True)
    Recipient.objects.create(email="hanya.mingguan@example.go.id", weekly_summary=True, reports=False)
    with django_capture_on_commit_callbacks(execute=False):
        report = generate("bulanan", "2026-05")
    mail.outbox = []
    ids = report_deliveries_plan(report=report)
    assert len(ids) == 1
    assert [report_send_one(delivery_id=i) for i in ids + ids] == [True, False]
    assert report_deliveries_plan(report=report) == []
    (message,) = mail.outbox
    assert message.to == ["gubernur@example.go.id"]
    names = [a[0] for a in message.attachments]
    assert names == ["laporan-bulanan-2026-05-19-v1.pdf", "laporan-bulanan-2026-05-19-v1.xlsx"]
    report.refresh_from_db()
    assert report.sent_at is not None and report.is_locked
