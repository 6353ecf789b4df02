"""The classification policy module itself (incidents/classification.py): who reads which class, the
invariants of the disclosure table, restrict() on the Administrator role, keep_unreadable and the
history redaction of a downgraded report."""

from types import SimpleNamespace

import pytest

from incidents import classification
from incidents.classification import BIASA, CLASSES, RAHASIA, TABLE, TERBATAS, Audience, Disclosure
from incidents.models import Incident
from tests.factories import make_incident, make_member, make_team, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "region_code", "expected"), [
    ("Administrator", "19", {BIASA}),
    ("Pimpinan", "19", {BIASA, TERBATAS, RAHASIA}),
    ("Staf Provinsi", "19", {BIASA, TERBATAS, RAHASIA}),
    ("Staf Kabupaten/Kota", "19.01", {BIASA, TERBATAS}),
    ("Anggota Tim", "19.01", {BIASA, TERBATAS}),
    (None, "19", set()),
])
def test_readable_classes_per_role(role, region_code, expected):
    user = make_user(role, username=f"kelas.{role or 'tanpa'}".replace(" ", "").replace("/", ""),
                     region_code=region_code)
    assert classification.readable_classes(user) == frozenset(expected)


def test_superuser_reads_every_class():
    user = make_user("Administrator", username="kelas.super", superuser=True)
    assert classification.readable_classes(user) == frozenset(CLASSES)


def test_table_covers_every_class_and_audience():
    assert set(TABLE) == set(CLASSES)
    for row in TABLE.values():
        assert set(row) == set(Audience)


def test_rahasia_is_never_full_outside_readers():
    for audience in Audience:
        if audience is not Audience.READER:
            assert TABLE[RAHASIA][audience] is not Disclosure.FULL, audience


def test_public_shows_no_class():
    assert all(TABLE[c][Audience.PUBLIC] is Disclosure.NONE for c in CLASSES)


def test_no_audience_is_told_more_of_a_higher_class():
    order = [Disclosure.NONE, Disclosure.COUNT, Disclosure.REFERENCE, Disclosure.FULL]
    for audience in Audience:
        ranks = [order.index(TABLE[c][audience]) for c in CLASSES]
        assert ranks == sorted(ranks, reverse=True), audience


def test_unknown_class_is_treated_as_rahasia():
    for audience in Audience:
        assert classification.disclosure("sangat-rahasia", audience) is TABLE[RAHASIA][audience]


def _roles_holding(perm: str) -> set[str]:
    from django.contrib.auth.models import Group

    app_label, codename = perm.split(".")
    return set(Group.objects.filter(permissions__codename=codename, permissions__content_type__app_label=app_label)
               .values_list("name", flat=True))


def test_clearances_are_permissions_held_by_fewer_roles_for_each_higher_class():
    """The docstring's rule, from the groups as kesbang/accounts/roles.py sets them: every role reads
    biasa, all but the Administrator terbatas, Pimpinan and Staf Provinsi rahasia."""
    assert classification.CLEARANCE == {BIASA: "incidents.view_incident",
                                        TERBATAS: "incidents.view_terbatas_incident",
                                        RAHASIA: "incidents.view_rahasia_incident"}
    holders = {c: _roles_holding(classification.CLEARANCE[c]) for c in CLASSES}
    assert holders[RAHASIA] < holders[TERBATAS] < holders[BIASA]
    assert holders[BIASA] == {"Administrator", "Pimpinan", "Staf Provinsi", "Staf Kabupaten/Kota", "Anggota Tim"}
    assert holders[TERBATAS] == holders[BIASA] - {"Administrator"}
    assert holders[RAHASIA] == {"Pimpinan", "Staf Provinsi"}


def test_a_clearance_is_read_from_the_permissions_not_the_role_name():
    """Take the rahasia clearance from the Staf Provinsi group and its logins stop reading rahasia (and
    a login given it directly reads it), whatever the role is called."""
    from django.contrib.auth.models import Group, Permission

    rahasia = make_incident(classification=RAHASIA)
    clearance = Permission.objects.get(codename="view_rahasia_incident")
    staf = make_user("Staf Provinsi", username="kelas.izin.staf", region_code="19")
    assert classification.can_read(staf, rahasia)
    Group.objects.get(name="Staf Provinsi").permissions.remove(clearance)
    staf = type(staf).objects.get(pk=staf.pk)  # a fresh object: permissions are loaded once per request
    assert classification.readable_classes(staf) == frozenset({BIASA, TERBATAS})
    assert not classification.can_read(staf, rahasia)
    bangka = make_user("Staf Kabupaten/Kota", username="kelas.izin.bangka", region_code="19.01")
    bangka.user_permissions.add(clearance)
    bangka = type(bangka).objects.get(pk=bangka.pk)
    assert classification.readable_classes(bangka) == frozenset(CLASSES)


