"""Team register pages and membership actions: permissions, flows, bad input, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teams import services
from teams.models import Membership, Team
from tests.factories import PersonFactory, make_member, make_team, region
from tests.permissions import ROLES, client_for

pytestmark = pytest.mark.django_db

D = datetime.date
USERS = ROLES


@pytest.fixture
def bangka():
    """The Bangka team (19.01) with a Ketua and an Anggota."""
    team = make_team("19.01", decree_signed_by="Bupati Bangka")
    make_member(team, "ketua")
    make_member(team, "anggota")
    return team


def page_url(name: str, team: Team) -> str:
    if name in ("team_list", "team_create"):
        return reverse(f"teams:{name}")
    if name in ("membership_end", "membership_replace"):
        return reverse(f"teams:{name}", args=[team.memberships.get(role="anggota").pk])
    return reverse(f"teams:{name}", args=[team.pk])


# Expected status per page and login. Bangka team: Staf Belitung and Anggota Tim (Pangkalpinang)
# are outside its region (404 where the object is fetched); read-only roles are 403 on forms.
READ = {"no_role_user": 403, "admin_user": 200, "staf_provinsi": 200, "pimpinan": 200, "anggota_tim": 200,
        "staf_bangka": 200, "staf_belitung": 200}
DETAIL = {**READ, "anggota_tim": 404, "staf_belitung": 404}
CREATE = {"no_role_user": 403, "admin_user": 200, "staf_provinsi": 200, "pimpinan": 403, "anggota_tim": 403,
          "staf_bangka": 200, "staf_belitung": 200}
TEAM_WRITE = {**CREATE, "staf_belitung": 404}
MATRIX = {
    "team_list": READ,
    "team_detail": DETAIL,
    "team_create": CREATE,
    "team_update": TEAM_WRITE,
    "team_end": TEAM_WRITE,
    "membership_add": TEAM_WRITE,
    "membership_end": TEAM_WRITE,
    "membership_replace": TEAM_WRITE,
}


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("who", USERS)
def test_permission_matrix(request, client, bangka, name, who):
    response = client_for(request, client, who).get(page_url(name, bangka))
    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        return
    assert response.status_code == MATRIX[name][who], (name, who, response.status_code)


@pytest.mark.parametrize("name", ["team_update", "team_end", "membership_add", "membership_end", "membership_replace"])
@pytest.mark.parametrize("who", ["pimpinan", "anggota_tim", "staf_belitung", "no_role_user"])
def test_forbidden_posts_change_nothing(request, client, bangka, name, who):
    before = list(Membership.objects.values_list("pk", "end_date"))
    response = client_for(request, client, who).post(page_url(name, bangka), {"end_date": "2025-06-01"})
    assert response.status_code in (403, 404)
    assert list(Membership.objects.values_list("pk", "end_date")) == before
    assert Team.objects.get(pk=bangka.pk).is_active


def test_team_member_reads_their_own_team_in_another_region(client, anggota_tim, bangka):
    """Anggota Tim (Pangkalpinang) seated on the Bangka team sees it, read only."""
    make_member(bangka, "anggota", person=anggota_tim.person)
    client.force_login(anggota_tim)
    response = client.get(reverse("teams:team_detail", args=[bangka.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("teams:team_update", args=[bangka.pk]) not in html
    assert reverse("teams:membership_add", args=[bangka.pk]) not in html
    assert client.get(reverse("teams:team_update", args=[bangka.pk])).status_code == 403


def test_staf_bangka_sees_only_their_region_in_the_list(client, staf_bangka, bangka):
    make_team("19.02", name="Tim Belitung")
    client.force_login(staf_bangka)
    html = client.get(reverse("teams:team_list")).content.decode()
    assert bangka.name in html and "Tim Belitung" not in html


def test_buttons_follow_the_rights(client, staf_provinsi, pimpinan, bangka):
    client.force_login(pimpinan)
    html = client.get(bangka.get_absolute_url()).content.decode()
    for name in ("team_update", "team_end", "membership_add"):
        assert reverse(f"teams:{name}", args=[bangka.pk]) not in html
    client.force_login(staf_provinsi)
    html = client.get(bangka.get_absolute_url()).content.decode()
    for name in ("team_update", "team_end", "membership_add"):
        assert reverse(f"teams:{name}", args=[bangka.pk]) in html


# --- Team list --------------------------------------------------------------------------------------


def test_team_list_shows_decree_period_status_and_active_members(client, staf_provinsi, bangka):
    ended = make_member(bangka, "anggota")
    services.membership_end(membership=ended, end_date=D(2025, 3, 1))
    client.force_login(staf_provinsi)
    response = client.get(reverse("teams:team_list"))
    html = response.content.decode()
    assert bangka.name in html and bangka.decree_number in html and "Aktif" in html
    row = response.context["table"].rows[0]
    assert row.active_members == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"level": "kabupaten"}, {"Tim Bangka", "Tim Belitung lama"}),
        ({"level": "kota"}, {"Tim Pangkalpinang"}),
        ({"region": "19.01"}, {"Tim Bangka"}),
        ({"status": "berakhir"}, {"Tim Belitung lama"}),
        ({"status": "aktif"}, {"Tim Bangka", "Tim Pangkalpinang"}),
        ({"year": "2023"}, {"Tim Belitung lama"}),
        ({"year": "2024"}, {"Tim Belitung lama", "Tim Pangkalpinang"}),
        ({"year": "2025"}, {"Tim Bangka", "Tim Pangkalpinang"}),
        ({"year": "2030"}, {"Tim Bangka", "Tim Pangkalpinang"}),
    ],
)
def test_team_list_filters(client, staf_provinsi, query, expected):
    make_team("19.01", name="Tim Bangka", start=D(2025, 1, 1))
    old = make_team("19.02", name="Tim Belitung lama", start=D(2023, 1, 1))
    services.team_end(team=old, end_date=D(2024, 12, 31))
    make_team("19.71", name="Tim Pangkalpinang", start=D(2024, 6, 1))
    client.force_login(staf_provinsi)
    if "region" in query:
        query = {"region": region(query["region"]).pk}
    response = client.get(reverse("teams:team_list"), query)
    assert response.status_code == 200
    assert {row.name for row in response.context["table"].rows} == expected


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"}, {"year": "99999999999999"}, {"year": "-5"}, {"year": "2025.5"}, {"region": "x"},
        {"region": "999999"}, {"level": "desa"}, {"status": "hilang"}, {"page": "abc"}, {"page": "999"},
        {"sort": "tidak_ada"}, {"sort": "-active_members"}, {"per_page": "-1"},
    ],
)
def test_team_list_bad_filter_values_are_not_a_server_error(client, staf_provinsi, bangka, query):
    client.force_login(staf_provinsi)
    assert client.get(reverse("teams:team_list"), query).status_code == 200


def test_region_filter_offers_only_the_login_scope(client, staf_bangka):
    client.force_login(staf_bangka)
    response = client.get(reverse("teams:team_list"))
    assert [r.code for r in response.context["filter"].form.fields["region"].queryset] == ["19.01"]
    # Another region's id is not a valid choice: an empty list with the error, not other data.
    make_team("19.02", name="Tim Belitung")
    response = client.get(reverse("teams:team_list"), {"region": region("19.02").pk})
    assert response.status_code == 200 and "Tim Belitung" not in response.content.decode()


def test_team_list_sorts_by_active_members(client, staf_provinsi):
    small, big = make_team("19.01", name="Tim Kecil"), make_team("19.02", name="Tim Besar")
    make_member(small, "anggota")
    for _ in range(3):
        make_member(big, "anggota")
    client.force_login(staf_provinsi)
    rows = client.get(reverse("teams:team_list"), {"sort": "-active_members"}).context["table"].rows
    assert [r.name for r in rows] == ["Tim Besar", "Tim Kecil"]


# --- Team create / update / end ---------------------------------------------------------------------


def team_post(**overrides):
    data = {
        "region": region("19.01").pk, "name": "Tim Terpadu PKS Kabupaten Bangka", "decree_number": "188.45/12/2025",
        "decree_date": "2025-01-10", "decree_signed_by": "Bupati Bangka", "period_start": "2025-01-01",
        "period_end": "", "notes": "",
    }
    return {**data, **overrides}


def test_staf_bangka_registers_their_team(client, staf_bangka):
    client.force_login(staf_bangka)
    response = client.post(reverse("teams:team_create"), team_post())
    team = Team.objects.get()
    assert response.status_code == 302 and response["Location"] == team.get_absolute_url()
    assert team.level == "kabupaten" and team.region.code == "19.01"
    assert "telah didaftarkan" in client.get(response["Location"]).content.decode()


def test_team_form_offers_only_regions_in_scope(client, staf_bangka, staf_provinsi):
    client.force_login(staf_bangka)
    form = client.get(reverse("teams:team_create")).context["form"]
    assert [r.code for r in form.fields["region"].queryset] == ["19.01"]
    response = client.post(reverse("teams:team_create"), team_post(region=region("19.02").pk))
    assert response.status_code == 200 and not Team.objects.exists()
    assert "region" in response.context["form"].errors
    client.force_login(staf_provinsi)
    codes = [r.code for r in client.get(reverse("teams:team_create")).context["form"].fields["region"].queryset]
    assert codes[0] == "19" and "19.71" in codes and all(len(c) <= 5 for c in codes)


def test_overlapping_team_is_refused_on_the_form(client, staf_provinsi, bangka):
    client.force_login(staf_provinsi)
    response = client.post(reverse("teams:team_create"), team_post(name="Tim kembar"))
    assert response.status_code == 200
    assert "bertumpang tindih" in response.content.decode()
    assert Team.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"period_start": "2025-06-01", "period_end": "2025-01-01"}, "period_end"),
        ({"decree_date": "bukan-tanggal"}, "decree_date"),
        ({"name": ""}, "name"),
        ({"region": "abc"}, "region"),
    ],
)
def test_team_form_bad_input(client, staf_provinsi, overrides, field):
    client.force_login(staf_provinsi)
    response = client.post(reverse("teams:team_create"), team_post(**overrides))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Team.objects.exists()


def test_team_update_is_recorded_in_the_change_history(client, staf_bangka, bangka):
    client.force_login(staf_bangka)
    url = reverse("teams:team_update", args=[bangka.pk])
    assert client.get(url).context["form"].initial["decree_number"] == bangka.decree_number
    response = client.post(url, team_post(name=bangka.name, decree_number="188.45/99/2025"))
    assert response.status_code == 302
    bangka.refresh_from_db()
    assert bangka.decree_number == "188.45/99/2025"
    history_url = reverse("teams:team_history", args=[bangka.pk])
    assert history_url in client.get(bangka.get_absolute_url()).content.decode()  # the team page links it
    html = client.get(history_url).content.decode()
    assert "Riwayat perubahan" in html and "Data tim diubah" in html
    assert "188.45/99/2025" in html and f"<del>{bangka.decree_number}</del>" not in html
    log = client.get(history_url).context["change_log"]
    change = next(e for e in log if e.kind == "team" and e.type == "~")
    assert ("nomor SK", "188.44/19.01/2025", "188.45/99/2025") in [tuple(c) for c in change.changes]
    assert change.who == staf_bangka.get_full_name()


def test_team_end_through_the_form(client, staf_provinsi, bangka):
    client.force_login(staf_provinsi)
    url = reverse("teams:team_end", args=[bangka.pk])
    assert "2 keanggotaan aktif" in client.get(url).content.decode()
    response = client.post(url, {"end_date": "2025-12-31", "reason": "SK baru terbit"})
    assert response.status_code == 302
    bangka.refresh_from_db()
    assert bangka.status == "berakhir" and not bangka.memberships.filter(end_date__isnull=True).exists()
    html = client.get(bangka.get_absolute_url()).content.decode()
    assert "SK baru terbit" in html and reverse("teams:membership_add", args=[bangka.pk]) not in html
    # Ended: the end page and the add-member page send back to the team.
    assert client.get(url).status_code == 302
    assert client.get(reverse("teams:membership_add", args=[bangka.pk])).status_code == 302


def test_team_end_before_its_start_is_refused(client, staf_provinsi, bangka):
    client.force_login(staf_provinsi)
    response = client.post(reverse("teams:team_end", args=[bangka.pk]), {"end_date": "2024-01-01"})
    assert response.status_code == 200 and "end_date" in response.context["form"].errors
    bangka.refresh_from_db()
    assert bangka.is_active


# --- Memberships ------------------------------------------------------------------------------------


def test_add_member_through_the_form(client, staf_bangka, bangka):
    person = PersonFactory(region=bangka.region, name="AKBP Rudi Hartono, S.I.K.")
    client.force_login(staf_bangka)
    url = reverse("teams:membership_add", args=[bangka.pk])
    form = client.get(url).context["form"]
    assert person in form.fields["person"].queryset
    assert not set(bangka.memberships.values_list("person", flat=True)) & {p.pk for p in form.fields["person"].queryset}
    response = client.post(url, {"person": person.pk, "role": "wakil_ketua", "start_date": "2025-03-01",
                                 "decree_number": "188.45/13/2025"})
    assert response.status_code == 302
    assert bangka.memberships.get(person=person).role == "wakil_ketua"
    html = client.get(response["Location"]).content.decode()
    assert "AKBP Rudi Hartono, S.I.K." in html and "ditambahkan sebagai Wakil Ketua" in html


def test_person_choices_are_grouped_by_institution_and_limited_to_the_scope(client, staf_bangka, bangka):
    mine = PersonFactory(region=bangka.region)
    elsewhere = PersonFactory(region=region("19.02"))
    client.force_login(staf_bangka)
    response = client.get(reverse("teams:membership_add", args=[bangka.pk]))
    html = response.content.decode()
    assert f'<optgroup label="{mine.institution}">' in html
    assert elsewhere.name not in html
    response = client.post(reverse("teams:membership_add", args=[bangka.pk]),
                           {"person": elsewhere.pk, "role": "anggota", "start_date": "2025-03-01"})
    assert response.status_code == 200 and "person" in response.context["form"].errors


@pytest.mark.parametrize(("role", "message"), [("ketua", "Tim ini sudah memiliki Ketua aktif."),
                                               ("sekretaris", "Tim ini sudah memiliki Sekretaris aktif.")])
def test_second_ketua_or_sekretaris_shows_the_message_on_the_form(client, staf_bangka, bangka, role, message):
    if role == "sekretaris":
        make_member(bangka, "sekretaris")
    person = PersonFactory(region=bangka.region)
    client.force_login(staf_bangka)
    response = client.post(reverse("teams:membership_add", args=[bangka.pk]),
                           {"person": person.pk, "role": role, "start_date": "2025-03-01"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not bangka.memberships.filter(person=person).exists()


def test_member_start_before_the_team_is_refused_on_the_field(client, staf_bangka, bangka):
    person = PersonFactory(region=bangka.region)
    client.force_login(staf_bangka)
    response = client.post(reverse("teams:membership_add", args=[bangka.pk]),
                           {"person": person.pk, "role": "anggota", "start_date": "2024-03-01"})
    assert "start_date" in response.context["form"].errors


def test_end_membership_through_the_form(client, staf_bangka, bangka):
    m = bangka.memberships.get(role="anggota")
    client.force_login(staf_bangka)
    url = reverse("teams:membership_end", args=[m.pk])
    bad = client.post(url, {"end_date": "2025-01-15", "reason": "x"})  # before its start (1 Feb)
    assert bad.status_code == 200 and "Tanggal berakhir tidak boleh sebelum tanggal mulai." in bad.content.decode()
    response = client.post(url, {"end_date": "2025-05-31", "reason": "Pensiun"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.end_date == D(2025, 5, 31) and m.end_reason == "Pensiun"
    html = client.get(bangka.get_absolute_url()).content.decode()
    assert "Pensiun" in html
    assert client.get(url).status_code == 302  # already ended: back to the team


def test_replace_membership_through_the_form(client, staf_bangka, bangka):
    old = bangka.memberships.get(role="ketua")
    newcomer = PersonFactory(region=bangka.region, name="Kombes Pol. Dedi Santoso")
    client.force_login(staf_bangka)
    url = reverse("teams:membership_replace", args=[old.pk])
    assert old.person not in client.get(url).context["form"].fields["person"].queryset
    response = client.post(url, {"person": newcomer.pk, "start_date": "2025-08-01", "decree_number": "SK-99",
                                 "reason": "Mutasi jabatan"})
    assert response.status_code == 302
    old.refresh_from_db()
    new = bangka.memberships.get(person=newcomer)
    assert old.end_date == D(2025, 8, 1) and new.role == "ketua" and new.replaces == old
    response = client.get(bangka.get_absolute_url())
    ended = response.context["ended_memberships"]
    assert ended[0] == old and ended[0].replacement == new
    assert "Mutasi jabatan" in response.content.decode()


def test_failed_replacement_changes_nothing_and_explains(client, staf_bangka, bangka):
    old = bangka.memberships.get(role="ketua")
    client.force_login(staf_bangka)
    response = client.post(reverse("teams:membership_replace", args=[old.pk]),
                           {"person": PersonFactory(region=bangka.region).pk, "start_date": "2024-01-01"})
    assert response.status_code == 200 and response.context["form"].errors
    old.refresh_from_db()
    assert old.is_active and bangka.memberships.count() == 2


@pytest.mark.parametrize("name", ["team_detail", "team_update", "team_end", "membership_add"])
def test_missing_team_is_404(client, staf_provinsi, name):
    client.force_login(staf_provinsi)
    assert client.get(reverse(f"teams:{name}", args=[987654])).status_code == 404


@pytest.mark.parametrize("name", ["membership_end", "membership_replace"])
def test_missing_membership_is_404(client, staf_provinsi, name):
    client.force_login(staf_provinsi)
    assert client.get(reverse(f"teams:{name}", args=[987654])).status_code == 404


# --- Query counts -----------------------------------------------------------------------------------


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def populate(team, members: int) -> None:
    for i in range(members):
        m = make_member(team, "anggota")
        if i % 3 == 0:
            services.membership_end(membership=m, end_date=D(2025, 4, 1), reason="Mutasi")
    make_member(team, "ketua")
    services.membership_replace(membership=team.memberships.get(role="ketua", end_date__isnull=True),
                                person=PersonFactory(region=team.region), start_date=D(2025, 5, 1))
    services.team_update(team=team, notes=f"{members} anggota")


TEAM_DETAIL_MAX = 14
TEAM_LIST_MAX = 9


# --- Admin ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model", ["team", "membership", "actionplan", "activity", "reportingdeadline", "planreminderlog", "evidence"]
)
def test_admin_lists_and_searches(client, admin_user, bangka, model):
    client.force_login(admin_user)
    url = reverse(f"admin:teams_{model}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "Bangka"}).status_code == 200


def test_admin_team_with_member_inline_and_history(client, admin_user, bangka):
    client.force_login(admin_user)
    response = client.get(reverse("admin:teams_team_change", args=[bangka.pk]))
    assert response.status_code == 200 and "memberships-TOTAL_FORMS" in response.content.decode()
    assert client.get(reverse("admin:teams_team_history", args=[bangka.pk])).status_code == 200
    assert client.get(reverse("admin:teams_planreminderlog_add")).status_code == 403
