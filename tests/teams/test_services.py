"""Services of teams and memberships: the rules hold, refusals are in Indonesian, nothing half-done."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from teams import services
from teams.models import Membership, Person, Team
from tests.factories import InstitutionFactory, PersonFactory, make_member, make_team, region

pytestmark = pytest.mark.django_db

D = datetime.date


def messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@pytest.fixture
def team():
    return make_team("19.01")


@pytest.mark.parametrize(
    ("role", "message"),
    [("ketua", "Tim ini sudah memiliki Ketua aktif."), ("sekretaris", "Tim ini sudah memiliki Sekretaris aktif.")],
)
def test_one_active_ketua_and_sekretaris_per_team(team, role, message):
    make_member(team, role)
    with pytest.raises(ValidationError) as info:
        make_member(team, role)
    assert message in messages_of(info.value)
    assert team.memberships.filter(role=role).count() == 1


def test_several_wakil_and_anggota_are_fine(team):
    for _ in range(2):
        make_member(team, "wakil_ketua")
        make_member(team, "anggota")
    assert team.memberships.count() == 4


def test_an_ended_ketua_frees_the_seat(team):
    old = make_member(team, "ketua")
    services.membership_end(membership=old, end_date=D(2025, 3, 1), reason="Pensiun")
    new = make_member(team, "ketua", start=D(2025, 3, 2))
    assert new.is_active and not Membership.objects.get(pk=old.pk).is_active


def test_person_at_most_once_active_per_team(team):
    person = PersonFactory(region=team.region)
    make_member(team, "anggota", person=person)
    with pytest.raises(ValidationError) as info:
        make_member(team, "wakil_ketua", person=person)
    assert "Orang ini sudah menjadi anggota aktif tim ini." in messages_of(info.value)


def test_the_same_person_may_sit_on_two_teams(team):
    other = make_team("19.02")
    person = PersonFactory(region=team.region)
    make_member(team, "anggota", person=person)
    make_member(other, "anggota", person=person)
    assert person.memberships.count() == 2


def test_ending_keeps_the_row_with_date_and_reason(team):
    m = make_member(team, "anggota")
    services.membership_end(membership=m, end_date=D(2025, 6, 30), reason="Mutasi ke Polda lain")
    m.refresh_from_db()
    assert m.end_date == D(2025, 6, 30) and m.end_reason == "Mutasi ke Polda lain"
    assert Membership.objects.filter(pk=m.pk).exists()
    assert m.history.count() == 2


def test_end_date_before_start_is_refused(team):
    m = make_member(team, "anggota", start=D(2025, 2, 1))
    with pytest.raises(ValidationError) as info:
        services.membership_end(membership=m, end_date=D(2025, 1, 31))
    assert "Tanggal berakhir tidak boleh sebelum tanggal mulai." in messages_of(info.value)
    m.refresh_from_db()
    assert m.is_active


def test_ending_twice_is_refused(team):
    m = make_member(team, "anggota")
    services.membership_end(membership=m, end_date=D(2025, 3, 1))
    with pytest.raises(ValidationError):
        services.membership_end(membership=m, end_date=D(2025, 4, 1))


def test_replacement_ends_the_old_and_seats_the_new_in_the_same_role(team):
    old = make_member(team, "ketua")
    newcomer = PersonFactory(region=team.region)
    new = services.membership_replace(
        membership=old, person=newcomer, start_date=D(2025, 7, 1), decree_number="SK-2", reason="Mutasi"
    )
    old.refresh_from_db()
    assert old.end_date == D(2025, 7, 1) and old.end_reason == "Mutasi"
    assert new.role == "ketua" and new.person == newcomer and new.replaces == old and new.is_active
    assert old.replaced_by == new
    assert team.memberships.filter(role="ketua", end_date__isnull=True).get() == new


def test_replacement_failing_changes_nothing(team):
    old = make_member(team, "sekretaris")
    already = make_member(team, "anggota")  # already active on the team: the second half must fail
    with pytest.raises(ValidationError) as info:
        services.membership_replace(membership=old, person=already.person, start_date=D(2025, 7, 1))
    assert "Orang ini sudah menjadi anggota aktif tim ini." in messages_of(info.value)
    old.refresh_from_db()
    assert old.is_active and old.end_reason == ""
    assert team.memberships.count() == 2


def test_replacement_by_the_same_person_is_refused(team):
    old = make_member(team, "anggota")
    with pytest.raises(ValidationError) as info:
        services.membership_replace(membership=old, person=old.person, start_date=D(2025, 7, 1))
    assert "person" in info.value.error_dict


def test_membership_before_the_team_period_is_refused(team):
    with pytest.raises(ValidationError) as info:
        make_member(team, "anggota", start=D(2024, 12, 31))
    assert "start_date" in info.value.error_dict


def test_overlapping_active_teams_in_one_region_are_refused(team):
    with pytest.raises(ValidationError) as info:
        make_team("19.01", name="Tim kedua", start=D(2025, 6, 1))
    assert "bertumpang tindih" in messages_of(info.value)
    assert Team.objects.filter(region__code="19.01").count() == 1


def test_a_new_team_after_the_old_one_ended_is_fine(team):
    services.team_end(team=team, end_date=D(2025, 12, 31), reason="SK baru")
    successor = make_team("19.01", name="Tim 2026", start=D(2026, 1, 1))
    assert successor.is_active


def test_other_regions_may_have_their_own_team(team):
    assert make_team("19.02").is_active


def test_team_end_ends_active_memberships_and_keeps_ended_ones(team):
    ended = make_member(team, "anggota")
    services.membership_end(membership=ended, end_date=D(2025, 3, 1), reason="Pensiun")
    active = [make_member(team, "ketua"), make_member(team, "anggota")]
    services.team_end(team=team, end_date=D(2025, 12, 31), reason="Masa tugas selesai")
    team.refresh_from_db()
    assert team.status == Team.Status.BERAKHIR and team.period_end == D(2025, 12, 31)
    for m in active:
        m.refresh_from_db()
        assert m.end_date == D(2025, 12, 31) and m.end_reason == "Masa tugas selesai"
    ended.refresh_from_db()
    assert ended.end_date == D(2025, 3, 1) and ended.end_reason == "Pensiun"
    assert team.history.first().history_change_reason == "Masa tugas selesai"


def test_an_ended_team_takes_no_members_and_cannot_end_again(team):
    services.team_end(team=team, end_date=D(2025, 12, 31))
    with pytest.raises(ValidationError) as info:
        make_member(team, "anggota", start=D(2025, 6, 1))
    assert "Tim yang sudah berakhir" in messages_of(info.value)
    with pytest.raises(ValidationError):
        services.team_end(team=team, end_date=D(2025, 12, 31))


def test_team_end_before_its_start_is_refused(team):
    with pytest.raises(ValidationError) as info:
        services.team_end(team=team, end_date=D(2024, 1, 1))
    assert "end_date" in info.value.error_dict
    team.refresh_from_db()
    assert team.is_active


def test_team_level_follows_the_region():
    assert make_team("19").level == "provinsi"
    city = make_team("19.71")
    assert city.level == "kota"
    services.team_update(team=city, region=region("19.05"))
    assert city.level == "kabupaten"
    team = make_team("19.02")
    assert team.level == "kabupaten"
    services.team_update(team=team, region=region("19.06"))
    assert team.level == "kabupaten" and team.region.code == "19.06"


def test_person_nip_is_validated_and_unique():
    institution = InstitutionFactory()
    with pytest.raises(ValidationError) as info:
        services.person_create(name="Budi", institution=institution, region=region("19"), nip="12345")
    assert "NIP harus terdiri dari 18 angka" in messages_of(info.value)
    services.person_create(name="Budi", institution=institution, region=region("19"), nip="196001011990031001")
    with pytest.raises(ValidationError) as info:
        services.person_create(name="Ani", institution=institution, region=region("19"), nip="196001011990031001")
    assert "NIP ini sudah terdaftar" in messages_of(info.value)
    assert Person.objects.filter(name="Ani").count() == 0


def test_possible_duplicates_ignore_case_and_spacing():
    institution = InstitutionFactory()
    person = PersonFactory(name="Drs. H. Tarmin, M.Si.", institution=institution)
    found = services.person_possible_duplicates(name="drs.  h. tarmin,  m.si.", institution=institution)
    assert list(found) == [person]
    assert not services.person_possible_duplicates(name="Drs. H. Tarmin, M.Si.", institution=InstitutionFactory())


@pytest.mark.django_db
def test_team_period_must_keep_covering_its_memberships():
    import datetime

    from django.core.exceptions import ValidationError

    from teams import services
    from tests.factories import make_member, make_team

    team = make_team("19.03", start=datetime.date(2025, 1, 1))
    make_member(team, start=datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.team_update(team=team, period_start=datetime.date(2025, 4, 1))
    assert "period_start" in exc.value.message_dict
    team.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.team_update(team=team, period_end=datetime.date(2025, 2, 1))
    assert "period_end" in exc.value.message_dict
    services.team_update(team=team, period_end=datetime.date(2026, 12, 31))


@pytest.mark.django_db
def test_ending_a_membership_someone_else_just_ended_is_refused():
    import datetime

    from django.core.exceptions import ValidationError

    from teams import services
    from teams.models import Membership
    from tests.factories import make_member, make_team

    membership = make_member(make_team("19.04"))
    stale = Membership.objects.get(pk=membership.pk)  # loaded by a second browser tab
    services.membership_end(membership=membership, end_date=datetime.date(2025, 6, 1), reason="Pensiun")
    with pytest.raises(ValidationError):
        services.membership_end(membership=stale, end_date=datetime.date(2025, 7, 1), reason="Mutasi")
    membership.refresh_from_db()
    assert (membership.end_date, membership.end_reason) == (datetime.date(2025, 6, 1), "Pensiun")
