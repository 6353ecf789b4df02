"""Importing a team's members from an Excel workbook (.xlsx).

Three steps, each with one contract:

1. ``read_workbook(upload)`` turns an uploaded file into raw rows (dicts of strings, JSON-safe) or
   raises ``ValidationError`` with an Indonesian message for a file that cannot be used at all: not an
   .xlsx, empty, too large (refused before parsing), protected with a password, expanding beyond
   ``kesbang.core.uploads.check_zip_expansion``'s limits (checked before openpyxl opens it), no data
   rows, more than ``MAX_ROWS`` rows, or a header row without the required columns. It never writes.
2. ``members_import_preview(team=..., rows=...)`` checks every raw row against the database (and the
   other rows) and returns a ``Preview`` with row-by-row errors. It never writes either, so it is run
   again on confirmation: the data may have changed between upload and confirmation.
3. ``members_import(team=..., rows=..., user=...)`` is the service: it validates again and saves every
   row in one transaction through ``person_create`` and ``membership_start``, or saves nothing.

Between steps 1 and 3 the raw rows wait in the session (``preview_store``/``preview_load``) under a
key bound to the team and a random token.
"""

from __future__ import annotations

import datetime
import re
import secrets
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePath

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesbang.core.spreadsheets import XLSX_CONTENT_TYPE
from kesbang.core.uploads import OLE2_SIGNATURE, check_zip_expansion
from teams.models import Institution, Membership, Person, Team
from teams.selectors import team_can_manage
from teams.services import membership_start, person_create

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500
# A sheet can hold thousands of styled but empty rows; never walk more than this many.
MAX_SCANNED_ROWS = 10 * MAX_ROWS
# The header row is looked for in the first rows, so a title line above it is tolerated.
HEADER_SEARCH_ROWS = 10
DATA_SHEET = "Anggota"
HELP_SHEET = "Petunjuk"
SESSION_PREFIX = "teams.members_import"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    required: bool  # the header must be present (the cell may still be optional, see ``help``)
    help: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("name", gettext_lazy("Nama"), 38, True,
           gettext_lazy('Wajib. Nama lengkap dengan gelar, ditulis seperti aslinya, mis. "Drs. H. Tarmin, M.Si.".'),
           ("nama lengkap", "nama dan gelar", "nama lengkap dan gelar")),
    Column("nip", gettext_lazy("NIP"), 22, False,
           gettext_lazy("Tidak wajib. 18 angka tanpa spasi, ditulis sebagai teks (kolom ini sudah berformat teks)."),
           ("nip/nrp", "nip / nrp")),
    Column("position", gettext_lazy("Jabatan"), 34, True,
           gettext_lazy("Jabatan di instansi asal, mis. Kepala Badan Kesbangpol. Boleh dikosongkan."),
           ("jabatan dalam instansi",)),
    Column("institution", gettext_lazy("Instansi"), 30, True,
           gettext_lazy("Wajib. Nama lengkap atau singkatan instansi yang sudah terdaftar (daftarnya ada di lembar "
                        "Petunjuk pada templat)."),
           ("instansi asal", "unsur")),
    Column("role", gettext_lazy("Kedudukan dalam tim"), 30, True,
           gettext_lazy("Wajib. Salah satu kedudukan di bawah (pilih dari daftar; huruf besar/kecil bebas). "
                        "Ketua dan Sekretaris masing-masing hanya satu orang."),
           ("kedudukan", "kedudukan dalam tim terpadu", "jabatan dalam tim")),
    Column("phone", gettext_lazy("Telepon"), 18, False, gettext_lazy("Tidak wajib. Nomor telepon atau HP."),
           ("no. hp", "no hp", "nomor hp", "hp", "telepon/hp", "no. telepon", "nomor telepon")),
    Column("email", gettext_lazy("Email"), 30, False, gettext_lazy("Tidak wajib. Alamat email yang sah."),
           ("e-mail", "surel", "alamat email")),
    Column("start_date", gettext_lazy("Tanggal mulai"), 16, False,
           gettext_lazy("Tidak wajib. Tanggal mulai bertugas di tim (tanggal Excel atau DD/MM/YYYY). "
                        "Bila kosong: hari ini, atau awal masa tugas tim bila belum dimulai."),
           ("mulai", "tmt", "tanggal mulai tugas")),
    Column("decree_number", gettext_lazy("Nomor SK"), 26, False,
           gettext_lazy("Tidak wajib. Nomor SK pengangkatan sebagai anggota tim."),
           ("no. sk", "no sk", "nomor sk pengangkatan", "sk pengangkatan")),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
