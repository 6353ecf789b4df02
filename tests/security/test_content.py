"""Hostile text and files: every text field shows escaped on pages, in emails and in PDFs; exports
neutralise formulas; uploads of the wrong type, too large or with folder names are refused."""

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from teams import services
from teams.models import Evidence
from tests.factories import InstitutionFactory, PersonFactory, make_member, make_team, region
from tests.teams.test_plans import PDF, make_plan

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("x")</script>'
FORMULA = "=cmd|' /C calc'!A0"
D = Decimal


@pytest.fixture(autouse=True)
def _no_axes(settings):
    settings.AXES_ENABLED = False


@pytest.fixture
def hostile(db):
    """A Bangka team, institution, person, plan and activity whose every text carries a payload."""
    institution = InstitutionFactory(name=f"Instansi {SCRIPT}", short_name=FORMULA, email="instansi@example.go.id")
    team = make_team("19.01", name=f"Tim {SCRIPT}", decree_number=f"{FORMULA}/{SCRIPT}")
    person = PersonFactory(name=f"{FORMULA} {SCRIPT}", position=SCRIPT, institution=institution,
                           region=region("19.01"), email="orang@example.go.id")
    make_member(team, person=person)
    plan = make_plan(team=team, year=2026, institution=institution)
    activity = services.activity_create(
        plan=plan, phase="pencegahan", name=f"{FORMULA} {SCRIPT}", indicator=SCRIPT, unit="kali",
        responsible_institution=institution, budget=D("1000"), budget_source=SCRIPT,
        targets={"B04": D(1), "B08": D(1), "B12": D(1)},
    )
    services.realisation_record(activity_period=activity.periods.get(period="B08"), realisation=D(1),
                                narrative=SCRIPT, user=None)
    return {"team": team, "person": person, "plan": plan, "activity": activity, "institution": institution}


def test_pages_escape_every_text(client, staf_provinsi, hostile):
    client.force_login(staf_provinsi)
    pages = [
        "/", reverse("teams:team_list"), hostile["team"].get_absolute_url(), reverse("teams:person_list"),
        hostile["person"].get_absolute_url(), reverse("teams:membership_list"), reverse("teams:plan_list"),
        hostile["plan"].get_absolute_url(),
        reverse("teams:realisation_update", args=[hostile["activity"].pk, "B08"]),
        reverse("teams:activity_update", args=[hostile["activity"].pk]),
        reverse("teams:team_update", args=[hostile["team"].pk]),
        reverse("teams:person_update", args=[hostile["person"].pk]),
    ]
    for url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert SCRIPT not in html, f"{url} shows the payload unescaped"
        assert "&lt;script&gt;" in html, f"{url} does not show the payload at all (test is blind)"


def test_admin_escapes_every_text(client, admin_user, hostile):
    client.force_login(admin_user)
    for url in ("/admin/teams/team/", f"/admin/teams/team/{hostile['team'].pk}/change/", "/admin/teams/person/",
                "/admin/teams/activity/"):
        html = client.get(url).content.decode()
        assert SCRIPT not in html, url


def test_reminder_email_html_is_escaped(hostile):
    from teams.services.reminders import plan_reminders_send

    plan_reminders_send(today=datetime.date(2026, 4, 26))  # H-14 of the B04 deadline (10 May 2026)
    assert mail.outbox, "no reminder was sent: the test would be blind"
    for message in mail.outbox:
        html = next(body for body, mime in message.alternatives if mime == "text/html")
        assert SCRIPT not in html and "&lt;script&gt;" in html
        # (the subject is a plain-text header, never rendered as HTML)


def test_pdf_shows_the_payload_as_text(client, staf_provinsi, hostile):
    client.force_login(staf_provinsi)
    response = client.get(reverse("teams:team_members_pdf", args=[hostile["team"].pk]))
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    # rendered as literal text, i.e. escaped in the HTML given to WeasyPrint (a real tag would vanish)
    assert "<script>" in text.replace(" ", "").replace("\n", "")


def _xlsx_cells(body: bytes):
    wb = load_workbook(io.BytesIO(body))
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_exports_neutralise_formulas(client, staf_provinsi, hostile):
    client.force_login(staf_provinsi)
    xlsx = client.get(reverse("teams:membership_export", args=["xlsx"]))
    plan_xlsx = client.get(reverse("teams:plan_export", args=[hostile["plan"].pk]))
    csv_response = client.get(reverse("teams:membership_export", args=["csv"]))
    cells = _xlsx_cells(xlsx.content) + _xlsx_cells(plan_xlsx.content)
    assert any("cmd|" in c for c in cells), "the payload is not exported at all (test is blind)"
    # xlsx: every text is a text cell (type "s"), never a formula ("f"), whatever it starts with
    for wb_body in (xlsx.content, plan_xlsx.content):
        wb = load_workbook(io.BytesIO(wb_body))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (ws.title, c.coordinate, c.value)
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    values = [v for row in rows for v in row]
    assert any("cmd|" in v for v in values)
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values), values


# --- uploads (the evidence of a realisation) ----------------------------------------------------


def _upload(client, activity, file, period="B04"):
    url = reverse("teams:realisation_update", args=[activity.pk, period])
    return client.post(url, {"realisation": "1", "narrative": "", "evidence": file})


def test_upload_of_the_wrong_type_is_refused(client, staf_provinsi, hostile):
    client.force_login(staf_provinsi)
    for name, body in (("skrip.html", b"<html><script>alert(1)</script></html>"),
                       ("program.exe", b"MZ\x90\x00" + b"\x00" * 100),
                       ("palsu.pdf", b"<html>not a pdf</html>"),
                       ("bukti.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')):
        response = _upload(client, hostile["activity"], SimpleUploadedFile(name, body))
        assert response.status_code == 200, name
        assert "tidak diizinkan" in response.content.decode() or "tidak sesuai" in response.content.decode(), name
    assert not Evidence.objects.exists()


def test_oversized_upload_is_refused(client, staf_provinsi, hostile):
    client.force_login(staf_provinsi)
    big = SimpleUploadedFile("besar.pdf", PDF + b"0" * (10 * 1024 * 1024 + 1))
    response = _upload(client, hostile["activity"], big)
    assert response.status_code in (200, 400)
    assert "terlalu besar" in response.content.decode()
    assert not Evidence.objects.exists()


def test_traversal_names_never_leave_private_media(client, staf_provinsi, hostile, settings):
    client.force_login(staf_provinsi)
    for name in ("../../../../tmp/kesbang-jebakan.pdf", "..\\..\\kesbang-jebakan.pdf", "/etc/passwd.pdf"):
        _upload(client, hostile["activity"], SimpleUploadedFile(name, PDF))
    media = Path(settings.MEDIA_ROOT).resolve()
    assert not Path("/tmp/kesbang-jebakan.pdf").exists()
    for evidence in Evidence.objects.all():
        stored = Path(evidence.file.path).resolve()
        assert media in stored.parents and ".." not in evidence.file.name
        assert "/" not in evidence.original_name and "\\" not in evidence.original_name
    # Django's upload parser keeps only the base name; the service also refuses a name with folders
    # from any other caller (a File object built in code, an import)
    period = hostile["activity"].periods.get(period="B12")
    for name in ("../../x.pdf", "a/b.pdf", "..\\x.pdf", ".."):
        with pytest.raises(ValidationError, match="folder"):
            services.evidence_add(activity_period=period, uploaded_file=ContentFile(PDF, name=name), user=None)
