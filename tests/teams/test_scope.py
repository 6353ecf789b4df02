"""Authorisation scope: holes found in review (team-only scope of Anggota Tim, member import matching people of
another region, the duplicate warning, import pages 403 before 404, formula injection in the plan export)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from teams.access import scope_of
from teams.models import Membership, Person
from tests.factories import InstitutionFactory, PersonFactory, make_member, make_team, make_user, region
from tests.teams.test_imports import row, upload, xlsx_bytes
from tests.teams.test_plans import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_axes(settings):
    settings.AXES_ENABLED = False


# --- Anggota Tim reads its own team only ----------------------------------------------------------


@pytest.fixture
def provincial_member(db):
    """An Anggota Tim login whose person works at the province (e.g. a Polda officer)."""
    return make_user("Anggota Tim", username="anggota.provinsi", region_code="19")


def test_anggota_tim_of_the_province_does_not_see_other_teams(client, provincial_member):
    own = make_team("19")
    make_member(own, person=provincial_member.person)
    other = make_team("19.02")
    stranger = PersonFactory(region=region("19.02"), name="Orang Belitung Lain")
    make_member(other, person=stranger)
    plan = make_plan(team=other, activities=1)
    client.force_login(provincial_member)

    assert scope_of(provincial_member).empty
    assert client.get(reverse("teams:team_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("teams:team_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("teams:person_detail", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("teams:plan_detail", args=[plan.pk])).status_code == 404
    listing = client.get(reverse("teams:team_list")).content.decode()
    assert own.name in listing and other.name not in listing
    export = client.get(reverse("teams:membership_export", args=["csv"]), {"status": "semua"})
    assert "Orang Belitung Lain" not in export.content.decode("utf-8-sig")


def test_anggota_tim_of_a_regency_sees_only_its_team_not_its_region(client):
    member = make_user("Anggota Tim", username="anggota.bangka", region_code="19.01")
    own = make_team("19.01")
    make_member(own, person=member.person)
    neighbour = PersonFactory(region=region("19.01"), name="Tetangga Tanpa Tim")
    client.force_login(member)
    assert client.get(reverse("teams:team_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("teams:person_detail", args=[neighbour.pk])).status_code == 404


def test_staff_roles_keep_their_region_scope(staf_bangka, staf_provinsi):
    assert scope_of(staf_bangka).regency_code == "19.01"
    assert scope_of(staf_provinsi).all_regions


# --- Member import: people of another region are neither revealed nor seated ----------------------


@pytest.fixture
def polda(db):
    return InstitutionFactory(name="Kepolisian Daerah Kepulauan Bangka Belitung", short_name="Polda Babel")


def _preview(client, team, rows):
    response = client.post(reverse("teams:team_members_import", args=[team.pk]), {"file": upload(xlsx_bytes(rows))})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"], client.get(response["Location"])


def test_import_does_not_reveal_or_seat_a_person_of_another_region_by_nip(client, staf_belitung, polda):
    secret = PersonFactory(name="AKBP Rahasia Bangka", region=region("19.01"), nip="198001012005011001",
                           institution=polda, phone="0812-9999-0000")
    team = make_team("19.02")
    client.force_login(staf_belitung)
    url, preview = _preview(client, team, [row(name="Tebakan Nama", nip="198001012005011001")])
    html = preview.content.decode()
    assert "AKBP Rahasia Bangka" not in html and "0812-9999-0000" not in html
    assert "NIP ini sudah terdaftar untuk orang di luar wilayah Anda" in html
    response = client.post(url)
    assert response.status_code == 400
    assert not Membership.objects.filter(person=secret).exists()


def test_import_does_not_reuse_a_same_name_person_of_another_region(client, staf_belitung, polda):
    other = PersonFactory(name="Bripka Sama Nama", region=region("19.01"), institution=polda)
    team = make_team("19.02")
    client.force_login(staf_belitung)
    url, preview = _preview(client, team, [row(name="Bripka Sama Nama")])
    assert "Siap · baru" in preview.content.decode()
    assert client.post(url).status_code == 302
    seated = Membership.objects.get(team=team)
    assert seated.person != other and seated.person.region.code == "19.02"


def test_import_still_reuses_a_person_the_login_may_see(client, staf_bangka, polda):
    known = PersonFactory(name="Kompol Terdaftar", region=region("19.01"), nip="198502022010011002",
                          institution=polda)
    team = make_team("19.01")
    client.force_login(staf_bangka)
    url, preview = _preview(client, team, [row(name="Kompol Terdaftar", nip="198502022010011002")])
    assert "Siap · terdaftar" in preview.content.decode()
    assert client.post(url).status_code == 302
    assert Membership.objects.get(team=team).person == known
    assert Person.objects.filter(nip="198502022010011002").count() == 1


def test_import_pages_refuse_a_login_without_role_with_403(client, no_role_user):
    team = make_team("19.01")
    client.force_login(no_role_user)
    assert client.get(reverse("teams:team_members_import", args=[team.pk])).status_code == 403
    preview = reverse("teams:team_members_import_preview", args=[team.pk, "A" * 24])
    assert client.get(preview).status_code == 403


# --- Duplicate warning shows only people the login may see ---------------------------------------


def test_duplicate_warning_hides_people_of_another_region(client, staf_belitung, polda):
    PersonFactory(name="Iptu Kembar", region=region("19.01"), institution=polda, nip="197001012000031001",
                  position="Kasat Intelkam Bangka")
    client.force_login(staf_belitung)
    data = {"name": "Iptu Kembar", "institution": polda.pk, "region": region("19.02").pk, "nip": "", "position": "",
            "phone": "", "email": ""}
    response = client.post(reverse("teams:person_create"), data)
    html = response.content.decode()
    assert "197001012000031001" not in html and "Kasat Intelkam Bangka" not in html
    assert response.status_code == 302
    assert Person.objects.filter(name="Iptu Kembar", region__code="19.02").exists()


def test_duplicate_warning_still_shown_for_visible_people(client, staf_bangka, polda):
    PersonFactory(name="Iptu Kembar", region=region("19.01"), institution=polda)
    client.force_login(staf_bangka)
    data = {"name": "Iptu Kembar", "institution": polda.pk, "region": region("19.01").pk, "nip": "", "position": "",
            "phone": "", "email": ""}
    response = client.post(reverse("teams:person_create"), data)
    assert response.status_code == 200 and 'id="duplicate-warning"' in response.content.decode()
    assert Person.objects.filter(name="Iptu Kembar").count() == 1


# --- Plan export: user text is never a formula -----------------------------------------------------


def test_plan_export_writes_formula_like_text_as_text(client, admin_user):
    team = make_team("19.01", name='=HYPERLINK("http://contoh.invalid","klik")')
    plan = make_plan(team=team, activities=1)
    activity = plan.activities.get()
    activity.name = "=cmd|' /C calc'!A0"
    activity.indicator = "@SUM(1+1)"
    activity.save()
    client.force_login(admin_user)
    response = client.get(reverse("teams:plan_export", args=[plan.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    formulas = [c.coordinate for r in sheet.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []
    texts = {c.value for r in sheet.iter_rows() for c in r if isinstance(c.value, str)}
    assert "=cmd|' /C calc'!A0" in texts
