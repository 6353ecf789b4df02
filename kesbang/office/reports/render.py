"""Render a built report: PDF through WeasyPrint (kop surat, cover, sections; rendered in parts and
joined, see ``report_pdf``) and .xlsx through openpyxl's write-only workbook (one sheet per section),
both from the same ``Section`` list."""

import datetime
import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kesbang.core.pdf import render_pdf_parts
from kesbang.office.reports.registry import Section, Table, num, pct


def office() -> dict:
    """The letterhead: configured in settings (KESBANG_OFFICE_*), the logo a file path."""
    logo = Path(settings.KESBANG_OFFICE_LOGO) if settings.KESBANG_OFFICE_LOGO else None
    return {
        "government": settings.KESBANG_OFFICE_GOVERNMENT,
        "name": settings.KESBANG_LETTERHEAD_OFFICE,
        "address": settings.KESBANG_OFFICE_ADDRESS,
        "contact": settings.KESBANG_OFFICE_CONTACT,
        "city": settings.KESBANG_OFFICE_CITY,
        "logo_uri": logo.resolve().as_uri() if logo and logo.is_file() else "",
    }


def display(value, *, percent: bool = False) -> str:
    if value is None or value == "":
        return "—" if value is None else ""
    if percent:
        return pct(value)
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, (int, Decimal)):
        return num(value)
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j F Y H.i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    return str(value)


PART_ROWS = 40  # table rows per PDF part (report_pdf): WeasyPrint's peak memory grows with a part's rows


def _widths(headers: list[str], texts: list[list[str]]) -> list[str]:
    """Column widths in percent, from the content: a column's longest text (capped: longer text
    wraps), at least its header's longest word."""
    weights = []
    for i, header in enumerate(headers):
        longest = max((len(row[i]) for row in texts if i < len(row)), default=0)
        word = max((len(w) for w in str(header).split()), default=1)
        weights.append(max(4, word + 1.5, min(longest + 1.5, 42)))
    total = sum(weights)
    return [f"{100 * w / total:.2f}" for w in weights]  # a CSS number: never localised ("4,35")


def _pdf_table(table: Table, sheet: str) -> dict:
    """A table for ``report_section.html``: its rows already as HTML (one string, no per-cell
    template work), classes only where a cell differs (numbers right-aligned, group and total rows).
    A row-level annex longer than its ``print_limit`` is a note pointing to the workbook's ``sheet``."""
    if not table.printed:
        return {"title": table.title, "body": "", "empty_text": _(
            "%(rows)s baris: terlalu panjang untuk dicetak; seluruhnya ada di berkas .xlsx laporan ini, "
            "lembar \u201c%(sheet)s\u201d.") % {"rows": num(len(table.rows)), "sheet": sheet}}
    numeric = set(table.numeric) | set(table.percent)
    percent = set(table.percent)
    def text(i, value):  # a number never breaks inside ("100,0 %", "1.250.000")
        shown = display(value, percent=i in percent)
        return shown.replace(" ", "\u00a0") if i in numeric else shown

    texts = [[text(i, v) for i, v in enumerate(row)] for row in table.rows]
    totals = [text(i, v) for i, v in enumerate(table.totals)] if table.totals else None
    width = len(table.headers)
    rows = []
    for r, cells in enumerate(texts):
        if r in table.group_rows:
            rows.append(f'<tr><td class="g" colspan="{width}">{escape(cells[0])}</td></tr>')
            continue
        rows.append("<tr>" + "".join(f'<td class="n">{escape(c)}</td>' if i in numeric else f"<td>{escape(c)}</td>"
                                     for i, c in enumerate(cells)) + "</tr>")
    if totals:
        rows.append("<tr>" + "".join(f'<td class="t n">{escape(c)}</td>' if i in numeric
                                     else f'<td class="t">{escape(c)}</td>' for i, c in enumerate(totals)) + "</tr>")
    return {
        "title": table.title,
        "headers": table.headers,
        "widths": _widths(table.headers, [t for r, t in enumerate(texts) if r not in table.group_rows]
                          + ([totals] if totals else [])),
        "body": mark_safe("\n".join(rows)) if rows and table.rows else "",  # noqa: S308 (every text escaped)
        "empty_text": table.empty_text,
        "wide": width > 8,
        "narrow": width <= 2,
    }