MAX_LENGTHS = {"name": 200, "position": 200, "phone": 30, "email": 254, "decree_number": 120}
# Columns users add that carry nothing to import ("No", "Keterangan"); silently ignored.
IGNORED_HEADERS = {"no", "no.", "nomor", "nomor urut", "keterangan", "ket", "ket."}

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12,
}


def normalise(value: str) -> str:
    """Spacing collapsed and case folded: how names, institutions and roles are compared."""
    return " ".join(str(value).split()).casefold()


def clean_text(value: str) -> str:
    return " ".join(str(value).split())


def header_map() -> dict[str, str]:
    """Header text (Indonesian as in the template, or the interface language) -> column key."""
    mapping = {}
    for column in COLUMNS:
        mapping[normalise(column.header)] = column.key
        mapping[normalise(column.key)] = column.key
        for alias in column.aliases:
            mapping[normalise(alias)] = column.key
    with _indonesian():
        for column in COLUMNS:
            mapping[normalise(column.header)] = column.key
    return mapping


def role_lookup() -> dict[str, str]:
    """Role label (Indonesian, any case) or stored value -> value."""
    lookup = {}
    for role in Membership.Role:
        lookup[normalise(role.value)] = role.value
        lookup[normalise(role.value.replace("_", " "))] = role.value
        lookup[normalise(str(role.label))] = role.value
    # Labels as the decree writes them, whatever the interface language is.
    with _indonesian():
        for role in Membership.Role:
            lookup[normalise(str(role.label))] = role.value
    return lookup


def role_labels() -> list[str]:
    with _indonesian():
        return [str(role.label) for role in Membership.Role]


def _indonesian():
    from django.utils import translation

    return translation.override("id")


# --- 1. Reading the workbook ------------------------------------------------------------------------


