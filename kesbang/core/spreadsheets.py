"""Spreadsheet and CSV responses with formula-safe cells, and sheets that print.

``write_table_sheet`` sets the page as officers print it: A4 landscape, fitted to the page width,
header rows repeated on every page, margins, the title and "Halaman N dari M" in the footer, and
row heights that show all wrapped text (LibreOffice and Excel do not grow rows for wrapped text
written by openpyxl, so the height is estimated from the column widths).
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
HEADER_FILL = "12355B"  # the house navy
LINE_HEIGHT_POINTS = 14.0  # Calibri 11 pt, as LibreOffice and Excel lay it out

_PHONE_LIKE = re.compile(r"^[+-]?[\d\s().-]+$")


def spreadsheet_safe(value):
    """Neutralise text a spreadsheet would run as a formula (CSV/formula injection): text starting
    with = + - @ TAB or CR gets a leading apostrophe. Phone-number-like text ("+62 812-...",
    "-") stays as it is: it is no formula."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in "=@\t\r" or (value[0] in "+-" and not _PHONE_LIKE.match(value)):
        return "'" + value
    return value


def export_filename(stem: str, ext: str, *, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{stem}-{today:%Y-%m-%d}.{ext.lstrip('.')}"


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    return _attachment(HttpResponse(data, content_type=XLSX_CONTENT_TYPE), filename)


def xlsx_streaming_response(chunks: Iterable[bytes], filename: str) -> StreamingHttpResponse:
    """A workbook sent as it is written (``kesbang.core.xlsx_stream.table_xlsx_chunks``)."""
    return _attachment(StreamingHttpResponse(chunks, content_type=XLSX_CONTENT_TYPE), filename)


def csv_bytes(headers: Sequence, rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with BOM (Excel reads the accents right), comma separated, dates ISO, formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(h) for h in headers])
    for row in rows:
        writer.writerow([
            value.isoformat() if isinstance(value, datetime.date)
            else "" if value is None
            else spreadsheet_safe(value) if isinstance(value, str) else value
            for value in row
        ])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_response(headers: Sequence, rows: Iterable[Sequence], filename: str) -> HttpResponse:
    return _attachment(HttpResponse(csv_bytes(headers, rows), content_type=CSV_CONTENT_TYPE), filename)


def workbook_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return "00/00/0000"
    if isinstance(value, (int, float, Decimal)):
        return f"{value:,}"
    return str(value)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide (wrapped at words)."""
    usable = max(1.0, (width or 10) - 1.5)
    lines = 0
    for paragraph in str(text).split("\n"):
        if not paragraph:
            lines += 1
            continue
        current = 0
        count = 1
        for word in paragraph.split(" "):
            size = len(word)
            if current and current + 1 + size > usable:
                count += 1
                current = 0
            while size > usable:  # a word longer than the column breaks anywhere
                count += 1 if current else 0
                size -= usable
                current = 0
                if size <= usable:
                    break
            current += (1 if current else 0) + size
        lines += count
    return lines


def fit_row_height(ws, row: int, *, widths: Sequence[float], bold: bool = False, min_lines: int = 1) -> None:
    """Set a row's height so every wrapped cell shows all its text."""
    lines = min_lines
    for col, width in enumerate(widths, start=1):
        value = ws.cell(row=row, column=col).value
        if value is None or value == "":
            continue
        lines = max(lines, wrapped_lines(_text_of(value), width * (0.9 if bold else 1.0)))
    ws.row_dimensions[row].height = math.ceil(lines * LINE_HEIGHT_POINTS + 2)


def set_print_page(ws, *, title: str, header_rows: str | None = None, landscape: bool = True) -> None:
    """A4 landscape, fitted to the page width (any number of pages tall), ``header_rows`` ("1:1")
    repeated on every page, margins in inches, the title and page numbers in the footer."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = 0.5
    ws.page_margins.bottom = 0.6
    ws.page_margins.header = 0.2
    ws.page_margins.footer = 0.25
    if header_rows:
        ws.print_title_rows = header_rows
    safe_title = (title or "").replace("&", "&&")[:120]
    ws.oddFooter.left.text = safe_title
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = "Halaman &P dari &N"
    ws.oddFooter.right.size = 8
    ws.evenFooter.left.text = ws.oddFooter.left.text
    ws.evenFooter.right.text = ws.oddFooter.right.text


def write_table_sheet(ws, *, title: str, headers: Sequence[str], rows: Iterable[Sequence],
                      widths: Sequence[float] | None = None, filters: Sequence[tuple[str, str]] | None = None,
                      text_columns: Sequence[int] = (), date_format: str = "DD/MM/YYYY",
                      title_row: bool = True) -> int:
    """Write a titled table: title row (unless ``title_row=False``: the title is then only in the
    footer), optional filter lines, one bold navy header row (frozen, repeated on print, autofilter),
    then the rows (real dates, text never a formula, wrapped). Sets the print page. Returns the
    number of data rows."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    widths = list(widths or [max(10, min(40, len(str(h)) + 4)) for h in headers])
    thin = Side(style="thin", color="B7C2D0")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")

    row = 1
    if title_row:
        ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=12)
        ws.cell(row=1, column=1).data_type = "s"
        row = 2
    for label, value in filters or []:
        ws.cell(row=row, column=1, value=f"{label}: {value}").data_type = "s"
        row += 1
    header_row = row
    for col, (header, width) in enumerate(zip(headers, widths, strict=False), start=1):
        cell = ws.cell(row=header_row, column=col, value=str(header))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = border
        ws.column_dimensions[get_column_letter(col)].width = width
    fit_row_height(ws, header_row, widths=widths, bold=True)

    count = 0
    for count, values in enumerate(rows, start=1):  # noqa: B007 - count is the result
        r = header_row + count
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col)
            if isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = date_format
            elif isinstance(value, str):
                cell.value = value if value != "" else None
                cell.data_type = "s"  # never a formula, whatever the text starts with
                if col in text_columns:
                    cell.number_format = "@"
            else:
                cell.value = value
            cell.alignment = wrap_top
            cell.border = border
        fit_row_height(ws, r, widths=widths)
    last_col = get_column_letter(len(headers))
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last_col}{header_row + max(count, 0)}"
    set_print_page(ws, title=title, header_rows=f"{header_row}:{header_row}")
    ws.print_area = f"A1:{last_col}{header_row + count}"
    return count
