"""Person register pages: permissions, search, duplicate warning, bad input, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teams import services
from teams.models import Person
from tests.factories import InstitutionFactory, PersonFactory, make_member, make_team, region
from tests.permissions import ROLES, client_for

pytestmark = pytest.mark.django_db

D = datetime.date
USERS = ROLES


@pytest.fixture
def polda():
    return InstitutionFactory(name="Kepolisian Daerah Kepulauan Bangka Belitung", short_name="Polda Babel")


@pytest.fixture
def person(polda):
    """A person working in Bangka (19.01)."""
    return PersonFactory(name="AKBP Rudi Hartono, S.I.K.", institution=polda, region=region("19.01"),
                         nip="197501012000031001", position="Kapolres Bangka")


READ = {"no_role_user": 403, "admin_user": 200, "staf_provinsi": 200, "pimpinan": 200, "anggota_tim": 200,
        "staf_bangka": 200, "staf_belitung": 200}
CREATE = {**READ, "pimpinan": 403, "anggota_tim": 403}
MATRIX = {
    "person_list": READ,
    "person_detail": {**READ, "anggota_tim": 404, "staf_belitung": 404},
    "person_create": CREATE,
    "person_update": {**CREATE, "staf_belitung": 404},
}


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("who", USERS)
def test_permission_matrix(request, client, person, name, who):
    url = reverse(f"teams:{name}", args=[person.pk] if name in ("person_detail", "person_update") else [])
    response = client_for(request, client, who).get(url)
    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        return
    assert response.status_code == MATRIX[name][who], (name, who, response.status_code)


def test_staf_may_see_but_not_edit_a_member_of_their_team_from_elsewhere(client, staf_bangka, polda):
    """A Belitung person on the Bangka team is visible to Staf Bangka, but their record is Belitung's."""
    outsider = PersonFactory(region=region("19.02"), institution=polda)
    make_member(make_team("19.01"), "anggota", person=outsider)
    client.force_login(staf_bangka)
    response = client.get(outsider.get_absolute_url())
    assert response.status_code == 200
    assert reverse("teams:person_update", args=[outsider.pk]) not in response.content.decode()
    assert client.get(reverse("teams:person_update", args=[outsider.pk])).status_code == 403
    assert client.post(reverse("teams:person_update", args=[outsider.pk]), {"name": "X"}).status_code == 403


@pytest.mark.parametrize("pk", [987654])
def test_missing_person_is_404(client, staf_provinsi, pk):
    client.force_login(staf_provinsi)
    assert client.get(reverse("teams:person_detail", args=[pk])).status_code == 404
    assert client.get(reverse("teams:person_update", args=[pk])).status_code == 404


# --- List and search --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "rudi"}, {"AKBP Rudi Hartono, S.I.K."}),
        ({"q": "polda babel"}, {"AKBP Rudi Hartono, S.I.K."}),
        ({"q": "19750101"}, {"AKBP Rudi Hartono, S.I.K."}),
        ({"q": "kesbangpol"}, {"Drs. Sutarman"}),
        ({"q": "tidak ada siapa pun"}, set()),
    ],
)
def test_search_by_name_institution_and_nip(client, staf_provinsi, person, query, expected):
    kesbangpol = InstitutionFactory(name="Badan Kesbangpol Provinsi", short_name="Kesbangpol")
    PersonFactory(name="Drs. Sutarman", institution=kesbangpol, region=region("19.02"))
    client.force_login(staf_provinsi)
    response = client.get(reverse("teams:person_list"), query)
    names = {row.name for row in response.context["table"].rows} - {"staf.prov"}
    names = {n for n in names if n in {"AKBP Rudi Hartono, S.I.K.", "Drs. Sutarman"}}
    assert names == expected


def test_filter_by_institution_and_region(client, staf_provinsi, person, polda):
    other = PersonFactory(name="Iptu Sarah", institution=polda, region=region("19.02"))
    client.force_login(staf_provinsi)
    rows = client.get(reverse("teams:person_list"), {"institution": polda.pk}).context["table"].rows
    assert set(rows) == {person, other}
    rows = client.get(reverse("teams:person_list"), {"institution": polda.pk, "region": region("19.02").pk}).context[
        "table"].rows
    assert set(rows) == {other}


def test_staf_bangka_lists_only_their_region(client, staf_bangka, person):
    elsewhere = PersonFactory(region=region("19.02"))
    client.force_login(staf_bangka)
    html = client.get(reverse("teams:person_list")).content.decode()
    assert person.name in html and elsewhere.name not in html


@pytest.mark.parametrize(
    "query",
    [{"institution": "abc"}, {"institution": "999999"}, {"region": "x"}, {"page": "0"}, {"page": "zz"},
     {"sort": "hacker"}, {"per_page": "100000"}, {"q": "a" * 500}, {"q": "%_'\""}],
)
def test_bad_filter_values_are_not_a_server_error(client, staf_provinsi, person, query):
    client.force_login(staf_provinsi)
    assert client.get(reverse("teams:person_list"), query).status_code == 200


