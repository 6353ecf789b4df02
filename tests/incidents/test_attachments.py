"""Attachments: checked by content (an .exe named .pdf), size-limited, no path in the name, stored under a
random private name, served only to those who may see the incident (404 otherwise), deleted with it."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents.models import Attachment
from tests.factories import make_incident

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.fixture
def incident():
    return make_incident(region_code="19.01")


def upload(client, incident, name, content, description=""):
    return client.post(reverse("incidents:attachment_upload", args=[incident.pk]),
                       {"file": SimpleUploadedFile(name, content), "description": description})


def test_pdf_and_png_are_stored_privately_under_random_names(client, staf_bangka, incident, settings):
    client.force_login(staf_bangka)
    assert upload(client, incident, "berita-acara.pdf", PDF, "Berita acara").status_code == 302
    assert upload(client, incident, "foto lokasi.png", PNG).status_code == 302
    pdf, png = Attachment.objects.order_by("id")
    assert (pdf.kind, pdf.original_name, png.kind) == ("pdf", "berita-acara.pdf", "png")
    assert pdf.file.name.startswith("insiden/") and "berita" not in pdf.file.name and len(pdf.file.name) > 30
    assert os.path.exists(os.path.join(settings.MEDIA_ROOT, pdf.file.name))
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
    response = client.get(pdf.get_absolute_url())
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"] and "berita-acara.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("laporan.pdf", EXE, "tidak diizinkan"),
        ("program.exe", EXE, "tidak diizinkan"),
        ("foto.pdf", PNG, "tidak sesuai dengan ekstensinya"),
        ("kosong.pdf", b"", "kosong"),
    ],
)
def test_bad_content_is_refused(client, staf_bangka, incident, name, content, message):
    client.force_login(staf_bangka)
    response = upload(client, incident, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_oversized_file_is_refused(client, staf_bangka, incident, settings):
    settings.KESBANG_UPLOAD_MAX_BYTES = 1024
    client.force_login(staf_bangka)
    response = upload(client, incident, "besar.pdf", PDF + b"0" * 2048)
    assert response.status_code == 200 and "terlalu besar" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_name_with_path_parts_never_reaches_the_disk(client, staf_bangka, incident, settings):
    """A multipart filename "../../etc/passwd.pdf": only the base name is kept (as a label); the file is
    stored under a random name inside the private media folder."""
    boundary = "BoUnDaRy"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../etc/passwd.pdf\"\r\n"
        f"Content-Type: application/pdf\r\n\r\n"
    ).encode() + PDF + f"\r\n--{boundary}--\r\n".encode()
    client.force_login(staf_bangka)
    response = client.post(reverse("incidents:attachment_upload", args=[incident.pk]), data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "passwd.pdf" and ".." not in attachment.file.name
    stored = os.path.realpath(os.path.join(settings.MEDIA_ROOT, attachment.file.name))
    assert stored.startswith(os.path.realpath(settings.MEDIA_ROOT) + os.sep)


def test_service_refuses_a_name_with_folders(staf_bangka, incident):
    from django.core.exceptions import ValidationError

    from incidents import services

    class Raw(io.BytesIO):
        name = "../etc/x.pdf"
        size = len(PDF)

    with pytest.raises(ValidationError) as info:
        services.attachment_add(incident=incident, user=staf_bangka, uploaded_file=Raw(PDF))
    assert "Nama berkas tidak sah" in " ".join(info.value.messages)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("staf_provinsi", 200), ("pimpinan", 200), ("staf_bangka", 200), ("staf_belitung", 404), ("anggota_tim", 404),
     ("no_role_user", 403)],
)
def test_download_permission_matrix(request, client, staf_bangka, incident, who, status):
    client.force_login(staf_bangka)
    upload(client, incident, "a.pdf", PDF)
    attachment = Attachment.objects.get()
    client.force_login(request.getfixturevalue(who))
    assert client.get(attachment.get_absolute_url()).status_code == status
    client.logout()
    assert client.get(attachment.get_absolute_url()).status_code == 302


def test_attachment_of_another_incident_is_404(client, staf_bangka, incident):
    other = make_incident(region_code="19.01")
    client.force_login(staf_bangka)
    upload(client, incident, "a.pdf", PDF)
    attachment = Attachment.objects.get()
    url = reverse("incidents:attachment_download", args=[other.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_upload_refused_to_pimpinan_and_outside_scope(client, pimpinan, staf_belitung, incident):
    client.force_login(pimpinan)
    assert upload(client, incident, "a.pdf", PDF).status_code == 403
    client.force_login(staf_belitung)
    assert upload(client, incident, "a.pdf", PDF).status_code == 404
    assert not Attachment.objects.exists()


def test_delete_removes_the_file_after_commit(
    client, staf_provinsi, incident, settings, django_capture_on_commit_callbacks
):
    client.force_login(staf_provinsi)
    upload(client, incident, "a.pdf", PDF)
    attachment = Attachment.objects.get()
    path = os.path.join(settings.MEDIA_ROOT, attachment.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("incidents:attachment_delete", args=[incident.pk, attachment.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.exists() and not os.path.exists(path)


def test_staf_kabkota_cannot_delete(client, staf_bangka, incident):
    client.force_login(staf_bangka)
    upload(client, incident, "a.pdf", PDF)
    attachment = Attachment.objects.get()
    assert client.post(reverse("incidents:attachment_delete", args=[incident.pk, attachment.pk])).status_code == 403
