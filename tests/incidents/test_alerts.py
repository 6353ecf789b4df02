"""Early warning, daily digest and Status Keadaan Konflik reminders against a real SMTP server on
loopback (aiosmtpd): each email once per key, a run twice sends nothing new, SMTP down then up retries."""

import datetime

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings

from incidents import alerts, services
from incidents.models import ConflictStatusReminder, Incident, IncidentAlert, VerificationDigest
from incidents.tasks import conflict_status_reminders_send, incident_alert_send, verification_digest_send
from tests.conftest import own_callbacks
from tests.factories import incident_data, make_incident, make_member, make_team
from tests.teams.test_reminders import Collector, free_port, use_smtp

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def smtp(settings):
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield collector
    controller.stop()


@pytest.fixture
def team():
    team = make_team("19.01")
    make_member(team, "ketua", email="ketua@bangka.example")
    make_member(team, "sekretaris", email="sekretaris@bangka.example")
    make_member(team, "anggota", email="anggota@bangka.example")
    return team


def recipients(collector):
    return sorted(addr for env in collector.envelopes for addr in env.rcpt_tos)


def test_recipients_are_leaders_and_provincial_staff(team, staf_provinsi, staf_bangka):
    incident = make_incident(region_code="19.01", severity="tinggi", handling_team=team)
    got = alerts.alert_recipients(incident)
    assert "ketua@bangka.example" in got and "sekretaris@bangka.example" in got
    assert "anggota@bangka.example" not in got
    assert staf_provinsi.person.email.lower() in got and staf_bangka.person.email.lower() not in got


def test_rahasia_alert_skips_team_leaders(team, staf_provinsi, pimpinan):
    incident = make_incident(region_code="19.01", severity="kritis", classification="rahasia", handling_team=team)
    got = alerts.alert_recipients(incident)
    assert "ketua@bangka.example" not in got
    assert set(got) == {staf_provinsi.person.email.lower(), pimpinan.person.email.lower()}


def test_alert_task_sends_once_when_run_twice(smtp, team, staf_provinsi):
    incident = make_incident(region_code="19.01", kind="peristiwa", severity="kritis", handling_team=team)
    first = incident_alert_send.apply(args=[incident.pk])
    second = incident_alert_send.apply(args=[incident.pk])
    assert first.successful() and second.successful()
    # levels kritis and peristiwa, three recipients each
    assert first.get() == {"sent": 6, "skipped": 0} and second.get() == {"sent": 0, "skipped": 6}
    assert len(smtp.messages) == 6 and IncidentAlert.objects.filter(status="sent").count() == 6
    subjects = {m["Subject"] for m in smtp.messages}
    assert any("Keparahan kritis" in s for s in subjects) and any("Peristiwa konflik" in s for s in subjects)
    body = smtp.messages[0].get_body(("plain",)).get_content()
    assert incident.reference in body and "/insiden/" in body


def test_low_severity_potential_and_drafts_send_nothing(smtp, team, staf_provinsi):
    low = make_incident(region_code="19.01", severity="sedang", kind="potensi", handling_team=team)
    draft = make_incident(region_code="19.01", severity="kritis", status="draf", handling_team=team)
    assert incident_alert_send.apply(args=[low.pk]).get() == {"sent": 0, "skipped": 0}
    assert incident_alert_send.apply(args=[draft.pk]).get() == {"sent": 0, "skipped": 0}
    assert smtp.messages == []


def test_escalating_the_severity_sends_the_new_level_only(
    smtp, team, staf_provinsi, django_capture_on_commit_callbacks
):
    incident = make_incident(region_code="19.01", severity="tinggi", handling_team=team)
    incident_alert_send.apply(args=[incident.pk])
    assert len(smtp.messages) == 3
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.incident_update(incident=incident, user=staf_provinsi, expected_version=incident.version,
                                 severity="kritis")
    assert len(own_callbacks(callbacks)) == 1  # the alert is enqueued after commit
    incident_alert_send.apply(args=[incident.pk])
    assert len(smtp.messages) == 6
    assert set(IncidentAlert.objects.values_list("level", flat=True)) == {"tinggi", "kritis"}


def test_submit_enqueues_the_alert_after_commit(team, staf_bangka, django_capture_on_commit_callbacks):
    incident = services.incident_create(reporter=staf_bangka, **incident_data(severity="kritis", handling_team=team))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.incident_submit(incident=incident, user=staf_bangka)
    assert len(own_callbacks(callbacks)) == 1


def test_smtp_down_then_up_retries_and_sends_once(settings, team, staf_provinsi):
    incident = make_incident(region_code="19.01", severity="tinggi", handling_team=team)
    use_smtp(settings, free_port())  # nothing listens: connection refused
    down = incident_alert_send.apply(args=[incident.pk])
    assert down.failed()  # retried with backoff (eager: at once) until max_retries, then failed
    rows = IncidentAlert.objects.all()
    assert rows.count() == 3 and all(r.status == "pending" and r.attempts >= 2 and r.last_error for r in rows)

    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        use_smtp(settings, controller.port)
        up = incident_alert_send.apply(args=[incident.pk])
        again = incident_alert_send.apply(args=[incident.pk])
    finally:
        controller.stop()
    assert up.get() == {"sent": 3, "skipped": 0} and again.get() == {"sent": 0, "skipped": 3}
    assert len(collector.messages) == 3
    assert IncidentAlert.objects.filter(status="sent").count() == 3