def report_pdf(*, report, sections: list[Section], generated_at: datetime.datetime) -> bytes:
    """The report's PDF, rendered in parts (``kesbang.core.pdf.render_pdf_parts``): every section a
    document of its own, then the front matter (cover, summary figures and the table of contents
    with the page each section starts on), then the footers over all pages."""
    common = {"report": report, "kind_title": report.kind_title.upper(), "period": report.report_period,
              "generated_at": generated_at}

    sheets = sheet_names(sections)
    first_parts = []  # index of each section's first part

    def section_parts():
        """A part per section, or several when its tables are long (a part's rows stay near
        ``PART_ROWS``, so WeasyPrint's memory too): the next part starts on a new page."""
        for number, (s, sheet) in enumerate(zip(sections, sheets[1:], strict=True), start=1):
            tables = [_pdf_table(t, sheet) for t in s.tables]
            chunks, rows = [[]], 0
            for table, source in zip(tables, s.tables, strict=True):
                size = len(source.rows) if table["body"] else 1
                if chunks[-1] and rows + size > PART_ROWS:
                    chunks.append([])
                    rows = 0
                chunks[-1].append(table)
                rows += size
            first_parts.append(len(part_sections))
            for i, chunk in enumerate(chunks):
                part_sections.append(number)
                yield render_to_string("kesbang/pdf/report_section.html", {**common, "section": {
                    "number": number, "key": s.key, "title": s.title, "intro": s.intro, "paragraphs": s.paragraphs,
                    "first": i == 0, "tables": chunk, "wide": any(len(t.headers) > 8 for t in s.tables),
                }})

    part_sections: list[int] = []

    def front(counts: list[int], own_pages: int) -> str:
        part_starts, page = [], own_pages + 1
        for count in counts:
            part_starts.append(page)
            page += count
        starts = [part_starts[i] for i in first_parts]
        return render_to_string("kesbang/pdf/report_front.html", {
            **common, "office": office(),
            "figures": [(label, display(value)) for s in sections for label, value in s.figures],
            "contents": [(n, s.title, start) for n, (s, start) in enumerate(zip(sections, starts, strict=True), 1)],
        })

    def stamp(sizes: list[tuple[float, float]]) -> str:
        pages = ["cover"] + ["wide" if w > h else "" for w, h in sizes[1:]]
        return render_to_string("kesbang/pdf/report_stamp.html", {**common, "pages": pages})

    return render_pdf_parts(section_parts(), base_url=settings.BASE_DIR, front=front, stamp=stamp)


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", title).strip()[:28] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:25]} ({n})"
        n += 1
    used.add(name.lower())
    return name


def sheet_names(sections: list[Section]) -> list[str]:
    """The workbook's sheet names: the summary's, then one per section (the PDF names them too)."""
    used: set[str] = set()
    return [_sheet_title(_("Ringkasan"), used), *[_sheet_title(s.title, used) for s in sections]]


def _xlsx_value(value, *, percent: bool):
    """Numbers stay numbers (sums work in Excel), text that looks like a formula stays text."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, (int, float, datetime.date)):
        return value
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def _column_widths(tables: list[Table], minimum: int = 1) -> list[float]:
    """Column widths (characters) of a sheet from its tables' content: the longest text of the
    column (capped: longer text wraps), at least the header's longest word."""
    count = max([minimum, *(len(t.headers) for t in tables)])
    widths = [8.0] * count
    for table in tables:
        for i, header in enumerate(table.headers):
            widths[i] = max(widths[i], max((len(w) for w in str(header).split()), default=0) + 3)
        for r, row in enumerate([*table.rows, table.totals or []]):
            if r in table.group_rows:  # a heading across the row: it runs over the empty cells beside it
                continue
            for i, value in enumerate(row):
                widths[i] = max(widths[i], min(len(display(value, percent=i in table.percent)) + 2, 48))
    return widths