def _cell_text(value, key: str) -> str:
    """A cell as text, without losing what Excel did to it (18-digit NIPs typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        text = str(value)
        # A phone number typed as a number lost its leading zero (0812... became 812...).
        if key == "phone" and text.startswith("8"):
            text = "0" + text
        return text
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return _cell_text(int(value), key)
        return f"{value:.15g}"
    return clean_text(value)


def _open_workbook(data: bytes):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = ValidationError(
        _("Berkas tidak dapat dibaca sebagai buku kerja Excel (.xlsx). Simpan ulang berkas dari Excel "
          "sebagai \"Excel Workbook (*.xlsx)\" lalu unggah kembali."),
        code="unreadable",
    )
    if _bytes_io(data).read(8) != OLE2_SIGNATURE and not zipfile.is_zipfile(_bytes_io(data)):
        raise unreadable
    # Password-protected, encrypted, or expanding beyond the limits: refused before openpyxl reads a byte.
    check_zip_expansion(_bytes_io(data))
    try:
        return openpyxl.load_workbook(_bytes_io(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError,
            OSError, IndexError, AttributeError, SyntaxError) as exc:
        # openpyxl reports a damaged or foreign zip through many exception types; all mean "unreadable".
        raise unreadable from exc


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)


def read_workbook(upload) -> list[dict]:
    """Raw rows of an uploaded member workbook (see the module docstring for what it refuses).

    Each row is ``{"number": <row number in Excel>, <column key>: <text>, ...}``; dates are ISO text
    when Excel stored a date, otherwise the text as typed.
    """
    name = getattr(upload, "name", "") or ""
    if PurePath(name).suffix.lower() != ".xlsx":
        raise ValidationError(
            _("Hanya berkas Excel berekstensi .xlsx yang dapat diimpor. Gunakan templat yang disediakan."),
            code="extension",
        )
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ValidationError(_("Berkas yang diunggah kosong."), code="empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s MB). Batas ukuran berkas impor adalah %(limit)s MB.")
            % {"size": f"{size / 1024 / 1024:.1f}".replace(".", ","), "limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:  # the declared size lied
        raise ValidationError(_("Berkas terlalu besar. Batas ukuran berkas impor adalah 2 MB."), code="too_large")
    workbook = _open_workbook(data)
    try:
        return _rows_of(workbook)
    except (KeyError, ValueError, TypeError, IndexError, AttributeError, zipfile.BadZipFile, zlib.error,
            EOFError, OSError, SyntaxError) as exc:
        # Parts of the workbook are only parsed while the rows are read (read-only mode).
        raise ValidationError(_("Isi berkas Excel rusak atau tidak dapat dibaca."), code="unreadable") from exc
    finally:
        workbook.close()


def _rows_of(workbook) -> list[dict]:
    sheets = workbook.worksheets
    if not sheets:
        raise ValidationError(_("Buku kerja tidak memiliki lembar kerja."), code="no_sheet")
    sheet = next((s for s in sheets if normalise(s.title) == normalise(DATA_SHEET)), sheets[0])
    known = header_map()
    positions: dict[str, int] | None = None
    rows: list[dict] = []
    first_unknown: list[str] | None = None  # texts of the first non-empty row, when no header is found
    scanned = 0
    for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        scanned += 1
        if scanned > MAX_SCANNED_ROWS:
            raise ValidationError(
                _("Lembar kerja terlalu panjang. Hapus baris kosong di bawah data; paling banyak %(max)s baris "
                  "anggota per impor.") % {"max": MAX_ROWS},
                code="too_many_rows",
            )
        values = list(values or ())
        if positions is None:
            if row_number > HEADER_SEARCH_ROWS:
                break
            positions, unknown = _header_positions(values, known)
            if positions is None and unknown and first_unknown is None:
                first_unknown = unknown
            continue
        row = {"number": row_number}
        for key, index in positions.items():
            row[key] = _cell_text(values[index] if index < len(values) else None, key)
        if not any(row[key] for key in positions):
            continue  # an empty line between rows is not an error
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise ValidationError(
                _("Berkas berisi lebih dari %(max)s baris anggota. Bagi menjadi beberapa berkas.") % {"max": MAX_ROWS},
                code="too_many_rows",
            )
    if positions is None and first_unknown:
        raise _bad_header([str(c.header) for c in COLUMNS if c.required], first_unknown)
    if positions is None:
        raise ValidationError(
            _("Baris judul kolom tidak ditemukan. Baris pertama harus berisi judul kolom templat: %(columns)s.")
            % {"columns": ", ".join(str(c.header) for c in COLUMNS)},
            code="no_header",
        )
    if not rows:
        raise ValidationError(
            _("Berkas tidak berisi data anggota: isi minimal satu baris di bawah baris judul kolom."), code="no_rows"
        )
    for row in rows:
        for key in COLUMN_KEYS:
            row.setdefault(key, "")
    return rows


def _header_positions(values: list, known: dict[str, str]) -> tuple[dict[str, int] | None, list[str]]:
    """(column positions, unknown texts) when ``values`` is the header row: the first row naming at
    least one known column. (None, texts) for a row that names none (a title line, or blank).

    Raises ValidationError naming what is wrong when the row is a header but not ours."""
    texts = [normalise(v) if v is not None else "" for v in values]
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, text in enumerate(texts):
        if not text or text in IGNORED_HEADERS:
            continue
        key = known.get(text)
        if key is None:
            unknown.append(clean_text(values[index]))
            continue
        if key in positions:
            raise ValidationError(
                _("Kolom \"%(column)s\" muncul lebih dari sekali pada baris judul.") % {"column": _column_label(key)},
                code="bad_header",
            )
        positions[key] = index
    if not positions:
        return None, unknown
    missing = [str(c.header) for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        raise _bad_header(missing, unknown)
    return positions, unknown


def _bad_header(missing: list[str], unknown: list[str]) -> ValidationError:
    message = _("Judul kolom tidak sesuai templat. Kolom wajib yang tidak ditemukan: %(missing)s.") % {
        "missing": ", ".join(missing)
    }
    if unknown:
        message += " " + _("Kolom yang tidak dikenal: %(unknown)s.") % {"unknown": ", ".join(unknown[:8])}
    message += " " + _("Unduh templat dan salin data ke dalamnya.")
    return ValidationError(message, code="bad_header")


# --- 2. Validating the rows (no writes) ------------------------------------------------------------


@dataclass
class RowResult:
    number: int
    data: dict
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    institution: Institution | None = None
    role: str = ""
    start_date: datetime.date | None = None
    person: Person | None = None  # an existing person who will be reused

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def role_label(self) -> str:
        return Membership.Role(self.role).label if self.role else self.data.get("role", "")

    @property
    def status(self) -> str:
        if self.errors:
            return _("Bermasalah")
        return _("Siap (orang sudah terdaftar)") if self.person else _("Siap (orang baru)")


@dataclass
class Preview:
    team: Team
    rows: list[RowResult]
    errors: list[str] = field(default_factory=list)  # problems of the whole import, not of one row

    @property
    def valid(self) -> bool:
        return bool(self.rows) and not self.errors and all(r.ok for r in self.rows)

    @property
    def error_rows(self) -> int:
        return sum(1 for r in self.rows if not r.ok)

    @property
    def ok_rows(self) -> int:
        return len(self.rows) - self.error_rows

    @property
    def new_people(self) -> int:
        return sum(1 for r in self.rows if r.ok and r.person is None)

    @property
    def reused_people(self) -> int:
        return sum(1 for r in self.rows if r.ok and r.person is not None)


def default_start_date(team: Team) -> datetime.date:
    """Today, or the team's first day when its term has not begun (clamped to its last day)."""
    start = max(timezone.localdate(), team.period_start)
    if team.period_end and start > team.period_end:
        start = team.period_end
    return start