def test_recipients_follow_the_permissions_not_the_role_names(team, staf_provinsi, staf_bangka, pimpinan):
    """Take the alert duty from the Staf Provinsi group and give it to one regency login directly: the
    alerts follow; a rahasia alert still goes only to logins cleared for rahasia (the policy)."""
    from django.contrib.auth.models import Group, Permission

    duty = Permission.objects.get(codename="receive_incidentalert")
    Group.objects.get(name="Staf Provinsi").permissions.remove(duty)
    staf_bangka.user_permissions.add(duty)
    biasa = make_incident(region_code="19.01", severity="tinggi", handling_team=team)
    got = alerts.alert_recipients(biasa)
    assert staf_bangka.person.email.lower() in got and staf_provinsi.person.email.lower() not in got
    rahasia = make_incident(region_code="19.01", severity="kritis", classification="rahasia", handling_team=team)
    assert set(alerts.alert_recipients(rahasia)) == {staf_provinsi.person.email.lower(), pimpinan.person.email.lower()}


def test_daily_digest_once_per_verifier_and_day(smtp, staf_provinsi, staf_bangka, staf_belitung):
    a = make_incident(region_code="19.01")
    make_incident(region_code="19.71")
    make_incident(region_code="19.01", status="terverifikasi")
    day = D(2026, 3, 3)
    first = verification_digest_send.apply(kwargs={"day": day.isoformat()})
    second = verification_digest_send.apply(kwargs={"day": day.isoformat()})
    assert first.get() == {"sent": 2, "skipped": 0} and second.get() == {"sent": 0, "skipped": 2}
    assert recipients(smtp) == sorted([staf_provinsi.person.email.lower(), staf_bangka.person.email.lower()])
    bangka_mail = next(m for m, e in zip(smtp.messages, smtp.envelopes, strict=True)
                       if e.rcpt_tos == [staf_bangka.person.email.lower()])
    body = bangka_mail.get_body(("plain",)).get_content()
    assert a.reference in body and "19.71" not in body
    assert VerificationDigest.objects.filter(day=day).count() == 2


def test_conflict_status_reminders_14_and_3_days(smtp, team, staf_provinsi):
    incident = make_incident(region_code="19.01", kind="peristiwa", status="ditangani", handling_team=team)
    status = services.conflict_status_declare(
        incident=incident, user=staf_provinsi, scale="kabkota", decree_number="188/1", decree_date=D(2026, 3, 1),
        start_date=D(2026, 3, 2), end_date=D(2026, 4, 30),
    )
    assert conflict_status_reminders_send.apply(kwargs={"today": "2026-04-15"}).get()["sent"] == 0
    assert conflict_status_reminders_send.apply(kwargs={"today": "2026-04-16"}).get()["sent"] == 3  # H-14
    assert conflict_status_reminders_send.apply(kwargs={"today": "2026-04-17"}).get()["sent"] == 0
    assert conflict_status_reminders_send.apply(kwargs={"today": "2026-04-27"}).get()["sent"] == 3  # H-3
    assert conflict_status_reminders_send.apply(kwargs={"today": "2026-04-28"}).get()["sent"] == 0
    assert set(ConflictStatusReminder.objects.values_list("days_before", flat=True)) == {14, 3}
    assert ConflictStatusReminder.objects.filter(conflict_status=status).count() == 6
    body = smtp.messages[-1].get_body(("plain",)).get_content()
    assert "3 hari lagi" in body and incident.reference in body


def test_a_missed_reminder_day_is_caught_up_once(smtp, team, staf_provinsi):
    incident = make_incident(region_code="19.01", kind="peristiwa", status="ditangani", handling_team=team)
    services.conflict_status_declare(
        incident=incident, user=staf_provinsi, scale="kabkota", decree_number="188/2", decree_date=D(2026, 3, 1),
        start_date=D(2026, 3, 2), end_date=D(2026, 4, 30),
    )
    assert conflict_status_reminders_send.apply(kwargs={"today": "2026-04-18"}).get()["sent"] == 3  # H-12
    assert conflict_status_reminders_send.apply(kwargs={"today": "2026-04-19"}).get()["sent"] == 0


def test_task_contracts_and_beat():
    for task in (incident_alert_send, verification_digest_send, conflict_status_reminders_send):
        assert task.time_limit and task.soft_time_limit and task.max_retries and task.retry_backoff
    names = {e["task"] for e in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"incidents.tasks.verification_digest_send", "incidents.tasks.conflict_status_reminders_send"} <= names


def test_statuses_ending_selector():
    from incidents.selectors import active_conflict_statuses

    assert list(active_conflict_statuses(D(2026, 1, 1))) == []
    assert Incident.objects.count() == 0
