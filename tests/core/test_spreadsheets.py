import datetime

from openpyxl import Workbook, load_workbook

from kesbang.core.spreadsheets import (
    XLSX_CONTENT_TYPE,
    csv_response,
    export_filename,
    spreadsheet_safe,
    workbook_bytes,
    wrapped_lines,
    write_table_sheet,
    xlsx_response,
)


def test_spreadsheet_safe_neutralises_formulas_but_keeps_phone_numbers():
    assert spreadsheet_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("+cmd|' /C calc'!A0") == "'+cmd|' /C calc'!A0"
    assert spreadsheet_safe("-2+3") == "'-2+3"
    assert spreadsheet_safe("-") == "-"
    assert spreadsheet_safe("-cmd|' /C calc'!A0") == "'-cmd|' /C calc'!A0"
    assert spreadsheet_safe("Drs. H. Tarmin") == "Drs. H. Tarmin"
    assert spreadsheet_safe("+62 812-3456-7890") == "+62 812-3456-7890"
    assert spreadsheet_safe("\tx") == "'\tx"
    assert spreadsheet_safe(5) == 5


def test_csv_response_has_bom_and_safe_cells():
    response = csv_response(["Nama", "Tanggal"], [["=1+1", datetime.date(2025, 1, 2)]], "x.csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffNama,Tanggal")
    assert "'=1+1,2025-01-02" in body
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_xlsx_response_and_filename():
    assert export_filename("anggota", "xlsx", today=datetime.date(2025, 3, 4)) == "anggota-2025-03-04.xlsx"
    response = xlsx_response(b"abc", "a.xlsx")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE


def test_wrapped_lines_counts_word_wrapping():
    assert wrapped_lines("pendek", 20) == 1
    assert wrapped_lines("satu dua tiga empat lima enam tujuh", 12) >= 3
    assert wrapped_lines("a\nb\nc", 30) == 3


def test_table_sheet_sets_the_print_page():
    wb = Workbook()
    ws = wb.active
    rows = [[1, "Nama yang panjang sekali " * 4, datetime.date(2025, 1, 1), "=bahaya"]]
    count = write_table_sheet(ws, title="Daftar uji", headers=["No", "Nama", "Mulai", "Catatan"], rows=rows,
                              widths=[5, 20, 12, 12])
    assert count == 1
    ws = load_workbook(__import__("io").BytesIO(workbook_bytes(wb))).active
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$2:$2"
    assert "&P" in ws.oddFooter.right.text and "Daftar uji" in ws.oddFooter.left.text
    assert ws["D3"].value == "=bahaya" and ws["D3"].data_type == "s"
    assert ws.row_dimensions[3].height >= 4 * 15  # the long name wraps over several lines