def parse_date(text: str) -> datetime.date | None:
    """ISO, DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY or "10 Januari 2025"; None when unreadable."""
    text = clean_text(text)
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    match = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", text)
    if match and match.group(2).casefold() in MONTHS:
        try:
            return datetime.date(int(match.group(3)), MONTHS[match.group(2).casefold()], int(match.group(1)))
        except ValueError:
            return None
    return None


class _Institutions:
    """Institution lookup by full name or short name (one query)."""

    def __init__(self):
        self.by_name: dict[str, Institution] = {}
        self.by_short: dict[str, list[Institution]] = {}
        for institution in Institution.objects.all():
            self.by_name[normalise(institution.name)] = institution
            if institution.short_name:
                self.by_short.setdefault(normalise(institution.short_name), []).append(institution)

    def find(self, text: str) -> tuple[Institution | None, str]:
        key = normalise(text)
        if key in self.by_name:
            return self.by_name[key], ""
        candidates = self.by_short.get(key, [])
        if len(candidates) == 1:
            return candidates[0], ""
        if len(candidates) > 1:
            return None, _("Singkatan instansi \"%(text)s\" dipakai oleh lebih dari satu instansi; tulis nama "
                           "lengkapnya.") % {"text": text}
        return None, _("Instansi \"%(text)s\" tidak ditemukan. Tulis nama atau singkatan instansi yang "
                       "terdaftar (lihat lembar Petunjuk pada templat).") % {"text": text}


