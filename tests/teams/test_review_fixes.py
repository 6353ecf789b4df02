"""Fixes from the review of issue 6 (each failed before its fix): row locks that lock only their own
rows, no reminder for a zero target, a reminder run whose queries do not grow per group, Membership
admin writes through the services, evidence files removed on rollback and on admin delete."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kesbang.core.uploads import private_storage
from teams import services
from teams.models import Evidence, Membership, PlanReminderLog
from tests.factories import InstitutionFactory, PersonFactory, make_member, make_team
from tests.teams.test_plans import PDF, make_plan

pytestmark = pytest.mark.django_db
D = Decimal
H14 = datetime.date(2026, 4, 26)  # B04 2026 is due 10 May 2026


def _locking_selects(queries, table: str) -> list[str]:
    return [q["sql"] for q in queries
            if q["sql"].lstrip().upper().startswith("SELECT") and f'FROM "{table}"' in q["sql"]
            and ("FOR UPDATE" in q["sql"] or connection.vendor != "postgresql")]


# --- select_for_update locks only the rows meant -----------------------------------------------------


def test_activity_update_locks_only_its_period_rows():
    plan = make_plan(activities=1)
    activity = plan.activities.get()
    with CaptureQueriesContext(connection) as ctx:
        services.activity_update(activity=activity, targets={"B04": D(3)})
    locks = _locking_selects(ctx.captured_queries, "teams_activityperiod")
    assert locks, "the period rows are read for update"
    for sql in locks:
        assert "JOIN" not in sql.upper(), sql  # Meta.ordering joined (and locked) activity, plan, team, region
        if connection.vendor == "postgresql":
            assert 'FOR UPDATE OF "teams_activityperiod"' in sql


def test_ending_a_team_locks_only_membership_rows():
    team = make_team("19.01")
    make_member(team)
    with CaptureQueriesContext(connection) as ctx:
        services.team_end(team=team, end_date=datetime.date(2025, 12, 31))
    locks = [sql for sql in _locking_selects(ctx.captured_queries, "teams_membership") if "end_date" in sql]
    assert locks
    for sql in locks:
        assert "JOIN" not in sql.upper(), sql


# --- Reminders -------------------------------------------------------------------------------------------


@pytest.fixture
def mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _plan_with_institutions(count: int, *, targets=None, region_code="19.01"):
    team = make_team(region_code)
    plan = services.plan_create(team=team, year=2026)
    for n in range(count):
        institution = InstitutionFactory(email=f"instansi{n}@example.go.id")
        services.activity_create(plan=plan, phase="pencegahan", name=f"Kegiatan {n}",
                                 responsible_institution=institution, targets=targets or {"B04": D(1)})
    return plan


def test_no_reminder_for_a_period_whose_target_is_zero(mail):
    from django.core import mail as outbox

    _plan_with_institutions(1, targets={"B04": D(0), "B08": D(2)})
    result = services.plan_reminders_send(today=H14)
    assert result.sent == 0 and not outbox.outbox
    assert not PlanReminderLog.objects.exists()


def test_reminder_run_queries_do_not_grow_with_groups(mail):
    small = _plan_with_institutions(2)
    services.plan_reminders_send(today=H14)  # everything sent once
    with CaptureQueriesContext(connection) as few:
        assert services.plan_reminders_send(today=H14).already_sent == 2
    _plan_with_institutions(4, targets={"B04": D(1)}, region_code="19.02")
    services.plan_reminders_send(today=H14)
    with CaptureQueriesContext(connection) as many:
        assert services.plan_reminders_send(today=H14).already_sent == 6
    assert len(few.captured_queries) == len(many.captured_queries) <= 6
    assert small.reminders.filter(status=PlanReminderLog.Status.SENT).count() == 2


# --- Membership admin goes through the services ------------------------------------------------------------


def _admin_add(client, team, person, start):
    return client.post(reverse("admin:teams_membership_add"), {
        "team": team.pk, "person": person.pk, "role": "anggota", "start_date": start.isoformat(),
        "decree_number": "", "end_date": "", "end_reason": "",
    })


def test_membership_admin_refuses_an_ended_team_and_a_date_outside_the_period(client, admin_user):
    client.force_login(admin_user)
    team = make_team("19.01", start=datetime.date(2025, 1, 1))
    person = PersonFactory(region=team.region)
    response = _admin_add(client, team, person, datetime.date(2024, 6, 1))
    assert response.status_code == 200
    assert "sebelum masa tugas tim dimulai" in response.content.decode()
    services.team_end(team=team, end_date=datetime.date(2025, 12, 31))
    response = _admin_add(client, team, person, datetime.date(2025, 6, 1))
    assert response.status_code == 200 and "sudah berakhir" in response.content.decode()
    assert not Membership.objects.filter(person=person).exists()


def test_membership_admin_adds_and_ends_through_the_services(client, admin_user):
    client.force_login(admin_user)
    team = make_team("19.01", start=datetime.date(2025, 1, 1))
    person = PersonFactory(region=team.region)
    response = _admin_add(client, team, person, datetime.date(2025, 3, 1))
    assert response.status_code == 302, response.context["adminform"].form.errors
    membership = Membership.objects.get(person=person)
    response = client.post(reverse("admin:teams_membership_change", args=[membership.pk]), {
        "end_date": "2024-01-01", "end_reason": "salah",
    })
    assert response.status_code == 200, response.status_code
    assert "sebelum tanggal mulai" in str(response.context["adminform"].form.errors)
    response = client.post(reverse("admin:teams_membership_change", args=[membership.pk]), {
        "end_date": "2025-09-30", "end_reason": "Mutasi",
    })
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2025, 9, 30) and membership.end_reason == "Mutasi"


# --- Evidence files follow their rows ------------------------------------------------------------------------


def test_evidence_files_are_removed_when_the_transaction_rolls_back():
    from django.core.exceptions import ValidationError

    plan = make_plan(activities=1)
    period = plan.activities.get().periods.get(period="B04")
    good = SimpleUploadedFile("notulen.pdf", PDF)
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00")
    with pytest.raises(ValidationError):
        services.realisation_record(activity_period=period, realisation=D(1), evidence_files=[good, bad])
    assert not Evidence.objects.exists()
    assert not any(p.is_file() for p in (private_storage.base_location / "evidence").rglob("*")) \
        if (private_storage.base_location / "evidence").exists() else True


def test_admin_delete_of_evidence_removes_its_file(client, admin_user, django_capture_on_commit_callbacks):
    plan = make_plan(activities=1)
    period = plan.activities.get().periods.get(period="B04")
    evidence = services.evidence_add(activity_period=period, uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    name = evidence.file.name
    assert private_storage.exists(name)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:teams_evidence_delete", args=[evidence.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not private_storage.exists(name)


def test_deleting_a_plan_in_the_admin_removes_the_evidence_files(client, admin_user,
                                                                 django_capture_on_commit_callbacks):
    plan = make_plan(activities=1)
    period = plan.activities.get().periods.get(period="B04")
    name = services.evidence_add(activity_period=period, uploaded_file=SimpleUploadedFile("a.pdf", PDF)).file.name
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:teams_actionplan_delete", args=[plan.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not private_storage.exists(name)
