"""Uploads: content sniffing, size limit, safe generated names, private storage, and files removed
after commit when their row is deleted (also from the admin and by cascades); a rollback keeps them.

    class Evidence(PrivateFile):             # kesbang.core.models: file, name, kind, size, uploader
        upload_folder = "evidence"
    cleanup_files_for(Evidence, "file")      # in AppConfig.ready()
    kind = validate_upload(uploaded)         # ValidationError in Indonesian; every upload path
    evidence.take_upload(uploaded, user=user, field="evidence")   # calls it (forms: UploadField)

``manage.py orphan_files [--delete]`` lists (and removes) files no FileField row points to.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import threading
import zipfile
from contextlib import ContextDecorator
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models.signals import post_delete
from django.http import FileResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

ALLOWED_KINDS = {"pdf", "jpeg", "png", "docx", "xlsx"}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Files one form may send at once (the incident form's attachments); with the size limit and Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE for the other fields this bounds a request: ``max_request_bytes``, which
# deploy/nginx-kesbang.conf's client_max_body_size must equal (a test compares them).
MAX_FILES_PER_REQUEST = 10

# kind -> (content type, extensions accepted in an uploaded name, extension stored)
KINDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "pdf": ("application/pdf", (".pdf",), ".pdf"),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg"), ".jpg"),
    "png": ("image/png", (".png",), ".png"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), ".xlsx"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), ".docx"),
}
KIND_LABELS = {"pdf": "PDF", "jpeg": "JPG", "png": "PNG", "xlsx": "XLSX", "docx": "DOCX"}


class PrivateStorage(FileSystemStorage):
    """Files under ``settings.MEDIA_ROOT`` (followed when a test changes it); no URL serves them:
    downloads go through permission-checked views (``private_file_response``)."""


private_storage = PrivateStorage()


def get_private_storage():
    """For ``FileField(storage=get_private_storage)`` (a callable keeps migrations stable)."""
    return private_storage


def max_upload_bytes() -> int:
    return int(getattr(settings, "KESBANG_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_request_bytes() -> int:
    """The largest request body the app accepts: every file of one form at the size limit plus the
    form's other fields."""
    return MAX_FILES_PER_REQUEST * max_upload_bytes() + int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def _read_head(uploaded_file, n: int) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(n)
    uploaded_file.seek(0)
    return head


