import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from kesbang.core.uploads import (
    ZIP_MAX_ENTRY_BYTES,
    ZIP_MAX_RATIO,
    ZIP_MAX_TOTAL_BYTES,
    check_zip_expansion,
    delete_files_on_commit,
    orphan_files,
    private_storage,
    private_upload_to,
    sniff,
    validate_upload,
)

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def _zip(member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<x/>")
        z.writestr(member, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("content, kind", [
    (PDF, "pdf"), (b"\xff\xd8\xff\xe0rest", "jpeg"), (PNG, "png"),
    (_zip("xl/workbook.xml"), "xlsx"), (_zip("word/document.xml"), "docx"),
    (b"MZ\x90\x00", None), (b"PK\x03\x04broken", None),
])
def test_sniff_by_content(content, kind):
    assert sniff(SimpleUploadedFile("x", content)) == kind


def test_validate_upload_refuses_in_indonesian(settings):
    assert validate_upload(SimpleUploadedFile("laporan.pdf", PDF)) == "pdf"
    with pytest.raises(ValidationError, match="kosong"):
        validate_upload(SimpleUploadedFile("a.pdf", b""))
    with pytest.raises(ValidationError, match="tidak diizinkan"):
        validate_upload(SimpleUploadedFile("a.exe", b"MZ\x90\x00"))
    with pytest.raises(ValidationError, match="tidak sesuai dengan ekstensinya"):
        validate_upload(SimpleUploadedFile("foto.png", PDF))
    with pytest.raises(ValidationError, match="tidak diizinkan"):
        validate_upload(SimpleUploadedFile("a.pdf", PDF), kinds={"png"})
    settings.KESBANG_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="terlalu besar"):
        validate_upload(SimpleUploadedFile("a.pdf", PDF))
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("a.pdf", PDF), field="evidence")
    assert "evidence" in caught.value.message_dict


def test_private_upload_to_generates_a_random_name():
    upload_to = private_upload_to("bukti")
    a = upload_to(None, "../../etc/Surat Saya.PDF")
    b = upload_to(None, "Surat Saya.PDF")
    assert a.startswith("bukti/") and a.endswith(".pdf") and ".." not in a and "Surat" not in a
    assert a != b
    assert len(a.rsplit("/", 1)[1]) >= 32


@pytest.mark.django_db(transaction=True)
def test_files_deleted_only_after_commit():
    from django.db import transaction

    name = private_storage.save("x/a.txt", io.BytesIO(b"1"))
    try:
        with transaction.atomic():
            delete_files_on_commit(name)
            raise RuntimeError
    except RuntimeError:
        pass
    assert private_storage.exists(name)
    with transaction.atomic():
        delete_files_on_commit(name)
        assert private_storage.exists(name)
    assert not private_storage.exists(name)


@pytest.mark.django_db
def test_orphan_files_command_lists_and_deletes(capsys):
    name = private_storage.save("lost/orphan.pdf", io.BytesIO(PDF))
    assert orphan_files() == [name]
    call_command("orphan_files")
    assert name in capsys.readouterr().out
    assert private_storage.exists(name)
    call_command("orphan_files", "--delete")
    assert not private_storage.exists(name)


def _zip_of(parts: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    buffer.seek(0)
    return buffer


def test_zip_expansion_limits_per_part_in_total_by_ratio_and_count():
    import os

    assert (ZIP_MAX_ENTRY_BYTES, ZIP_MAX_TOTAL_BYTES, ZIP_MAX_RATIO) == (20 * 1024**2, 50 * 1024**2, 100)
    random_part = os.urandom(300 * 1024)  # incompressible: ratio 1
    fine = _zip_of({"[Content_Types].xml": b"<x/>", "xl/a.bin": random_part, "xl/b.bin": random_part})
    check_zip_expansion(fine)
    assert fine.tell() == 0
    check_zip_expansion(fine, max_total_bytes=600 * 1024 + 4)
    with pytest.raises(ValidationError, match="total 0,6 MB, batas 0,5 MB") as caught:
        check_zip_expansion(fine, max_total_bytes=512 * 1024)
    assert caught.value.code == "expands_too_much"
    with pytest.raises(ValidationError, match="satu bagian 0,3 MB, batas 0,2 MB"):
        check_zip_expansion(fine, max_entry_bytes=200 * 1024)
    with pytest.raises(ValidationError, match="3 bagian, batas 2"):
        check_zip_expansion(fine, max_entries=2)
    # Small parts may compress as well as they like; from 100 KB on, at most 1:100.
    check_zip_expansion(_zip_of({"xl/small.xml": b"a" * 90 * 1024}))
    with pytest.raises(ValidationError, match=r"rasio pemadatan \d+:1, batas 100:1"):
        check_zip_expansion(_zip_of({"xl/big.xml": b"a" * 200 * 1024}))


def test_zip_expansion_refuses_what_is_not_a_zip():
    with pytest.raises(ValidationError) as caught:
        check_zip_expansion(io.BytesIO(b"PK\x03\x04broken"))
    assert caught.value.code == "unreadable"
    with pytest.raises(ValidationError) as caught:
        check_zip_expansion(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100))
    assert caught.value.code == "encrypted"


@pytest.mark.django_db
def test_stored_files_and_folders_get_explicit_private_modes(settings, tmp_path):
    """Attachments (small ones from memory, large ones moved from a temporary file) and generated
    report files: 0640 files in 0750 folders even under a permissive umask."""
    import os
    import stat

    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from tests.factories import AttachmentFactory

    assert (settings.FILE_UPLOAD_PERMISSIONS, settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS) == (0o640, 0o750)
    previous = os.umask(0)
    try:
        small = AttachmentFactory()
        large_upload = TemporaryUploadedFile("besar.pdf", "application/pdf", 0, None)
        large_upload.write(PDF + b"\n" * 100_000)
        large_upload.size = large_upload.tell()
        large_upload.seek(0)
        large = AttachmentFactory(uploaded_file=large_upload)
        report_name = private_storage.save("reports/2026/laporan.pdf", ContentFile(PDF))
    finally:
        os.umask(previous)
    # The storage moved the temporary file away: closed here (Django's close allows for that), not
    # later by the garbage collector, whose unlink of the missing file was a warning in another test.
    large_upload.close()

    def mode(path):
        return stat.S_IMODE(os.stat(path).st_mode)

    for name in (small.file.name, large.file.name, report_name):
        path = private_storage.path(name)
        assert mode(path) == 0o640, (name, oct(mode(path)))
        assert mode(os.path.dirname(path)) == 0o750, (name, oct(mode(os.path.dirname(path))))
