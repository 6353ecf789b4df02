"""Files built from the register: member lists (.xlsx, .csv), the import template (.xlsx) and the
printable member list in the layout of a decree appendix (LAMPIRAN SK, PDF through WeasyPrint).

Builders take rows the caller has already authorised (``Membership.objects.restrict``) and filtered; they
never query beyond what ``membership_register``/``team_members_for_print`` selected, so the number of
queries does not grow with the number of members.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kesbang.core.pdf import render_pdf
from kesbang.core.spreadsheets import HEADER_FILL, set_print_page, workbook_bytes, write_table_sheet
from teams.models import Institution, Membership, Region, Team


def role_rank() -> Case:
    """Lampiran-SK order of the roles (Ketua first, Anggota last) as a sortable expression."""
    return Case(
        *[When(role=value, then=Value(rank)) for rank, value in enumerate(Membership.ROLE_ORDER)],
        default=Value(len(Membership.ROLE_ORDER)),
        output_field=IntegerField(),
    )


def membership_register(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    """``memberships`` (already restricted) with person, institution, team and region joined in.

    Ordered by region, team, role (lampiran order) and start; annotated ``role_order`` for sorting."""
    return (
        memberships
        .select_related("person__institution", "team__region")
        .annotate(role_order=role_rank())
        .order_by("team__region__code", "team__name", "team_id", "role_order", "start_date", "id")
    )


def team_members_for_print(team: Team) -> list[Membership]:
    """Active members of one team in lampiran-SK order (one query)."""
    return list(
        Membership.objects.filter(team=team, end_date__isnull=True)
        .select_related("person__institution")
        .annotate(role_order=role_rank())
        .order_by("role_order", "start_date", "id")
    )


# --- Member list: xlsx and csv ---------------------------------------------------------------------


def register_headers() -> list[str]:
    return [pgettext("nomor urut", "No"), _("Nama"), _("NIP"), _("Jabatan"), _("Instansi"), _("Kedudukan"),
            _("Tim"), _("Wilayah"), _("Mulai"), _("Berakhir"), _("Telepon"), _("Email")]


REGISTER_WIDTHS = [5, 28, 21, 26, 24, 22, 30, 22, 12, 12, 16, 26]  # wrapped text; fits A4 landscape


def register_rows(memberships: Iterable[Membership]) -> Iterable[list]:
    for number, m in enumerate(memberships, start=1):
        person = m.person
        yield [
            number, person.name, person.nip, person.position, person.institution.name, m.get_role_display(),
            m.team.name, m.team.region.name, m.start_date, m.end_date, person.phone, person.email,
        ]


def memberships_xlsx(memberships: Iterable[Membership], *, filters: list[tuple[str, str]] | None = None,
                     exported_by: str = "") -> bytes:
    """One sheet of members (bold frozen header, widths, autofilter, real dates, NIP as text) and an
    "Info" sheet saying when, by whom and with which filters it was exported."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    title = _("Daftar anggota Tim Terpadu Penanganan Konflik Sosial")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("daftar", "Anggota")
    count = write_table_sheet(sheet, title=title, headers=register_headers(), rows=register_rows(memberships),
                              widths=REGISTER_WIDTHS, text_columns=(3,), title_row=False)

    info = workbook.create_sheet(_("Info"))
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 60
    info.append([title])
    info["A1"].font = Font(bold=True, size=12)
    info.append([_("Diekspor pada"), date_format(timezone.localtime(), "j F Y H.i")])
    if exported_by:
        info.append([_("Diekspor oleh"), exported_by])
    info.append([_("Jumlah baris"), count])
    for label, value in filters or []:
        info.append([label, value])
        info.cell(row=info.max_row, column=2).data_type = "s"
    set_print_page(info, title=title, landscape=False)
    return workbook_bytes(workbook)


# --- Import template --------------------------------------------------------------------------------