def sniff(uploaded_file) -> str | None:
    """The kind of a file by its content (magic bytes; for Office files the zip's parts), or None."""
    head = _read_head(uploaded_file, 8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            uploaded_file.seek(0)
            with zipfile.ZipFile(uploaded_file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            uploaded_file.seek(0)
        if "[Content_Types].xml" not in names:
            return None
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
    return None


# --- Office files are zips: what they expand to ---------------------------------------------------
# A parser (openpyxl) reads some parts whole (shared strings, styles): a 2 MB .xlsx whose
# sharedStrings.xml inflates to 200 MB would take a worker's memory. ``check_zip_expansion`` compares
# the sizes the zip declares with these limits BEFORE any parser opens it. Declared sizes cannot lie
# to us: Python's zipfile stops every entry at its declared size and checks its CRC, so a part that
# inflates further is "corrupt", never larger. A genuine member workbook (500 rows) expands to well
# under 1 MB; Apache POI's zip-bomb guard uses the same 1:100 ratio.
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_ENTRY_BYTES = 20 * 1024 * 1024
ZIP_MAX_TOTAL_BYTES = 50 * 1024 * 1024
ZIP_MAX_RATIO = 100
# Tiny parts compress very well and are harmless: the ratio is checked above this size only.
ZIP_RATIO_GRACE_BYTES = 100 * 1024
# An Office file protected with a password is not a zip but an OLE2 compound file with this signature
# (so is an old .xls).
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_zip_expansion(fileobj, *, max_entries: int = ZIP_MAX_ENTRIES, max_entry_bytes: int = ZIP_MAX_ENTRY_BYTES,
                        max_total_bytes: int = ZIP_MAX_TOTAL_BYTES, max_ratio: int = ZIP_MAX_RATIO) -> None:
    """Refuse (ValidationError in Indonesian) an Office file that is not a readable zip, is protected
    with a password or encrypted, or would expand beyond the limits (per part, in total, by ratio).
    Reads only the zip's directory, never the compressed data. Leaves ``fileobj`` at position 0."""
    try:
        fileobj.seek(0)
        head = fileobj.read(8)
        fileobj.seek(0)
        if head == OLE2_SIGNATURE:
            raise ValidationError(
                _("Berkas dilindungi kata sandi atau berformat Excel lama (.xls). Buka di Excel, hapus kata "
                  "sandinya, simpan sebagai \"Excel Workbook (*.xlsx)\" lalu unggah kembali."),
                code="encrypted",
            )
        try:
            with zipfile.ZipFile(fileobj) as archive:
                entries = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
            raise ValidationError(
                _("Berkas rusak atau bukan berkas Office (.xlsx/.docx) yang sah. Simpan ulang dari aplikasinya "
                  "lalu unggah kembali."),
                code="unreadable",
            ) from None
    finally:
        fileobj.seek(0)

    def too_big(detail: str):
        return ValidationError(
            _("Berkas ditolak: isinya mengembang terlalu besar saat dibuka (%(detail)s). Berkas Excel yang "
              "wajar tidak seperti ini; simpan ulang dari Excel atau bagi menjadi beberapa berkas.")
            % {"detail": detail},
            code="expands_too_much",
        )

    if len(entries) > max_entries:
        raise too_big(_("%(count)s bagian, batas %(max)s") % {"count": len(entries), "max": max_entries})
    total = 0
    for info in entries:
        if info.flag_bits & 0x1:
            raise ValidationError(
                _("Berkas terenkripsi atau dilindungi kata sandi. Simpan tanpa kata sandi lalu unggah kembali."),
                code="encrypted",
            )
        size = info.file_size
        total += size
        if size > max_entry_bytes:
            raise too_big(_("satu bagian %(size)s MB, batas %(max)s MB") % {
                "size": _mb(size), "max": _mb(max_entry_bytes)})
        if size > ZIP_RATIO_GRACE_BYTES and size > max_ratio * max(info.compress_size, 1):
            raise too_big(_("rasio pemadatan %(ratio)s:1, batas %(max)s:1") % {
                "ratio": size // max(info.compress_size, 1), "max": max_ratio})
    if total > max_total_bytes:
        raise too_big(_("total %(size)s MB, batas %(max)s MB") % {"size": _mb(total), "max": _mb(max_total_bytes)})


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",").replace(",0", "")


def content_type_of(kind: str) -> str:
    return KINDS[kind][0]


def stored_name_for(kind: str) -> str:
    """A neutral name with the kind's extension, to hand to ``private_upload_to``."""
    return "berkas" + KINDS[kind][2]


def validate_upload(uploaded_file, *, kinds=ALLOWED_KINDS, max_bytes: int | None = None,
                    field: str | None = None) -> str:
    """The file's kind, or a ValidationError in Indonesian: empty, over the size limit
    (``settings.KESBANG_UPLOAD_MAX_BYTES``, default 10 MB), a name with path parts, content not of an
    allowed kind, or content that does not match the name's extension. ``field``: put the error on
    that form field."""

    def fail(message):
        raise ValidationError({field: message} if field else message)

    raw_name = uploaded_file.name or ""
    original = PurePath(raw_name.replace("\\", "/")).name
    if not original or original in (".", "..") or "/" in raw_name or "\\" in raw_name or "\x00" in raw_name:
        fail(_("Nama berkas tidak sah: gunakan nama berkas tanpa folder."))
    limit = max_bytes or max_upload_bytes()
    size = uploaded_file.size or 0
    if size == 0:
        fail(_("Berkas %(name)s kosong.") % {"name": original})
    if size > limit:
        fail(_("Berkas %(name)s terlalu besar (%(size).1f MB); maksimal %(max)s MB.") % {
            "name": original, "size": size / 1024 / 1024, "max": f"{limit / 1024 / 1024:g}"})
    kind = sniff(uploaded_file)
    if kind is None or kind not in kinds:
        labels = [KIND_LABELS[k] for k in ("pdf", "jpeg", "png", "xlsx", "docx") if k in kinds]
        allowed = labels[0] if len(labels) == 1 else _("%(list)s atau %(last)s") % {
            "list": ", ".join(labels[:-1]), "last": labels[-1]}
        fail(_("Jenis berkas %(name)s tidak diizinkan. Unggah %(kinds)s.") % {"name": original, "kinds": allowed})
    if PurePath(original).suffix.lower() not in KINDS[kind][1]:
        fail(_("Isi berkas %(name)s tidak sesuai dengan ekstensinya (isinya %(kind)s).") % {
            "name": original, "kind": KIND_LABELS[kind]})
    return kind


def safe_display_name(name: str, *, kind: str | None = None, limit: int = 255) -> str:
    """The uploaded name without folders (shown and offered on download, never used on disk)."""
    base = PurePath((name or "berkas").replace("\\", "/")).name or "berkas"
    return base[:limit]


def private_upload_to(prefix: str):
    """``upload_to`` callable: ``<prefix>/<YYYY>/<token_urlsafe(24)>.<ext>`` (the extension of the
    name given, lower case; the name itself is never used)."""
    return _PrivateUploadTo(prefix.strip("/"))


class _PrivateUploadTo:
    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        ext = PurePath(filename or "").suffix.lower()
        if not ext[1:].isalnum() or len(ext) > 6:
            ext = ""
        return f"{self.prefix}/{datetime.date.today():%Y}/{secrets.token_urlsafe(24)}{ext}"

    def deconstruct(self):
        return ("kesbang.core.uploads.private_upload_to_path", [self.prefix], {})


def private_upload_to_path(prefix: str):  # what migrations reference
    return _PrivateUploadTo(prefix)


def private_file_upload_to(instance, filename: str) -> str:
    """``upload_to`` of ``kesbang.core.models.PrivateFile``: the model's ``upload_folder``, then as
    ``private_upload_to`` (year, random name, the extension of the name given)."""
    return _PrivateUploadTo(type(instance).upload_folder.strip("/"))(instance, filename)


def _delete_now(storage, names) -> None:
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except OSError:
            logger.warning("file %s could not be deleted", name)


def delete_files_on_commit(*names, storage=None) -> None:
    """Delete files once the surrounding transaction commits (never on rollback)."""
    storage = storage or private_storage
    wanted = [n for n in names if n]
    if wanted:
        transaction.on_commit(lambda: _delete_now(storage, wanted))


_tracking = threading.local()


class atomic_with_files(ContextDecorator):  # noqa: N801 - used like transaction.atomic
    """``transaction.atomic`` (``with atomic_with_files():`` or ``@atomic_with_files()``) that also
    removes the files stored inside it (``track_file``) when it
    rolls back. Nested blocks hand their files to the enclosing one on success, so a rollback of
    the outer block removes them too. (A plain ``transaction.atomic`` around it that rolls back
    later leaves the files for ``manage.py orphan_files``.)"""

    def _recreate_cm(self):  # a fresh instance per decorated call (re-entrant, thread-safe)
        return type(self)()

    def __enter__(self):
        stack = getattr(_tracking, "stack", None)
        if stack is None:
            stack = _tracking.stack = []
        stack.append([])
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        files = _tracking.stack.pop()
        try:
            self._atomic.__exit__(exc_type, exc, tb)
        except BaseException:
            _delete_now_files(files)
            raise
        if exc_type is not None:
            _delete_now_files(files)
        elif _tracking.stack:
            _tracking.stack[-1].extend(files)
        return False


def _delete_now_files(files) -> None:
    for storage, name in files:
        _delete_now(storage, [name])


def track_file(fieldfile) -> None:
    """Remember a file just stored, so the enclosing ``atomic_with_files`` removes it on rollback."""
    stack = getattr(_tracking, "stack", None)
    if stack and fieldfile and fieldfile.name:
        stack[-1].append((fieldfile.storage, fieldfile.name))


def cleanup_files_for(model, *field_names) -> None:
    """Remove a row's files after commit whenever the row is deleted: services, the admin, cascades
    and queryset deletes (each sends post_delete). Call once, from ``AppConfig.ready()``."""

    def remove_files(sender, instance, using=None, **kwargs):
        for name in field_names:
            fieldfile = getattr(instance, name, None)
            if fieldfile:
                storage = fieldfile.storage
                file_name = fieldfile.name
                transaction.on_commit(lambda s=storage, n=file_name: _delete_now(s, [n]), using=using)

    post_delete.connect(remove_files, sender=model, weak=False, dispatch_uid=f"core-cleanup-{model._meta.label}")


def private_file_response(fieldfile, *, download_name: str, as_attachment: bool = True,
                          content_type: str | None = None) -> FileResponse:
    """Serve a private file to a login the view has already authorised; 404 if it is gone."""
    from django.http import Http404

    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("Berkas tidak ditemukan.")) from None
    response = FileResponse(handle, as_attachment=as_attachment, filename=download_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def referenced_files() -> set[str]:
    """Every file name a FileField row of any installed model points to."""
    from django.apps import apps
    from django.db.models import FileField

    names: set[str] = set()
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, FileField):
                names.update(n for n in model._base_manager.exclude(**{f.name: ""}).values_list(f.name, flat=True) if n)
    return names


def orphan_files(root=None) -> list[str]:
    """Files under MEDIA_ROOT that no row points to (relative names, sorted)."""
    from pathlib import Path

    base = Path(root or settings.MEDIA_ROOT)
    if not base.exists():
        return []
    known = referenced_files()
    found = []
    for path in base.rglob("*"):
        if path.is_file():
            name = path.relative_to(base).as_posix()
            if name not in known:
                found.append(name)
    return sorted(found)
