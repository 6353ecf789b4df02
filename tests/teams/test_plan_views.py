"""Rencana Aksi pages: permission matrix, bad input, query counts, evidence download and the export."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from teams import services
from teams.models import ActionPlan, Activity, Evidence
from tests.factories import PASSWORD, InstitutionFactory, make_member, make_team
from tests.permissions import READ, ROLES, WRITE, client_for
from tests.teams.test_plans import PDF, PNG, make_plan

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_axes(settings):
    settings.AXES_ENABLED = False


@pytest.fixture
def world(db, anggota_tim):
    """A Bangka plan with one activity and one evidence file; the Anggota Tim login sits on the team."""
    team = make_team("19.01")
    make_member(team, person=anggota_tim.person)
    plan = make_plan(team=team, activities=1)
    activity = plan.activities.get()
    ap = activity.periods.get(period="B04")
    evidence = services.evidence_add(activity_period=ap, uploaded_file=SimpleUploadedFile("bukti.pdf", PDF), user=None)
    return {"team": team, "plan": plan, "activity": activity, "evidence": evidence}


USERS = ROLES


def url_for(name, w):
    return {
        "plan_detail": reverse("teams:plan_detail", args=[w["plan"].pk]),
        "plan_export": reverse("teams:plan_export", args=[w["plan"].pk]),
        "evidence_download": reverse("teams:evidence_download", args=[w["evidence"].pk]),
        "plan_create": reverse("teams:plan_create", args=[w["team"].pk]),
        "plan_update": reverse("teams:plan_update", args=[w["plan"].pk]),
        "activity_create": reverse("teams:activity_create", args=[w["plan"].pk]),
        "activity_update": reverse("teams:activity_update", args=[w["activity"].pk]),
        "realisation_update": reverse("teams:realisation_update", args=[w["activity"].pk, "B08"]),
        "activity_delete": reverse("teams:activity_delete", args=[w["activity"].pk]),
        "evidence_delete": reverse("teams:evidence_delete", args=[w["evidence"].pk]),
    }[name]


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("page", ["plan_detail", "plan_export", "evidence_download"])
def test_read_pages_permission_matrix(request, client, world, user, page):
    response = client_for(request, client, user).get(url_for(page, world))
    assert response.status_code == READ[user], (page, user)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("page", ["plan_create", "plan_update", "activity_create", "activity_update",
                                  "realisation_update"])
def test_form_pages_permission_matrix(request, client, world, user, page):
    response = client_for(request, client, user).get(url_for(page, world))
    assert response.status_code == WRITE[user], (page, user)


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("page", ["plan_update", "activity_update", "realisation_update"])
def test_form_posts_permission_matrix(request, client, world, user, page):
    """A forbidden POST changes nothing (the same answer as GET)."""
    before = Activity.objects.get().name
    response = client_for(request, client, user).post(url_for(page, world), {"name": "Diubah", "year": 2026})
    assert response.status_code in ((200, 302) if WRITE[user] == 200 else (WRITE[user],)), (page, user)
    if WRITE[user] != 200:
        assert Activity.objects.get().name == before


@pytest.mark.parametrize("user, expected", [
    ("anonymous", 302), ("no_role_user", 403), ("pimpinan", 403), ("anggota_tim", 403),
    # Staf Kabupaten/Kota may add and change, not delete: the missing permission is a 403 before any
    # lookup, in its own region and in another (core ScopedObjectMixin)
    ("staf_belitung", 403), ("staf_bangka", 403),
    ("staf_provinsi", 302), ("admin_user", 302),
])
@pytest.mark.parametrize("page", ["activity_delete", "evidence_delete"])
def test_delete_permission_matrix(request, client, world, user, expected, page):
    response = client_for(request, client, user).post(url_for(page, world))
    assert response.status_code == expected
    model = Activity if page == "activity_delete" else Evidence
    assert model.objects.exists() == (expected != 302 or user == "anonymous")


def test_delete_needs_post(client, world, staf_provinsi):
    client.force_login(staf_provinsi)
    assert client.get(url_for("activity_delete", world)).status_code == 405
    assert Activity.objects.exists()


@pytest.mark.parametrize("user", USERS)
def test_plan_list_shows_only_visible_plans(request, client, world, user):
    make_plan("19.02")  # a Belitung plan
    response = client_for(request, client, user).get(reverse("teams:plan_list"))
    assert response.status_code == {"anonymous": 302, "no_role_user": 403}.get(user, 200)
    if response.status_code == 200:
        names = {p.team.region.code for p in response.context["plans"]}
        expected = {"admin_user": {"19.01", "19.02"}, "staf_provinsi": {"19.01", "19.02"},
                    "pimpinan": {"19.01", "19.02"}, "staf_bangka": {"19.01"}, "anggota_tim": {"19.01"},
                    "staf_belitung": {"19.02"}}[user]
        assert names == expected


def test_plan_list_year_filter(client, staf_provinsi):
    make_plan("19.01", year=2025)
    make_plan("19.02", year=2026)
    client.force_login(staf_provinsi)
    response = client.get(reverse("teams:plan_list"), {"tahun": "2025"})
    assert [p.year for p in response.context["plans"]] == [2025]
    assert client.get(reverse("teams:plan_list"), {"tahun": "abc"}).status_code == 200


# --- Query counts -----------------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# --- Writing through the pages ----------------------------------------------------------------------


def test_plan_create_and_duplicate_year_message(client, staf_bangka):
    team = make_team("19.01")
    client.force_login(staf_bangka)
    url = reverse("teams:plan_create", args=[team.pk])
    response = client.post(url, {"year": "2026", "legal_basis_number": "188/1/2026"})
    plan = ActionPlan.objects.get(team=team)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    response = client.post(url, {"year": "2026"})
    assert response.status_code == 200
    assert "sudah memiliki Rencana Aksi untuk tahun tersebut" in response.content.decode()
    for bad in ("dua ribu", "1999", "-5"):
        response = client.post(url, {"year": bad})
        assert response.status_code == 200 and response.context["form"].errors["year"]
    assert ActionPlan.objects.count() == 1


def test_activity_create_through_the_page_with_indonesian_numbers(client, staf_bangka):
    plan = make_plan("19.01")
    inst = InstitutionFactory()
    client.force_login(staf_bangka)
    response = client.post(reverse("teams:activity_create", args=[plan.pk]), {
        "phase": "pencegahan", "name": "Rapat koordinasi Tim Terpadu", "indicator": "Rakor", "unit": "kali",
        "responsible_institution": inst.pk, "budget": "1.250.000", "budget_source": "APBD",
        "target_B04": "2", "target_B08": "1,5", "target_B12": "0",
    })
    assert response.status_code == 302
    activity = plan.activities.get()
    assert activity.budget == D("1250000")
    assert dict(activity.periods.values_list("period", "target")) == {"B04": D(2), "B08": D("1.5"), "B12": D(0)}


@pytest.mark.parametrize("field, value, message", [
    ("target_B04", "-1", "tidak boleh negatif"),
    ("target_B08", "dua", "Masukkan angka"),
    ("budget", "-5", "tidak boleh negatif"),
    ("responsible_institution", "999999", "Pilih instansi"),
])
def test_activity_form_bad_input_is_a_clear_message(client, staf_bangka, field, value, message):
    plan = make_plan("19.01")
    client.force_login(staf_bangka)
    data = {"phase": "pencegahan", "name": "X", "unit": "kali", "responsible_institution": InstitutionFactory().pk,
            "target_B04": "1", "target_B08": "1", "target_B12": "1", field: value}
    response = client.post(reverse("teams:activity_create", args=[plan.pk]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not plan.activities.exists()


def test_realisation_with_evidence_updates_detail(client, world, staf_bangka):
    client.force_login(staf_bangka)
    activity = world["activity"]
    url = reverse("teams:realisation_update", args=[activity.pk, "B08"])
    response = client.post(url, {"realisation": "2", "narrative": "Sosialisasi di 2 desa",
                                 "evidence": SimpleUploadedFile("foto.png", PNG, "image/png")})
    assert response.status_code == 302
    ap = activity.periods.get(period="B08")
    assert ap.realisation == D(2) and ap.reported_by == staf_bangka and ap.evidence.count() == 1
    detail = client.get(reverse("teams:plan_detail", args=[world["plan"].pk]))
    row = detail.context["detail"].phases[0].rows[0]
    assert row.achievement == D(50)  # (0 + 2) / (1 + 2 + 1)
    assert row.evidence_count == 2


@pytest.mark.parametrize("data, message", [
    ({"realisation": "-3"}, "tidak boleh negatif"),
    ({"realisation": "banyak"}, "Masukkan angka"),
    ({"realisation": "1", "evidence": SimpleUploadedFile("x.pdf", b"MZ exe", "application/pdf")}, "tidak diizinkan"),
    ({"realisation": "1", "evidence": SimpleUploadedFile("foto.pdf", PNG, "application/pdf")}, "tidak sesuai"),
])
def test_realisation_bad_input_is_a_clear_message_and_changes_nothing(client, world, staf_bangka, data, message):
    client.force_login(staf_bangka)
    activity = world["activity"]
    response = client.post(reverse("teams:realisation_update", args=[activity.pk, "B08"]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    ap = activity.periods.get(period="B08")
    assert ap.realisation is None and not ap.evidence.exists()


def test_oversized_evidence_is_refused_with_a_message(client, world, staf_bangka):
    client.force_login(staf_bangka)
    big = SimpleUploadedFile("besar.pdf", PDF + b"0" * (10 * 1024 * 1024 + 1), "application/pdf")
    response = client.post(reverse("teams:realisation_update", args=[world["activity"].pk, "B04"]),
                           {"realisation": "1", "evidence": big})
    assert response.status_code == 200 and "maksimal 10 MB" in response.content.decode()


@pytest.mark.parametrize("code", ["B05", "b04", "X"])
def test_wrong_period_code_is_404(client, world, staf_bangka, code):
    client.force_login(staf_bangka)
    assert client.get(f"/tim/rencana-aksi/kegiatan/{world['activity'].pk}/realisasi/{code}/").status_code == 404


def test_evidence_download_is_an_attachment_with_the_original_name(client, world, pimpinan):
    client.force_login(pimpinan)
    response = client.get(url_for("evidence_download", world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and "bukti.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_plan_detail_page_shows_deadlines_and_table(client, world, staf_bangka):
    client.force_login(staf_bangka)
    html = client.get(url_for("plan_detail", world)).content.decode()
    for text in ("Rencana Aksi Terpadu 2026", "Batas waktu pelaporan", "terlambat", "Kegiatan 1", "Penanggung jawab",
                 "Capaian keseluruhan"):
        assert text in html
    assert reverse("teams:realisation_update", args=[world["activity"].pk, "B12"]) in html


def test_read_only_roles_do_not_see_write_buttons(client, world, pimpinan):
    client.force_login(pimpinan)
    html = client.get(url_for("plan_detail", world)).content.decode()
    assert reverse("teams:activity_create", args=[world["plan"].pk]) not in html
    assert reverse("teams:realisation_update", args=[world["activity"].pk, "B04"]) not in html


# --- Export -----------------------------------------------------------------------------------------


def test_export_xlsx_has_kemendagri_shape(client, staf_provinsi):
    team = make_team("19", name="Tim Terpadu PKS Provinsi Kepulauan Bangka Belitung")
    plan = make_plan(team=team)
    inst = InstitutionFactory(short_name="Kesbangpol Prov. Babel")
    a = services.activity_create(plan=plan, phase="pencegahan", name="Pemetaan potensi konflik sosial",
                                 indicator="Dokumen", unit="dokumen", responsible_institution=inst,
                                 budget=D("75000000"), targets={"B04": D(2), "B08": D(2)})
    services.activity_create(plan=plan, phase="pemulihan", name="Rekonsiliasi", unit="kegiatan",
                             responsible_institution=inst, targets={"B12": D(1)})
    services.realisation_record(activity_period=a.periods.get(period="B04"), realisation=D(1), narrative="",
                                user=None)
    client.force_login(staf_provinsi)
    response = client.get(reverse("teams:plan_export", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment;" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "RENCANA AKSI TERPADU PENANGANAN KONFLIK SOSIAL"
    assert ws["A2"].value == "TIM TERPADU PKS PROVINSI KEPULAUAN BANGKA BELITUNG"
    assert ws["A3"].value == "TAHUN 2026"
    header = [ws.cell(row=6, column=c).value for c in range(1, 8)]
    assert header == ["No", "Tahap", "Kegiatan", "Indikator", "Satuan", "Penanggung Jawab", "Anggaran (Rp)"]
    assert [ws.cell(row=6, column=c).value for c in (8, 11, 14, 17)] == ["B04", "B08", "B12", "Capaian Total (%)"]
    assert [ws.cell(row=7, column=c).value for c in range(8, 11)] == ["Target", "Realisasi", "%"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"H6:J6", "K6:M6", "N6:P6", "A1:Q1", "A6:A7", "A8:Q8"} <= merged
    assert ws["A6"].font.bold and ws["H7"].font.bold
    assert ws.freeze_panes == "D8"
    assert ws.column_dimensions["C"].width >= 40
    assert ws["A8"].value == "PENCEGAHAN"
    row9 = [ws.cell(row=9, column=c).value for c in range(1, 18)]
    assert row9[:7] == [1, "Pencegahan", "Pemetaan potensi konflik sosial", "Dokumen", "dokumen",
                        "Kesbangpol Prov. Babel", 75000000]
    assert row9[7:10] == [2, 1, 0.5]
    assert row9[10:13] == [2, None, 0]
    assert row9[13:16] == [0, None, None]
    assert row9[16] == 0.25
    assert ws.cell(row=9, column=10).number_format == "0.0%" and ws.cell(row=9, column=7).number_format == "#,##0"
    assert ws["A10"].value == "PEMULIHAN" and ws["C11"].value == "Rekonsiliasi" and ws["A11"].value == 2
    assert ws["A12"].value == "CAPAIAN KESELURUHAN" and ws["Q12"].value == 0.125


def test_login_required_and_other_region_export_is_404(client, world, staf_belitung):
    assert client.get(url_for("plan_export", world)).status_code == 302
    client.login(username="staf.belitung", password=PASSWORD)
    assert client.get(url_for("plan_export", world)).status_code == 404
