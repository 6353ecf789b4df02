"""Workbooks that print: each export converted by LibreOffice (headless) to PDF must fit the page
width in few pages and show every cell's text (nothing cut off across pages or hidden by row
heights). Needs ``libreoffice-calc-nogui`` and ``poppler-utils`` (installed by .ci/run)."""

import atexit
import datetime
import os
import re
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import require
from tests.factories import InstitutionFactory, PersonFactory, make_member, make_team

pytestmark = pytest.mark.django_db
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")


_LO_PROFILE: list[Path] = []


def lo_profile() -> Path:
    """One LibreOffice user profile per test process (each xdist worker its own: a profile is locked
    while soffice runs), made on the first conversion and removed at exit: a fresh profile costs
    LibreOffice several seconds of first-start set-up on every conversion."""
    if not _LO_PROFILE:
        _LO_PROFILE.append(Path(tempfile.mkdtemp(prefix="kesbang-lo-profile-")))
        atexit.register(shutil.rmtree, _LO_PROFILE[0], ignore_errors=True)
    return _LO_PROFILE[0]


def to_pdf(xlsx: bytes, tmp_path: Path) -> tuple[int, str]:
    """(pages, text) of the workbook printed by LibreOffice."""
    require(bool(SOFFICE and PDFTOTEXT and PDFINFO),
            "LibreOffice or poppler missing (apt-get install libreoffice-calc-nogui poppler-utils)")
    source = tmp_path / "export.xlsx"
    source.write_bytes(xlsx)
    profile = lo_profile()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240,
    )
    pdf = tmp_path / "export.pdf"
    if os.environ.get("KEEP_PRINT_DIR"):  # to look at the pages
        test_name = os.environ.get("PYTEST_CURRENT_TEST", "x").split(":")[-1].split(" ")[0]
        shutil.copy(pdf, Path(os.environ["KEEP_PRINT_DIR"]) / f"{test_name}.pdf")
    info = subprocess.run([PDFINFO, str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    text = subprocess.run([PDFTOTEXT, str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return pages, text


def words(text: str) -> set[str]:
    return set(re.findall(r"[\w@.'-]+", text.replace("\u00ad", "")))


def missing_cell_text(xlsx: bytes, pdf_text: str, sheet: str | None = None) -> list[str]:
    """Text cells of the (first) sheet whose words are not all in the PDF."""
    ws = load_workbook(__import__("io").BytesIO(xlsx))[sheet] if sheet else load_workbook(
        __import__("io").BytesIO(xlsx)).worksheets[0]
    printed = words(pdf_text)
    missing = []
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip():
                absent = [w for w in words(cell.value) if w not in printed]
                if absent:
                    missing.append(f"{cell.coordinate}: {cell.value!r} (missing {absent[:3]})")
    return missing


def test_member_list_prints_on_two_pages_with_every_cell(tmp_path):
    from teams.exports import membership_register, memberships_xlsx
    from teams.models import Membership

    polda = InstitutionFactory(name="Kepolisian Daerah Kepulauan Bangka Belitung", short_name="Polda Babel")
    team = make_team("19.01")
    for n in range(47):
        person = PersonFactory(region=team.region, institution=polda, nip=f"19800101200601{n:04d}",
                               position="Kepala Bidang Kewaspadaan Nasional dan Penanganan Konflik")
        make_member(team, person=person)
    data = memberships_xlsx(membership_register(Membership.objects.all()), filters=[("Status", "Aktif")],
                            exported_by="Staf Provinsi")
    pages, text = to_pdf(data, tmp_path)
    assert pages <= 3, pages  # 2 pages of members + the Info sheet; was 12 pages with columns cut across them
    assert missing_cell_text(data, text) == []
    assert "Halaman 1 dari" in text


def test_action_plan_workbook_prints_on_one_page_width(tmp_path):
    from teams import services
    from teams.models import ActionPlan
    from teams.plan_selectors import plan_summary, plan_workbook

    team = make_team("19")
    plan = services.plan_create(team=team, year=2026, legal_basis_number="188.44/123/2026")
    institution = InstitutionFactory(name="Badan Kesatuan Bangsa dan Politik Provinsi", short_name="Kesbangpol")
    for n in range(12):
        activity = services.activity_create(
            plan=plan, phase=["pencegahan", "penghentian", "pemulihan"][n % 3],
            name=f"Rapat koordinasi deteksi dini potensi konflik sosial di kabupaten dan kota ke-{n + 1}",
            indicator="Terlaksananya rapat koordinasi dengan notulen dan rekomendasi tindak lanjut",
            unit="kegiatan", responsible_institution=institution, budget=Decimal("25000000"),
            targets={"B04": Decimal(1), "B08": Decimal(1), "B12": Decimal(2)},
        )
        services.realisation_record(activity_period=activity.periods.get(period="B04"), realisation=Decimal(1))
    detail = plan_summary(ActionPlan.objects.select_related("team__region").get(pk=plan.pk),
                          today=datetime.date(2026, 6, 1))
    data = plan_workbook(detail)
    pages, text = to_pdf(data, tmp_path)
    assert pages <= 2, pages  # was 3 pages with columns cut across them
    assert missing_cell_text(data, text) == []


def test_report_workbook_prints_landscape_fitted_with_every_cell(tmp_path, django_capture_on_commit_callbacks):
    """The periodic report's workbook prints as the other exports do: every sheet A4 landscape,
    fitted to the page width (the 14-column Kemendagri table on one page width), a page or so per
    sheet, every cell's text on paper, page numbers in the footer. It printed portrait with the
    columns cut across pages before."""
    from kesbang.office.reports import services
    from tests.factories import region
    from tests.office.office_data import build_office_dataset

    build_office_dataset()
    with django_capture_on_commit_callbacks(execute=False):
        report = services.report_request(kind="caturwulan", period="2026-B08", region=region("19"))
        services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    with report.xlsx_file.open("rb") as fh:
        data = fh.read()
    sheets = load_workbook(__import__("io").BytesIO(data)).sheetnames
    pages, text = to_pdf(data, tmp_path)
    assert pages <= len(sheets) + 1, (pages, len(sheets))
    sizes = subprocess.run([PDFINFO, "-f", "1", "-l", str(pages), str(tmp_path / "export.pdf")], check=True,
                           capture_output=True, text=True).stdout
    found = [(float(w), float(h)) for w, h in re.findall(r"size:\s+([\d.]+) x ([\d.]+) pts", sizes)]
    assert len(found) == pages and all(abs(w - 842) < 2 and abs(h - 595) < 2 for w, h in found), sizes  # A4 landscape
    for sheet in sheets:
        assert missing_cell_text(data, text, sheet) == [], sheet
    assert "Halaman 1 dari" in text