def import_template_xlsx(*, institutions: Iterable[Institution] | None = None) -> bytes:
    """The member import template: sheet "Anggota" (header, widths, NIP and phone as text, a date
    column, a dropdown of roles and of institutions) and sheet "Petunjuk" (every column explained,
    the valid roles and the registered institutions)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from teams import imports

    if institutions is None:
        institutions = Institution.objects.order_by("name")
    institutions = list(institutions)
    last_row = imports.MAX_ROWS + 1
    with translation.override("id"):  # the template is read against Indonesian headers and labels
        columns = [(c, str(c.header), str(c.help)) for c in imports.COLUMNS]
        roles = imports.role_labels()
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = imports.DATA_SHEET
        help_sheet = workbook.create_sheet(imports.HELP_SHEET)

        letters = {}
        for index, (column, header, _help) in enumerate(columns, start=1):
            letter = get_column_letter(index)
            letters[column.key] = letter
            cell = sheet.cell(row=1, column=index, value=header)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            sheet.column_dimensions[letter].width = column.width
        sheet.row_dimensions[1].height = 22
        sheet.freeze_panes = "A2"
        # Text format so an 18-digit NIP or a phone's leading zero survives typing.
        for key in ("nip", "phone", "decree_number"):
            for row in range(2, last_row + 1):
                sheet[f"{letters[key]}{row}"].number_format = "@"
        for row in range(2, last_row + 1):
            sheet[f"{letters['start_date']}{row}"].number_format = "DD/MM/YYYY"

        role_validation = DataValidation(
            type="list", formula1='"' + ",".join(roles) + '"', allow_blank=True, showDropDown=False,
            showErrorMessage=True, errorTitle=_("Kedudukan tidak dikenal"),
            error=_("Pilih kedudukan dari daftar."), promptTitle=_("Kedudukan dalam tim"),
            prompt=_("Ketua dan Sekretaris masing-masing hanya satu orang."), showInputMessage=True,
        )
        role_validation.add(f"{letters['role']}2:{letters['role']}{last_row}")
        sheet.add_data_validation(role_validation)

        # Petunjuk
        help_sheet.column_dimensions["A"].width = 30
        help_sheet.column_dimensions["B"].width = 16
        help_sheet.column_dimensions["C"].width = 90
        bold = Font(bold=True)
        help_sheet.append([_("Petunjuk pengisian templat impor anggota Tim Terpadu")])
        help_sheet["A1"].font = Font(bold=True, size=13)
        help_sheet.append([_("Isi satu baris per anggota pada lembar \"Anggota\", mulai baris 2. Jangan ubah "
                             "judul kolom. Paling banyak %(max)s baris per berkas; ukuran berkas paling besar "
                             "2 MB. Data belum tersimpan sebelum Anda memeriksa pratinjau dan menekan tombol "
                             "Simpan.") % {"max": imports.MAX_ROWS}])
        help_sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
        help_sheet.merge_cells("A2:C2")
        help_sheet.row_dimensions[2].height = 48
        help_sheet.append([])
        help_sheet.append([_("Kolom"), _("Wajib diisi"), _("Keterangan")])
        for cell in help_sheet[help_sheet.max_row]:
            cell.font = bold
        for column, header, help_text in columns:
            required = column.key in {"name", "institution", "role"}
            help_sheet.append([header, _("Ya") if required else _("Tidak"), help_text])
            help_sheet.cell(row=help_sheet.max_row, column=3).alignment = Alignment(wrap_text=True, vertical="top")
        help_sheet.append([])
        help_sheet.append([_("Kedudukan dalam tim yang sah")])
        help_sheet.cell(row=help_sheet.max_row, column=1).font = bold
        for role in roles:
            help_sheet.append([role])
        help_sheet.append([])
        help_sheet.append([_("Instansi terdaftar (tulis nama lengkap atau singkatannya)")])
        help_sheet.cell(row=help_sheet.max_row, column=1).font = bold
        help_sheet.append([_("Nama instansi"), _("Singkatan")])
        for cell in help_sheet[help_sheet.max_row]:
            cell.font = bold
        first = help_sheet.max_row + 1
        for institution in institutions:
            help_sheet.append([institution.name, institution.short_name])
            for cell in help_sheet[help_sheet.max_row]:
                cell.data_type = "s"
        if institutions:
            help_sheet.column_dimensions["A"].width = max(30, min(70, max(len(i.name) for i in institutions) + 2))
            # A dropdown of the registered names that still accepts a typed short name.
            institution_validation = DataValidation(
                type="list", formula1=f"'{imports.HELP_SHEET}'!$A${first}:$A${help_sheet.max_row}",
                allow_blank=True, showErrorMessage=False,
            )
            institution_validation.add(f"{letters['institution']}2:{letters['institution']}{last_row}")
            sheet.add_data_validation(institution_validation)
        workbook.active = 0
    return workbook_bytes(workbook)


# --- Printable member list (LAMPIRAN SK) ----------------------------------------------------------


def decree_authority(region: Region) -> tuple[str, str]:
    """Who decrees a team of ``region`` and the region as the decree names it, both upper case:
    ("GUBERNUR", "KEPULAUAN BANGKA BELITUNG"), ("BUPATI", "BANGKA"), ("WALI KOTA", "PANGKALPINANG")."""
    name = " ".join(region.name.split())
    if region.level == Region.Level.KOTA:
        return "WALI KOTA", re.sub(r"^kota\s+", "", name, flags=re.IGNORECASE).upper()
    if region.level == Region.Level.KABUPATEN:
        return "BUPATI", re.sub(r"^(kabupaten|kab\.)\s*", "", name, flags=re.IGNORECASE).upper()
    return "GUBERNUR", re.sub(r"^provinsi\s+", "", name, flags=re.IGNORECASE).upper()


def region_full_name(region: Region) -> str:
    """ "PROVINSI KEPULAUAN BANGKA BELITUNG", "KABUPATEN BANGKA", "KOTA PANGKALPINANG"."""
    name = " ".join(region.name.split()).upper()
    if region.level == Region.Level.PROVINSI and not name.startswith("PROVINSI "):
        return "PROVINSI " + name
    return name


def indonesian_date(value: datetime.date | None) -> str:
    if value is None:
        return ""
    with translation.override("id"):
        return date_format(value, "j F Y")


def team_members_context(team: Team, memberships: list[Membership]) -> dict:
    authority, region_name = decree_authority(team.region)
    signer = (team.decree_signed_by or "").strip()
    # "Gubernur Kepulauan Bangka Belitung" written as the signer is the office, not a name.
    signer_is_office = bool(re.match(r"^(pj\.?\s+|plt\.?\s+)?(gubernur|bupati|wali\s*kota)\b", signer, re.I))
    with translation.override("id"):
        rows = [
            {
                "number": number,
                "name": m.person.name,
                "position": m.person.position,
                "institution": m.person.institution.name,
                "role": str(m.get_role_display()),
            }
            for number, m in enumerate(memberships, start=1)
        ]
    return {
        "team": team,
        "rows": rows,
        "authority": authority,
        "authority_region": region_name,
        "region_full_name": region_full_name(team.region),
        "decree_number": team.decree_number,
        "decree_date": indonesian_date(team.decree_date),
        "signer_office": signer.upper() if signer_is_office else f"{authority} {region_name}",
        "signer_name": "" if signer_is_office else signer,
        "printed_at": indonesian_date(timezone.localdate()),
    }


def team_members_html(team: Team, memberships: list[Membership]) -> str:
    """The HTML the PDF is printed from (also what tests read, since PDF text is compressed)."""
    with translation.override("id"):  # a decree appendix is in Indonesian whatever the UI language
        return render_to_string("teams/pdf/team_members.html", team_members_context(team, memberships))


def team_members_pdf(team: Team, memberships: list[Membership]) -> bytes:
    return render_pdf(team_members_html(team, memberships))


def team_members_pdf_filename(team: Team) -> str:
    return f"lampiran-sk-{slugify(team.name)[:80] or team.pk}.pdf"