def test_a_database_without_the_clearance_rows_reads_no_higher_class():
    """Fails closed: before ``migrate`` creates the clearances, nobody but superusers reads terbatas or rahasia."""
    from django.contrib.auth.models import Permission

    Permission.objects.filter(codename__in=["view_terbatas_incident", "view_rahasia_incident"]).delete()
    staf = make_user("Staf Provinsi", username="kelas.belum.migrate", region_code="19")
    assert classification.readable_classes(staf) == frozenset({BIASA})


def test_restrict_hides_terbatas_and_rahasia_from_the_administrator_role():
    administrator = make_user("Administrator", username="kelas.admin", region_code="19")
    staf = make_user("Staf Provinsi", username="kelas.staf", region_code="19")
    incidents = {c: make_incident(classification=c) for c in CLASSES}
    visible = set(Incident.objects.restrict(administrator, "view").values_list("classification", flat=True))
    assert visible == {BIASA}
    assert set(Incident.objects.restrict(staf, "view").values_list("pk", flat=True)) == {
        i.pk for i in incidents.values()}
    assert classification.can_read(staf, incidents[RAHASIA])
    assert not classification.can_read(administrator, incidents[TERBATAS])


def test_mail_disclosure_by_recipient():
    incident = make_incident(classification=RAHASIA)
    staf = make_user("Staf Provinsi", username="kelas.mail.staf", region_code="19")
    bangka = make_user("Staf Kabupaten/Kota", username="kelas.mail.bangka", region_code="19.01")
    assert classification.mail_disclosure(incident, user=staf) is Disclosure.REFERENCE
    assert classification.mail_disclosure(incident, user=bangka) is Disclosure.NONE
    assert classification.mail_disclosure(incident) is Disclosure.NONE
    assert classification.mail_disclosure_for_address(incident, staf.person.email) is Disclosure.REFERENCE
    assert classification.mail_disclosure_for_address(incident, "tanpa.akun@example.go.id") is Disclosure.NONE
    terbatas = make_incident(classification=TERBATAS)
    assert classification.mail_disclosure_for_address(terbatas, "tanpa.akun@example.go.id") is Disclosure.REFERENCE
    assert classification.mail_disclosure_for_address(terbatas, bangka.person.email) is Disclosure.FULL


def test_linked_incidents_for_a_meeting_viewer_who_may_not_read():
    team = make_team("19.01")
    anggota = make_user("Anggota Tim", username="kelas.anggota", region_code="19.02")
    make_member(make_team("19.02"), person=anggota.person)
    incidents = [make_incident(classification=c, handling_team=team) for c in CLASSES]
    shown = classification.linked_incidents(anggota, incidents)
    assert shown.readable == []
    assert [i.classification for i in shown.named] == [BIASA]  # biasa: full to a meeting viewer
    assert shown.counted_total == 1  # terbatas counted, rahasia absent


def test_keep_unreadable_keeps_what_the_editor_cannot_see():
    bangka = make_user("Staf Kabupaten/Kota", username="kelas.edit", region_code="19.01")
    biasa, terbatas, rahasia = (make_incident(classification=c) for c in CLASSES)
    kept = classification.keep_unreadable(bangka, [biasa, rahasia], [terbatas])
    assert {i.pk for i in kept} == {terbatas.pk, rahasia.pk}  # biasa removed on purpose; rahasia kept
    assert classification.keep_unreadable(bangka, [rahasia], [rahasia]) == [rahasia]  # no duplicate


def test_history_of_a_downgraded_report_is_redacted_except_for_its_reporter():
    from incidents import services

    reporter = make_user("Anggota Tim", username="kelas.pelapor", region_code="19.01")
    bangka = make_user("Staf Kabupaten/Kota", username="kelas.riwayat", region_code="19.01")
    staf = make_user("Staf Provinsi", username="kelas.riwayat.prov", region_code="19")
    incident = make_incident(reporter, classification=RAHASIA, title="Judul rahasia")
    superuser = make_user("Administrator", username="kelas.riwayat.super", superuser=True)
    incident = services.incident_update(incident=incident, user=superuser, expected_version=incident.version,
                                        classification=BIASA, title="Judul biasa")
    records = list(incident.history.order_by("history_id"))
    assert {r.classification for r in records} == {RAHASIA, BIASA}
    redact = classification.history_redactor(bangka, incident)
    hidden = [r.title for r in records if redact(r)]
    assert "Judul rahasia" in hidden and "Judul biasa" not in hidden
    assert classification.history_redactor(reporter, incident) is None  # the reporter reads its own history
    assert classification.history_redactor(staf, incident) is None  # reads every class
    assert redact(SimpleNamespace()) is True  # a record without a class counts as rahasia


def test_classes_for_report_audiences():
    assert classification.classes_for(Audience.REGENCY_REPORT) == [BIASA, TERBATAS]
    assert classification.classes_for(Audience.PROVINCE_REPORT) == list(CLASSES)
    assert classification.classes_for(Audience.WEEKLY_SUMMARY, at_least=Disclosure.REFERENCE) == [BIASA, TERBATAS]
    assert classification.classes_for(Audience.PUBLIC) == []