def report_xlsx(*, report, sections: list[Section], generated_at: datetime.datetime) -> bytes:
    """One sheet per section (the summary first), printed as the other exports print (``set_print_page``:
    A4 landscape, fitted to the page width, the header row of the sheet's longest table repeated on
    every page), column widths from the content and row heights that show all wrapped text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from kesbang.core.spreadsheets import fit_row_height, set_print_page, wrapped_lines

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    title_font = Font(bold=True, size=13)
    head_fill = PatternFill("solid", fgColor="DCE6F1")
    group_fill = PatternFill("solid", fgColor="F2F2F2")
    wrap = Alignment(wrap_text=True, vertical="top")
    head_align = Alignment(wrap_text=True, vertical="center", horizontal="center")

    def put(ws, row, col, value, *, font=None, fill=None, number_format=None, alignment=None):
        cell = ws.cell(row=row, column=col, value=None if value == "" else value)
        if isinstance(value, str) and value:
            cell.data_type = "s"  # never a formula
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        if number_format:
            cell.number_format = number_format
        if alignment:
            cell.alignment = alignment
        return cell

    def text_line(ws, row, text, widths, *, font=None):
        """A line of text across the sheet's width (merged, wrapped, tall enough for all of it)."""
        put(ws, row, 1, _xlsx_value(text, percent=False), font=font, alignment=wrap)
        if len(widths) > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
        lines = wrapped_lines(str(text), sum(widths) * (0.85 if font else 1.0))
        ws.row_dimensions[row].height = lines * (17 if font is title_font else 14) + 2

    period = report.report_period
    names = iter(sheet_names(sections))
    ws = wb.create_sheet(next(names))
    widths = [48.0, 24.0]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    put(ws, 1, 1, settings.KESBANG_OFFICE_NAME, font=title_font)
    text_line(ws, 2, _("LAPORAN %(kind)s TIM TERPADU PENANGANAN KONFLIK SOSIAL") % {
        "kind": report.kind_title.upper()}, widths, font=bold)
    meta = [(_("Wilayah"), report.region.name), (_("Periode"), period.label), (_("Versi"), report.version),
            (_("Dibuat"), timezone.localtime(generated_at).replace(tzinfo=None))]
    for row, (label, value) in enumerate(meta, start=3):
        put(ws, row, 1, label)
        put(ws, row, 2, value, alignment=Alignment(horizontal="left"),
            number_format="DD/MM/YYYY HH:MM" if isinstance(value, datetime.datetime) else None)
    row = 8
    put(ws, row, 1, _("Angka ringkasan"), font=bold, fill=head_fill)
    put(ws, row, 2, _("Nilai"), font=bold, fill=head_fill)
    header_row = row
    for s in sections:
        for label, value in s.figures:
            row += 1
            put(ws, row, 1, label, alignment=wrap)
            put(ws, row, 2, _xlsx_value(value, percent=False))
    set_print_page(ws, title=_("Ringkasan"), header_rows=f"{header_row}:{header_row}")

    for s in sections:
        ws = wb.create_sheet(next(names))
        widths = _column_widths(s.tables)
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        text_line(ws, 1, s.title, widths, font=title_font)
        row = 1
        if s.intro:
            row += 1
            text_line(ws, row, s.intro, widths)
        for paragraph in s.paragraphs:
            row += 1
            text_line(ws, row, paragraph, widths)
        repeat, longest = None, -1
        for table in s.tables:
            row += 1  # a blank line before each table
            if table.title:
                row += 1
                text_line(ws, row, table.title, widths, font=bold)
            row += 1
            for col, header in enumerate(table.headers, start=1):
                put(ws, row, col, str(header), font=bold, fill=head_fill, alignment=head_align)
            fit_row_height(ws, row, widths=widths, bold=True)
            if len(table.rows) > longest:
                repeat, longest = row, len(table.rows)
            if not table.rows and table.empty_text:
                row += 1
                text_line(ws, row, table.empty_text, widths)
            for i, values in enumerate(table.rows):
                row += 1
                group = i in table.group_rows
                for j, v in enumerate(values):
                    put(ws, row, j + 1, _xlsx_value(v, percent=j in table.percent), font=bold if group else None,
                        fill=group_fill if group else None, alignment=None if group else wrap,
                        number_format="0.0" if j in table.percent else ("#,##0.##" if j in table.numeric else None))
                if not group:
                    fit_row_height(ws, row, widths=widths)
            if table.totals:
                row += 1
                for j, v in enumerate(table.totals):
                    put(ws, row, j + 1, _xlsx_value(v, percent=j in table.percent), font=bold, alignment=wrap,
                        number_format="0.0" if j in table.percent else None)
                fit_row_height(ws, row, widths=widths, bold=True)
        set_print_page(ws, title=s.title, header_rows=f"{repeat}:{repeat}" if repeat else None)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
