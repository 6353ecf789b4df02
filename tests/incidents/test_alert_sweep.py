"""The early-warning sweeper finds recent alert-level incidents whose alerts were never sent (a lost
task message) or are still pending, and nothing else."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from incidents.alerts import incident_alerts_send
from incidents.models import IncidentAlert
from incidents.sweep import alerts_due
from incidents.tasks import incident_alerts_sweep
from kesbang.settings import CELERY_BEAT_SCHEDULE
from tests.factories import make_incident, make_member, make_team, make_user

pytestmark = pytest.mark.django_db


def later() -> datetime.datetime:
    """Six minutes from now, taken when used (a module-level constant went stale on a busy machine)."""
    return timezone.now() + datetime.timedelta(minutes=6)


@pytest.fixture
def recipients():
    staff = make_user("Staf Provinsi", username="staf.sweep", region_code="19")
    staff.person.email = "staf@kesbangpol.example"
    staff.person.save(update_fields=["email"])
    make_member(make_team("19.02"), "ketua", email="ketua@example.go.id")


def test_an_alert_never_sent_is_due_and_not_after_it_went_out(recipients):
    incident = make_incident(region_code="19.02", severity="kritis")
    assert alerts_due(now=later()) == [incident.pk]
    assert alerts_due() == []  # a fresh incident: its own task gets a few minutes first
    incident_alerts_send(incident_id=incident.pk)
    assert len(mail.outbox) == 2 and IncidentAlert.objects.filter(status="sent").count() == 2
    assert alerts_due(now=later()) == []


def test_quiet_drafts_rejected_and_old_incidents_are_not_due(recipients):
    make_incident(region_code="19.02", severity="rendah")
    make_incident(region_code="19.02", severity="tinggi", status="draf")
    make_incident(region_code="19.02", severity="tinggi", status="ditolak")
    assert alerts_due(now=later()) == []
    assert alerts_due(now=later() + datetime.timedelta(days=4)) == []


def test_a_pending_row_makes_its_incident_due(recipients):
    incident = make_incident(region_code="19.02", severity="tinggi")
    incident_alerts_send(incident_id=incident.pk)
    # As a failed send leaves it: pending, unclaimed.
    IncidentAlert.objects.filter(email="ketua@example.go.id").update(status="pending", sent_at=None, claimed_at=None)
    assert alerts_due(now=later()) == [incident.pk]


def test_sweep_task_is_on_the_beat_every_ten_minutes(recipients):
    entry = CELERY_BEAT_SCHEDULE["incidents-alerts-sweep"]
    assert entry["task"] == incident_alerts_sweep.name
    assert entry["schedule"].minute == {0, 10, 20, 30, 40, 50}


def test_an_old_report_changed_in_bulk_is_not_swept_and_a_sweep_is_capped(recipients):
    """A bulk change that touches old reports (an import, a data fix) must not become an email storm."""
    from incidents import sweep
    from incidents.models import Incident

    old = make_incident(region_code="19.02", severity="kritis")
    Incident.objects.filter(pk=old.pk).update(reported_at=timezone.now() - datetime.timedelta(days=5))
    assert alerts_due(now=later()) == []
    fresh = [make_incident(region_code="19.02", severity="tinggi").pk for _ in range(3)]
    original = sweep.MAX_PER_SWEEP
    try:
        sweep.MAX_PER_SWEEP = 2
        assert alerts_due(now=later()) == sorted(fresh, reverse=True)[:2]  # the most recent first
    finally:
        sweep.MAX_PER_SWEEP = original


def test_the_load_test_delivers_the_seeded_backlog_before_its_run(recipients):
    """``tests/loadtest/run.py``: incidents written without their alerts (the seeders' COPY) are alerted
    before the load, to a dummy backend (no mail), so a sweep during the run finds nothing."""
    from tests.loadtest.run import drain_alert_backlog

    kritis = make_incident(region_code="19.02", severity="kritis")
    tinggi = make_incident(region_code="19.02", severity="tinggi")
    assert set(alerts_due(now=later())) == {kritis.pk, tinggi.pk}
    assert drain_alert_backlog() == 2
    assert alerts_due(now=later()) == [] and mail.outbox == []
    assert IncidentAlert.objects.filter(status="sent").count() == 4
    assert drain_alert_backlog() == 0
