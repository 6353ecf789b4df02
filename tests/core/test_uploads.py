import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from kesbang.core.uploads import (
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
