"""Render a built report: PDF through WeasyPrint (kop surat, cover, sections) and .xlsx through
openpyxl's write-only workbook (one sheet per section), both from the same ``Section`` list."""

import datetime
import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kesbang.core.pdf import render_pdf
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


def _display_table(table: Table) -> dict:
    def row_cells(row):
        return [
            {"text": display(v, percent=i in table.percent), "num": i in table.numeric or i in table.percent}
            for i, v in enumerate(row)
        ]

    return {
        "title": table.title,
        "headers": [{"text": h, "num": i in table.numeric or i in table.percent} for i, h in enumerate(table.headers)],
        "rows": [{"cells": row_cells(r), "group": i in table.group_rows} for i, r in enumerate(table.rows)],
        "totals": row_cells(table.totals) if table.totals else None,
        "empty_text": table.empty_text,
        "wide": len(table.headers) > 8,
        "narrow": len(table.headers) <= 2,
    }


def report_pdf(*, report, sections: list[Section], generated_at: datetime.datetime) -> bytes:
    html = render_to_string("kesbang/pdf/report.html", {
        "office": office(),
        "report": report,
        "kind_title": report.kind_title.upper(),
        "period": report.report_period,
        "generated_at": generated_at,
        "figures": [(label, display(value)) for s in sections for label, value in s.figures],
        "sections": [
            {"key": s.key, "title": s.title, "intro": s.intro, "paragraphs": s.paragraphs,
             "tables": [_display_table(t) for t in s.tables],
             "wide": any(len(t.headers) > 8 for t in s.tables)}
            for s in sections
        ],
    })
    return render_pdf(html, base_url=settings.BASE_DIR)


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", title).strip()[:28] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:25]} ({n})"
        n += 1
    used.add(name.lower())
    return name


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


def report_xlsx(*, report, sections: list[Section], generated_at: datetime.datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    title_font = Font(bold=True, size=13)
    head_fill = PatternFill("solid", fgColor="DCE6F1")
    group_fill = PatternFill("solid", fgColor="F2F2F2")
    wrap = Alignment(wrap_text=True, vertical="top")
    used: set[str] = set()

    def styled(ws, value, *, font=None, fill=None, number_format=None, alignment=None):
        cell = WriteOnlyCell(ws, value=value)
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        if number_format:
            cell.number_format = number_format
        if alignment:
            cell.alignment = alignment
        return cell

    period = report.report_period
    ws = wb.create_sheet(_sheet_title(_("Ringkasan"), used))
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 24
    ws.append([styled(ws, settings.KESBANG_OFFICE_NAME, font=title_font)])
    ws.append([styled(ws, _("LAPORAN %(kind)s TIM TERPADU PENANGANAN KONFLIK SOSIAL") % {
        "kind": report.kind_title.upper()}, font=bold)])
    ws.append([_("Wilayah"), report.region.name])
    ws.append([_("Periode"), period.label])
    ws.append([_("Versi"), report.version])
    ws.append([_("Dibuat"), timezone.localtime(generated_at).replace(tzinfo=None)])
    ws.append([])
    ws.append([styled(ws, _("Angka ringkasan"), font=bold, fill=head_fill),
               styled(ws, _("Nilai"), font=bold, fill=head_fill)])
    for s in sections:
        for label, value in s.figures:
            ws.append([label, _xlsx_value(value, percent=False)])

    for s in sections:
        ws = wb.create_sheet(_sheet_title(s.title, used))
        widest = max((len(t.headers) for t in s.tables), default=1)
        for col in range(widest):
            ws.column_dimensions[get_column_letter(col + 1)].width = 40 if col in (1, 2) else 16
        ws.append([styled(ws, s.title, font=title_font)])
        if s.intro:
            ws.append([s.intro])
        for paragraph in s.paragraphs:
            ws.append([styled(ws, _xlsx_value(paragraph, percent=False), alignment=wrap)])
        for table in s.tables:
            ws.append([])
            if table.title:
                ws.append([styled(ws, table.title, font=bold)])
            ws.append([styled(ws, h, font=bold, fill=head_fill, alignment=wrap) for h in table.headers])
            if not table.rows and table.empty_text:
                ws.append([table.empty_text])
            for i, row in enumerate(table.rows):
                group = i in table.group_rows
                ws.append([
                    styled(ws, _xlsx_value(v, percent=j in table.percent), font=bold if group else None,
                           fill=group_fill if group else None,
                           number_format="0.0" if j in table.percent else ("#,##0.##" if j in table.numeric else None))
                    for j, v in enumerate(row)
                ])
            if table.totals:
                ws.append([
                    styled(ws, _xlsx_value(v, percent=j in table.percent), font=bold,
                           number_format="0.0" if j in table.percent else None)
                    for j, v in enumerate(table.totals)
                ])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