def members_import_preview(*, team: Team, rows: list[dict], user=None) -> Preview:
    """Check every raw row; nothing is written. A constant number of queries whatever the row count.

    With ``user``, only people that login may see (``Person.objects.restrict``) are reused: a NIP of
    somebody outside its scope is a row error that names nobody, so an upload can neither reveal
    nor seat a person of another region."""
    preview = Preview(team=team, rows=[])
    if team.status != Team.Status.AKTIF:
        preview.errors.append(_("Tim yang sudah berakhir tidak dapat menerima anggota baru."))
    institutions = _Institutions()
    roles = role_lookup()
    valid_roles = ", ".join(role_labels())
    email_validator = EmailValidator()
    default_start = default_start_date(team)

    results = []
    for raw in rows:
        data = {key: clean_text(raw.get(key, "") or "") for key in COLUMN_KEYS}
        result = RowResult(number=int(raw.get("number", 0)), data=data)
        errors = result.errors
        if not data["name"]:
            errors.append(_("Nama wajib diisi."))
        for key, limit in MAX_LENGTHS.items():
            if len(data[key]) > limit:
                errors.append(_("%(column)s terlalu panjang (paling banyak %(max)s karakter).")
                              % {"column": _column_label(key), "max": limit})
        nip = re.sub(r"\s+", "", data["nip"])
        data["nip"] = nip
        if nip and not re.fullmatch(r"\d{18}", nip):
            if re.fullmatch(r"[\d.,]+[eE]\+?\d+", nip):
                errors.append(_("NIP terbaca sebagai angka oleh Excel sehingga digitnya hilang. Format kolom NIP "
                                "sebagai teks lalu ketik ulang NIP-nya."))
            else:
                errors.append(_("NIP \"%(nip)s\" tidak sah: NIP harus terdiri dari 18 angka.") % {"nip": nip})
        if not data["institution"]:
            errors.append(_("Instansi wajib diisi."))
        else:
            result.institution, problem = institutions.find(data["institution"])
            if problem:
                errors.append(problem)
        if not data["role"]:
            errors.append(_("Kedudukan dalam tim wajib diisi."))
        else:
            result.role = roles.get(normalise(data["role"]), "")
            if not result.role:
                errors.append(_("Kedudukan \"%(role)s\" tidak dikenal. Pilih salah satu: %(roles)s.")
                              % {"role": data["role"], "roles": valid_roles})
        if data["email"]:
            try:
                email_validator(data["email"])
            except ValidationError:
                errors.append(_("Email \"%(email)s\" tidak sah.") % {"email": data["email"]})
        if data["start_date"]:
            result.start_date = parse_date(data["start_date"])
            if result.start_date is None:
                errors.append(_("Tanggal mulai \"%(date)s\" tidak dapat dibaca; tulis sebagai DD/MM/YYYY.")
                              % {"date": data["start_date"]})
        else:
            result.start_date = default_start
        if result.start_date and result.start_date < team.period_start:
            errors.append(_("Tanggal mulai tidak boleh sebelum masa tugas tim dimulai (%(date)s).")
                          % {"date": _date_text(team.period_start)})
        elif result.start_date and team.period_end and result.start_date > team.period_end:
            errors.append(_("Tanggal mulai tidak boleh sesudah masa tugas tim berakhir (%(date)s).")
                          % {"date": _date_text(team.period_end)})
        results.append(result)

    _match_people(results, user=user)
    _check_against_team_and_file(team, results)
    preview.rows = results
    return preview


def _column_label(key: str) -> str:
    return str(next(c.header for c in COLUMNS if c.key == key))


