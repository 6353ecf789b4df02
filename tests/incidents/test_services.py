"""Incident services: creation and validation, every transition allowed and refused, escalation,
optimistic locking, the idempotency key, Status Keadaan Konflik, follow-ups, and restrict()."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from incidents import services
from incidents.models import ConflictStatus, Incident, IncidentTransition
from tests.factories import incident_data, make_incident, make_member, make_team, make_user, region

pytestmark = pytest.mark.django_db
D = datetime.date


def text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- Create and validate ------------------------------------------------------------------------------


def test_create_gives_reference_number_per_region_and_year(staf_bangka):
    first = services.incident_create(reporter=staf_bangka, **incident_data("19.01"))
    second = services.incident_create(reporter=staf_bangka, **incident_data("19.01"))
    year = first.reported_at.astimezone().year
    assert first.reference == f"INS-19.01-{year}-0001"
    assert second.reference == f"INS-19.01-{year}-0002"
    other = services.incident_create(reporter=staf_bangka, **incident_data("19.01", region=region("19.71")))
    assert other.reference == f"INS-19.71-{year}-0001"
    assert first.status == "draf" and first.version == 1
    assert list(first.transitions.values_list("to_status", flat=True)) == ["draf"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("killed", -1, "killed"),
        ("injured", -5, "injured"),
        ("displaced", -2, "displaced"),
        ("buildings_damaged", -1, "buildings_damaged"),
        ("estimated_loss", -1000, "estimated_loss"),
        ("party_a_size", -3, "party_a_size"),
    ],
)
def test_negative_figures_are_refused(staf_bangka, field, value, message):
    with pytest.raises(ValidationError) as info:
        services.incident_create(reporter=staf_bangka, **incident_data(**{field: value}))
    assert message in info.value.message_dict
    assert not Incident.objects.exists()


def test_desa_outside_the_chosen_regency_is_refused(staf_bangka):
    kec_bangka = region("19.01").children.first()
    desa_elsewhere = region("19.71").children.first().children.first()
    with pytest.raises(ValidationError) as info:
        services.incident_create(reporter=staf_bangka, **incident_data(kecamatan=kec_bangka, desa=desa_elsewhere))
    assert "Desa/kelurahan ini tidak berada di kecamatan yang dipilih." in info.value.message_dict["desa"]


def test_kecamatan_outside_the_regency_is_refused(staf_bangka):
    with pytest.raises(ValidationError) as info:
        services.incident_create(reporter=staf_bangka, **incident_data(kecamatan=region("19.71").children.first()))
    assert "kecamatan" in info.value.message_dict


def test_a_kecamatan_is_not_a_regency(staf_bangka):
    with pytest.raises(ValidationError) as info:
        services.incident_create(reporter=staf_bangka, **incident_data(region=region("19.01").children.first()))
    assert "Pilih kabupaten atau kota." in info.value.message_dict["region"]


@pytest.mark.parametrize(
    ("lat", "lng", "field"),
    [(95, 106, "latitude"), (-2, 200, "longitude"), (-2.1, None, "longitude")],
)
def test_bad_coordinates_are_refused(staf_bangka, lat, lng, field):
    with pytest.raises(ValidationError) as info:
        services.incident_create(reporter=staf_bangka, **incident_data(latitude=lat, longitude=lng))
    assert field in info.value.message_dict


def test_future_date_and_wrong_choices_are_refused(staf_bangka):
    with pytest.raises(ValidationError) as info:
        services.incident_create(
            reporter=staf_bangka,
            **incident_data(occurred_on=D(2100, 1, 1), severity="sangat", source="cuaca", classification="x"),
        )
    errors = info.value.message_dict
    assert {"occurred_on", "severity", "source", "classification"} <= set(errors)


def test_women_victims_cannot_exceed_victims(staf_bangka):
    with pytest.raises(ValidationError) as info:
        services.incident_create(reporter=staf_bangka, **incident_data(injured=1, women_victims=3))
    assert "women_victims" in info.value.message_dict


def test_handler_must_sit_on_the_handling_team(staf_bangka):
    team = make_team("19.01")
    outsider = make_member(make_team("19.02")).person
    with pytest.raises(ValidationError) as info:
        services.incident_create(reporter=staf_bangka, **incident_data(handling_team=team, handler=outsider))
    assert "handler" in info.value.message_dict
    other_team = make_team("19.71")
    with pytest.raises(ValidationError) as info:
        services.incident_create(reporter=staf_bangka, **incident_data(handling_team=other_team))
    assert "handling_team" in info.value.message_dict


def test_pimpinan_cannot_report(pimpinan):
    with pytest.raises(PermissionDenied):
        services.incident_create(reporter=pimpinan, **incident_data())


def test_client_key_makes_a_resubmission_return_the_same_incident(anggota_tim):
    key = uuid.uuid4()
    first = services.incident_create(reporter=anggota_tim, client_key=key, submit=True, **incident_data("19.71"))
    again = services.incident_create(reporter=anggota_tim, client_key=str(key), submit=True, **incident_data("19.71"))
    assert again.pk == first.pk
    assert Incident.objects.count() == 1
    other = make_user("Anggota Tim", username="anggota2", region_code="19.71")
    with pytest.raises(ValidationError):
        services.incident_create(reporter=other, client_key=key, **incident_data("19.71"))
    with pytest.raises(ValidationError):
        services.incident_create(reporter=other, client_key="bukan-uuid", **incident_data("19.71"))


def test_create_once_says_whether_it_made_the_incident(anggota_tim):
    key = uuid.uuid4()
    first = services.incident_create_once(reporter=anggota_tim, client_key=key, **incident_data("19.71"))
    again = services.incident_create_once(reporter=anggota_tim, client_key=key, **incident_data("19.71"))
    assert first.created and not again.created and again.incident.pk == first.incident.pk
    assert not hasattr(again.incident, "_was_duplicate_submission")  # no flag on the model instance
    assert services.incident_create_once(reporter=anggota_tim, **incident_data("19.71")).created


# --- Transitions -------------------------------------------------------------------------------------


def test_full_workflow_by_staf_of_the_region(staf_bangka):
    team = make_team("19.01")
    incident = services.incident_create(reporter=staf_bangka, handling_team=team, **incident_data())
    for step, status in [
        (services.incident_submit, "dilaporkan"), (services.incident_verify, "terverifikasi"),
        (services.incident_start_handling, "ditangani"), (services.incident_start_recovery, "pemulihan"),
        (services.incident_close, "selesai"),
    ]:
        incident = step(incident=incident, user=staf_bangka)
        assert incident.status == status
    rows = list(IncidentTransition.objects.filter(incident=incident).values_list("from_status", "to_status", "by"))
    assert rows == [
        ("", "draf", staf_bangka.pk), ("draf", "dilaporkan", staf_bangka.pk),
        ("dilaporkan", "terverifikasi", staf_bangka.pk), ("terverifikasi", "ditangani", staf_bangka.pk),
        ("ditangani", "pemulihan", staf_bangka.pk), ("pemulihan", "selesai", staf_bangka.pk),
    ]
    assert incident.phase == "pemulihan"


def test_reject_needs_a_reason(staf_provinsi):
    incident = make_incident(region_code="19.02")
    with pytest.raises(ValidationError) as info:
        services.incident_reject(incident=incident, user=staf_provinsi, reason="  ")
    assert "Tuliskan alasan penolakan." in text(info.value)
    incident = services.incident_reject(incident=incident, user=staf_provinsi, reason="Laporan ganda")
    assert incident.status == "ditolak" and incident.rejection_reason == "Laporan ganda"


def test_wrong_status_is_refused_in_indonesian(staf_provinsi):
    incident = make_incident(status="terverifikasi")
    with pytest.raises(ValidationError) as info:
        services.incident_verify(incident=incident, user=staf_provinsi)
    assert "langkah ini tidak dapat dilakukan" in text(info.value)


def test_handling_needs_a_team(staf_provinsi):
    incident = make_incident(status="terverifikasi")
    incident.handling_team = None
    Incident.objects.filter(pk=incident.pk).update(handling_team=None)
    with pytest.raises(ValidationError) as info:
        services.incident_start_handling(incident=incident, user=staf_provinsi)
    assert "tim penanganan" in text(info.value)


@pytest.mark.parametrize("who", ["anggota_tim", "pimpinan", "staf_belitung"])
def test_verification_refused_to_other_roles_and_regions(request, who):
    user = request.getfixturevalue(who)
    incident = make_incident(region_code="19.01")
    with pytest.raises(PermissionDenied):
        services.incident_verify(incident=incident, user=user)
    assert Incident.objects.get(pk=incident.pk).status == "dilaporkan"


@pytest.mark.parametrize("name", ["verify", "reject", "handle", "recover", "close"])
def test_anggota_tim_may_only_submit(anggota_tim, name):
    incident = services.incident_create(reporter=anggota_tim, **incident_data("19.71"))
    services.incident_submit(incident=incident, user=anggota_tim)
    with pytest.raises(PermissionDenied):
        services.incident_transition(incident=incident, user=anggota_tim, name=name, reason="x")


def test_someone_elses_draft_cannot_be_submitted(staf_bangka, anggota_tim):
    incident = services.incident_create(reporter=anggota_tim, **incident_data("19.01"))
    with pytest.raises(PermissionDenied):
        services.incident_submit(incident=incident, user=staf_bangka)


def test_transitions_allowed_helper(staf_bangka, pimpinan):
    incident = make_incident(region_code="19.01")
    assert services.transition_allowed(incident, staf_bangka, "verify")
    assert not services.transition_allowed(incident, staf_bangka, "close")
    assert not services.transition_allowed(incident, pimpinan, "verify")


# --- Escalation, update, locking ---------------------------------------------------------------------


def test_escalation_creates_a_linked_peristiwa(staf_bangka):
    potential = make_incident(region_code="19.01", status="terverifikasi")
    incident = services.incident_escalate(potential=potential, user=staf_bangka, severity="tinggi", killed=1)
    assert incident.kind == "peristiwa" and incident.escalated_from == potential
    assert incident.status == "dilaporkan" and incident.killed == 1 and incident.reference != potential.reference
    with pytest.raises(ValidationError):
        services.incident_escalate(potential=Incident.objects.get(pk=potential.pk), user=staf_bangka)
    with pytest.raises(ValidationError):
        services.incident_escalate(potential=incident, user=staf_bangka)


def test_stale_form_is_refused_and_names_who_changed_it(staf_bangka, staf_provinsi):
    incident = make_incident(region_code="19.01")
    opened = incident.version
    services.incident_update(incident=incident, user=staf_provinsi, expected_version=opened, title="Judul baru")
    with pytest.raises(ValidationError) as info:
        services.incident_update(incident=incident, user=staf_bangka, expected_version=opened, title="Lain")
    message = text(info.value)
    assert "sudah diubah oleh" in message and (staf_provinsi.get_full_name() or staf_provinsi.username) in message
    assert Incident.objects.get(pk=incident.pk).title == "Judul baru"


def test_update_out_of_scope_is_refused(staf_belitung):
    incident = make_incident(region_code="19.01")
    with pytest.raises(PermissionDenied):
        services.incident_update(incident=incident, user=staf_belitung, expected_version=incident.version, title="x")


# --- Status Keadaan Konflik and follow-ups -----------------------------------------------------------


def _status_kwargs(**kw):
    base = {"scale": "kabkota", "decree_number": "188.45/12/2026", "decree_date": D(2026, 3, 1),
                "start_date": D(2026, 3, 2), "end_date": D(2026, 5, 30)}
    base.update(kw)
    return base


def test_conflict_status_at_most_90_days(staf_provinsi):
    incident = make_incident(kind="peristiwa", status="ditangani")
    ok = services.conflict_status_declare(incident=incident, user=staf_provinsi, **_status_kwargs())
    assert ok.days == 90
    with pytest.raises(ValidationError) as info:
        services.conflict_status_declare(
            incident=incident, user=staf_provinsi,
            **_status_kwargs(start_date=D(2026, 6, 1), end_date=D(2026, 8, 30), decree_date=D(2026, 6, 1)),
        )
    assert "paling lama 90 hari" in text(info.value) and "91 hari" in text(info.value)
    with pytest.raises(ValidationError) as info:
        services.conflict_status_declare(
            incident=incident, user=staf_provinsi,
            **_status_kwargs(start_date=D(2026, 7, 1), end_date=D(2026, 6, 1), decree_date=D(2026, 6, 1)),
        )
    assert "Tanggal berakhir tidak boleh sebelum tanggal mulai." in text(info.value)
    assert ConflictStatus.objects.count() == 1


def test_conflict_status_only_for_peristiwa(staf_provinsi):
    incident = make_incident(kind="potensi")
    with pytest.raises(ValidationError):
        services.conflict_status_declare(incident=incident, user=staf_provinsi, **_status_kwargs())


def test_follow_up_with_status_change(staf_provinsi):
    incident = make_incident(status="ditangani")
    entry = services.follow_up_add(
        incident=incident, user=staf_provinsi, date=D(2026, 3, 5), kind="rekonsiliasi",
        description="Mediasi kedua pihak di kantor camat.", transition="recover",
    )
    incident.refresh_from_db()
    assert entry.pk and incident.status == "pemulihan"
    with pytest.raises(ValidationError):
        services.follow_up_add(incident=incident, user=staf_provinsi, date=D(2100, 1, 1), kind="koordinasi",
                               description="x")


# --- restrict() ------------------------------------------------------------------------------------------


def test_restrict_matrix(staf_provinsi, staf_bangka, staf_belitung, pimpinan, anggota_tim, no_role_user):
    bangka = make_incident(region_code="19.01")
    secret = make_incident(region_code="19.01", classification="rahasia")
    draft = make_incident(region_code="19.01", status="draf")
    team = make_team("19.71")
    make_member(team, person=anggota_tim.person)
    team_case = make_incident(region_code="19.71", handling_team=team)
    own = services.incident_create(
        reporter=anggota_tim, submit=True, **incident_data("19.02", classification="rahasia")
    )

    def visible(user, action="view"):
        return set(Incident.objects.restrict(user, action).values_list("pk", flat=True))

    assert visible(staf_provinsi) == {bangka.pk, secret.pk, team_case.pk, own.pk}
    assert visible(pimpinan) == {bangka.pk, secret.pk, team_case.pk, own.pk}
    assert visible(staf_bangka) == {bangka.pk}
    assert visible(staf_belitung) == set()  # own.pk is rahasia
    assert visible(anggota_tim) == {team_case.pk, own.pk}
    assert visible(no_role_user) == set()
    assert draft.pk not in visible(staf_provinsi)
    assert visible(pimpinan, "change") == set()
    assert visible(staf_bangka, "change") == {bangka.pk}
    assert visible(anggota_tim, "change") == {own.pk}