def test_list_is_sortable_and_paginated(client, staf_provinsi, polda):
    for i in range(30):
        PersonFactory(name=f"Orang {i:02d}", institution=polda)
    client.force_login(staf_provinsi)
    response = client.get(reverse("teams:person_list"), {"sort": "-name", "institution": polda.pk})
    table = response.context["table"]
    assert table.paginator.num_pages == 2 and table.page.object_list[0].name == "Orang 29"
    assert "Menampilkan 1–25 dari 30" in response.content.decode()


# --- Detail -----------------------------------------------------------------------------------------


def test_detail_lists_active_and_past_memberships(client, staf_provinsi, person):
    team = make_team("19.01", name="Tim Bangka")
    old = make_team("19.02", name="Tim Belitung", start=D(2023, 1, 1))
    ended = make_member(old, "ketua", person=person, start=D(2023, 2, 1))
    services.membership_end(membership=ended, end_date=D(2024, 1, 31), reason="Mutasi ke Bangka")
    make_member(team, "wakil_ketua", person=person)
    client.force_login(staf_provinsi)
    response = client.get(person.get_absolute_url())
    assert [m.team.name for m in response.context["active_memberships"]] == ["Tim Bangka"]
    assert [m.team.name for m in response.context["past_memberships"]] == ["Tim Belitung"]
    html = response.content.decode()
    assert "Mutasi ke Bangka" in html and "Wakil Ketua" in html and person.nip in html


# --- Create, duplicates, update ---------------------------------------------------------------------


def person_post(polda, **overrides):
    data = {"name": "Iptu Sarah Amalia", "nip": "", "position": "Kasat Intelkam", "institution": polda.pk,
            "region": region("19.01").pk, "phone": "0812-1111-2222", "email": "sarah@polri.go.id"}
    return {**data, **overrides}


def test_create_person(client, staf_bangka, polda):
    client.force_login(staf_bangka)
    response = client.post(reverse("teams:person_create"), person_post(polda))
    person = Person.objects.get(name="Iptu Sarah Amalia")
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert person.region.code == "19.01"


def test_region_choices_are_limited_to_the_scope(client, staf_bangka, polda):
    client.force_login(staf_bangka)
    response = client.post(reverse("teams:person_create"), person_post(polda, region=region("19.02").pk))
    assert response.status_code == 200 and "region" in response.context["form"].errors
    assert not Person.objects.filter(name="Iptu Sarah Amalia").exists()


@pytest.mark.parametrize("nip", ["12345", "1975010120000310011", "19750101200003100A", "NIP 197501012000"])
def test_invalid_nip_is_refused_in_indonesian(client, staf_bangka, polda, nip):
    client.force_login(staf_bangka)
    response = client.post(reverse("teams:person_create"), person_post(polda, nip=nip))
    assert response.status_code == 200
    assert response.context["form"].errors["nip"] == ["NIP harus terdiri dari 18 angka tanpa spasi."]
    assert not Person.objects.filter(name="Iptu Sarah Amalia").exists()


def test_nip_written_with_spaces_is_normalised(client, staf_bangka, polda):
    client.force_login(staf_bangka)
    response = client.post(reverse("teams:person_create"), person_post(polda, nip="19750101 200003 1 002"))
    assert response.status_code == 302
    assert Person.objects.get(name="Iptu Sarah Amalia").nip == "197501012000031002"


def test_duplicate_nip_is_refused_on_the_form(client, staf_bangka, polda, person):
    client.force_login(staf_bangka)
    response = client.post(reverse("teams:person_create"), person_post(polda, nip=person.nip))
    assert response.status_code == 200 and "NIP ini sudah terdaftar" in response.content.decode()


def test_duplicate_name_needs_confirmation(client, staf_bangka, polda, person):
    client.force_login(staf_bangka)
    url = reverse("teams:person_create")
    data = person_post(polda, name="akbp  rudi hartono, s.i.k.")
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mungkin sudah terdaftar" in html and person.get_absolute_url() in html and "Tetap simpan" in html
    assert 'type="checkbox" name="confirm_duplicate"' in html
    assert Person.objects.filter(institution=polda).count() == 1
    response = client.post(url, {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(institution=polda).count() == 2


def test_same_name_in_another_institution_is_no_duplicate(client, staf_bangka, polda, person):
    client.force_login(staf_bangka)
    other = InstitutionFactory(name="Kodim 0413/Bangka")
    response = client.post(reverse("teams:person_create"), person_post(other, name=person.name))
    assert response.status_code == 302


def test_update_person(client, staf_bangka, person, polda):
    client.force_login(staf_bangka)
    url = reverse("teams:person_update", args=[person.pk])
    assert client.get(url).context["form"].initial["nip"] == person.nip
    response = client.post(url, person_post(polda, name=person.name, nip=person.nip, position="Dirintelkam"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.position == "Dirintelkam"
    bad = client.post(url, person_post(polda, name=person.name, nip="123"))
    assert bad.status_code == 200 and "nip" in bad.context["form"].errors
    person.refresh_from_db()
    assert person.nip == "197501012000031001"


# --- Query counts -----------------------------------------------------------------------------------

PERSON_LIST_MAX = 10
PERSON_DETAIL_MAX = 8


def queries_for(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, data).status_code == 200
    return len(ctx.captured_queries)