def _date_text(value: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(value, "j F Y")


def _match_people(results: list[RowResult], *, user=None) -> None:
    """Reuse people already registered: by NIP, else by exact name (spacing/case ignored) and institution.

    With ``user`` only people visible to it are reused; a NIP held by anyone else is refused
    (the NIP is unique, so that row could not be saved as a new person either)."""
    pool = Person.objects.restrict(user, "view") if user is not None else Person.objects.all()
    nips = {r.data["nip"] for r in results if r.data["nip"]}
    by_nip = {}
    if nips:
        visible = Exists(pool.filter(pk=OuterRef("pk"))) if user is not None else Value(True)
        by_nip = {p.nip: p for p in Person.objects.filter(nip__in=nips).annotate(visible=visible)
                  .select_related("institution")}
    names = {r.data["name"].lower() for r in results if r.data["name"] and r.institution}
    institution_ids = {r.institution.pk for r in results if r.institution}
    by_name: dict[tuple[str, int], list[Person]] = {}
    if names:
        people = (
            pool.annotate(lower_name=Lower("name"))
            .filter(institution_id__in=institution_ids, lower_name__in=names)
            .select_related("institution")
        )
        for person in people:
            by_name.setdefault((normalise(person.name), person.institution_id), []).append(person)
    for result in results:
        nip = result.data["nip"]
        if nip and nip in by_nip and not by_nip[nip].visible:
            result.errors.append(_("NIP ini sudah terdaftar untuk orang di luar wilayah Anda. Minta Kesbangpol "
                                   "Provinsi menambahkannya ke tim."))
            continue
        if nip and nip in by_nip:
            result.person = by_nip[nip]
            if normalise(result.person.name) != normalise(result.data["name"]):
                result.notes.append(_("NIP cocok dengan orang yang sudah terdaftar: %(name)s.")
                                    % {"name": result.person.name})
            else:
                result.notes.append(_("Orang sudah terdaftar (NIP cocok); datanya tidak diubah."))
            continue
        if not result.institution or not result.data["name"]:
            continue
        candidates = by_name.get((normalise(result.data["name"]), result.institution.pk), [])
        if nip:
            # A different NIP means a different person who happens to share the name.
            candidates = [p for p in candidates if not p.nip]
        if len(candidates) == 1:
            result.person = candidates[0]
            result.notes.append(_("Orang sudah terdaftar (nama dan instansi cocok); datanya tidak diubah."))
        elif len(candidates) > 1:
            result.errors.append(_("Ada %(count)s orang bernama sama di instansi ini; isi NIP untuk membedakan.")
                                 % {"count": len(candidates)})


def _check_against_team_and_file(team: Team, results: list[RowResult]) -> None:
    active = list(
        Membership.objects.filter(team=team, end_date__isnull=True).select_related("person")
    ) if team.pk else []
    active_person_role = {m.person_id: m for m in active}
    single_holders = {m.role: m for m in active if m.role in Membership.SINGLE_ROLES}
    seen_people: dict[object, int] = {}
    seen_single_roles: dict[str, int] = {}
    for result in results:
        if result.person is not None:
            identity: object = ("pk", result.person.pk)
        elif result.data["nip"]:
            identity = ("nip", result.data["nip"])
        elif result.data["name"] and result.institution:
            identity = ("name", normalise(result.data["name"]), result.institution.pk)
        else:
            identity = None
        if identity is not None:
            if identity in seen_people:
                result.errors.append(_("Orang yang sama sudah tercantum di baris %(row)s berkas ini.")
                                     % {"row": seen_people[identity]})
            else:
                seen_people[identity] = result.number
        if result.person is not None and result.person.pk in active_person_role:
            membership = active_person_role[result.person.pk]
            result.errors.append(_("Orang ini sudah menjadi anggota aktif tim ini sebagai %(role)s.")
                                 % {"role": membership.get_role_display()})
        if result.role in Membership.SINGLE_ROLES:
            label = Membership.Role(result.role).label
            holder = single_holders.get(result.role)
            if holder is not None and (result.person is None or holder.person_id != result.person.pk):
                result.errors.append(_("Tim ini sudah memiliki %(role)s aktif (%(name)s). Akhiri atau ganti dulu "
                                       "keanggotaannya.") % {"role": label, "name": holder.person.name})
            if result.role in seen_single_roles:
                result.errors.append(_("Kedudukan %(role)s hanya boleh satu orang, tetapi sudah diisi di baris "
                                       "%(row)s berkas ini.") % {"role": label, "row": seen_single_roles[result.role]})
            else:
                seen_single_roles[result.role] = result.number


# --- 3. Saving (the service) -----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    memberships: list[Membership]
    people_created: int
    people_reused: int


@transaction.atomic
def members_import(*, team: Team, rows: list[dict], user) -> ImportResult:
    """Seat every row's person on ``team`` in one transaction, or nobody.

    The rows are validated again here (data may have changed since the preview). People are reused
    when matched (by NIP, or exact name and institution) and never modified; others are created in the
    team's region with ``person_create``; every seat goes through ``membership_start``. Raises
    ``PermissionDenied`` when ``user`` may not manage the team and ``ValidationError`` (Indonesian,
    naming the row) when any row is invalid; then nothing is written.
    """
    if not (user.has_perm("teams.add_membership") and team_can_manage(user, team)):
        raise PermissionDenied
    # Serialises concurrent imports into one team (PostgreSQL); the checks below then see settled data.
    team = Team.objects.select_for_update(of=("self",)).select_related("region").order_by().get(pk=team.pk)
    preview = members_import_preview(team=team, rows=rows, user=user)
    if not preview.rows:
        raise ValidationError(_("Tidak ada baris anggota untuk disimpan."))
    if not preview.valid:
        problems = preview.errors + [
            _("Baris %(row)s: %(errors)s") % {"row": r.number, "errors": " ".join(r.errors)}
            for r in preview.rows if r.errors
        ]
        raise ValidationError(problems)
    memberships = []
    created = 0
    for row in preview.rows:
        try:
            person = row.person
            if person is None:
                person = person_create(
                    name=row.data["name"],
                    institution=row.institution,
                    region=team.region,
                    position=row.data["position"],
                    nip=row.data["nip"],
                    phone=row.data["phone"],
                    email=row.data["email"],
                )
                created += 1
            memberships.append(
                membership_start(
                    team=team,
                    person=person,
                    role=row.role,
                    start_date=row.start_date,
                    decree_number=row.data["decree_number"],
                )
            )
        except ValidationError as exc:
            raise ValidationError(
                _("Baris %(row)s: %(errors)s") % {"row": row.number, "errors": " ".join(exc.messages)}
            ) from exc
    return ImportResult(memberships=memberships, people_created=created, people_reused=len(memberships) - created)


# --- The upload form and the session store ---------------------------------------------------------


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas Excel (.xlsx)"),
        help_text=gettext_lazy("Paling besar 2 MB dan 500 baris anggota."),
        error_messages={
            "required": gettext_lazy("Pilih berkas Excel (.xlsx) yang akan diimpor."),
            "empty": gettext_lazy("Berkas yang diunggah kosong."),
            "invalid": gettext_lazy("Berkas tidak terkirim dengan benar; coba unggah kembali."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows: list[dict] = []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.rows = read_workbook(upload)
        return upload


def _session_key(team: Team, token: str) -> str:
    return f"{SESSION_PREFIX}.{team.pk}.{token}"


def preview_store(session, *, team: Team, rows: list[dict], filename: str) -> str:
    """Keep raw rows for the confirmation step; replaces any earlier pending import of this team."""
    prefix = f"{SESSION_PREFIX}.{team.pk}."
    for key in [k for k in list(session.keys()) if k.startswith(prefix)]:
        del session[key]
    token = secrets.token_urlsafe(18)
    session[_session_key(team, token)] = {
        "rows": rows,
        "filename": PurePath(filename).name[:200],
        "uploaded": timezone.now().isoformat(),
    }
    return token


def preview_load(session, *, team: Team, token: str) -> dict | None:
    if not TOKEN_RE.match(token or ""):
        return None
    stored = session.get(_session_key(team, token))
    if not isinstance(stored, dict) or not isinstance(stored.get("rows"), list):
        return None
    return stored


def preview_discard(session, *, team: Team, token: str) -> None:
    session.pop(_session_key(team, token), None)
