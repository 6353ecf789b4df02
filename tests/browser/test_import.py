"""Member import, register and printable list in a real browser (desktop and phone screenshots)."""

import io
import os
import shutil
import subprocess

import pytest
from openpyxl import Workbook

from tests.conftest import SCREENSHOT_DIR, browser_login, screenshot
from tests.factories import InstitutionFactory, make_member, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = ["Nama", "NIP", "Jabatan", "Instansi", "Kedudukan dalam tim", "Telepon", "Email", "Tanggal mulai",
           "Nomor SK"]


def workbook_file(tmp_path, rows) -> str:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Anggota"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "anggota-tim.xlsx"
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.fixture
def bangka(db):
    InstitutionFactory(name="Kepolisian Resor Bangka", short_name="Polres Bangka")
    InstitutionFactory(name="Badan Kesatuan Bangsa dan Politik Kabupaten Bangka", short_name="Kesbangpol Bangka")
    team = make_team("19.01", name="Tim Terpadu PKS Kabupaten Bangka", decree_signed_by="H. Mulkan, S.H., M.H.")
    make_member(team, "ketua", name="Drs. H. Ketua Sekarang, M.Si.", position="Sekretaris Daerah")
    return team


def test_import_with_errors_then_fixed(page, staf_bangka, bangka, tmp_path):
    browser_login(page, "staf.bangka")
    page.goto(page.base_url + f"/tim/{bangka.pk}/anggota/impor/")
    assert page.locator("h1").first.inner_text() == "Impor anggota dari Excel"
    screenshot(page, "import-form")
    screenshot(page, "import-form", phone=True)

    bad = workbook_file(tmp_path, [
        ["AKBP Joko Susilo, S.I.K.", "198001012005011001", "Kapolres", "Polres Bangka", "Wakil Ketua",
         "0812-1111-2222", "joko@polri.go.id", None, "188.45/12/2025"],
        ["Ir. Ketua Kedua", "", "Asisten I", "Kesbangpol Bangka", "Ketua", "", "", None, ""],
        ["", "12345", "Staf", "Dinas Antah Berantah", "Bendahara", "", "bukan-email", None, ""],
        ["Rina Oktaviani, S.IP.", "", "Analis", "Kesbangpol Bangka", "Sekretaris", "", "", None, ""],
    ])
    page.set_input_files("#id_file", bad)
    with page.expect_navigation():  # the page the click leads to, loaded
        page.click("#import-submit")
    assert "/impor/" in page.url and page.locator("#import-blocked").is_visible()
    assert page.locator("#import-confirm").count() == 0
    assert page.locator("#count-errors").inner_text() == "2"
    errors = page.locator(".kb-row-errors").all_inner_texts()
    assert any("sudah memiliki Ketua aktif" in e for e in errors)
    assert any("Nama wajib diisi." in e for e in errors)
    screenshot(page, "import-preview-errors")
    screenshot(page, "import-preview-errors", phone=True)

    good = workbook_file(tmp_path, [
        ["AKBP Joko Susilo, S.I.K.", "198001012005011001", "Kapolres", "Polres Bangka", "Wakil Ketua",
         "0812-1111-2222", "joko@polri.go.id", None, "188.45/12/2025"],
        ["Rina Oktaviani, S.IP.", "", "Analis", "Kesbangpol Bangka", "Sekretaris", "", "", None, ""],
    ])
    page.goto(page.base_url + f"/tim/{bangka.pk}/anggota/impor/")
    page.set_input_files("#id_file", good)
    with page.expect_navigation():  # the page the click leads to, loaded
        page.click("#import-submit")
    assert page.locator("#import-confirm").inner_text().strip() == "Simpan 2 anggota"
    screenshot(page, "import-preview-ok")
    with page.expect_navigation():  # the page the click leads to, loaded
        page.click("#import-confirm")
    assert page.url.rstrip("/").endswith(f"/tim/{bangka.pk}")
    assert "2 anggota disimpan" in page.locator(".kb-messages").inner_text()

    page.goto(page.base_url + "/tim/anggota/")
    assert "Rina Oktaviani, S.IP." in page.locator("table").inner_text()
    screenshot(page, "membership-list")
    screenshot(page, "membership-list", phone=True)

    response = page.request.get(page.base_url + f"/tim/{bangka.pk}/lampiran-sk.pdf")
    assert response.headers["content-type"] == "application/pdf"
    pdf_path = os.path.join(SCREENSHOT_DIR, "lampiran-sk.pdf")
    with open(pdf_path, "wb") as fh:
        fh.write(response.body())
    if shutil.which("pdftoppm"):  # poppler-utils; without it the PDF itself is kept for a look
        subprocess.run(["pdftoppm", "-png", "-r", "60", pdf_path, os.path.join(SCREENSHOT_DIR, "lampiran-sk")],
                       check=True, timeout=60)
