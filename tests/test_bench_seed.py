"""The benchmark seeders (tests/bench_incidents.py, tests/bench_meetings.py) at a tiny volume: the rows
they COPY and derive are consistent, the indexes they drop come back, and the id sequences are moved
past the copied rows so the application's own inserts still work afterwards. PostgreSQL only (COPY,
VACUUM: a transactional test)."""

import datetime

import pytest
from django.db import connection

from tests.factories import make_incident

# Skipped before any database set-up on other backends: a serialized rollback on SQLite re-inserts the
# role groups that the flush's post_migrate already re-created.
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark seeders use PostgreSQL COPY"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _indexes(prefix: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename LIKE %s", [prefix + "%"])
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def seeded_base(demo):
    """The demo data (committed: this is a transactional test), from the run's snapshot."""


def test_incident_seeder(seeded_base, capsys):
    from incidents import services
    from incidents.models import FollowUp, Incident, IncidentTransition
    from tests import bench_incidents

    indexes = _indexes("incidents_")
    before = Incident.objects.count()
    result = bench_incidents.seed(count=60)
    assert "seeded 60 incidents" in capsys.readouterr().out
    assert _indexes("incidents_") == indexes
    seeded = Incident.objects.filter(chronology__startswith=bench_incidents.MARK)
    assert seeded.count() == 60 and result["incidents"] == before + 60
    for incident in seeded.prefetch_related("transitions", "follow_ups"):
        steps = sorted(incident.transitions.all(), key=lambda t: (t.at, t.pk))
        assert steps[0].from_status == "" and steps[-1].to_status == incident.status
        assert all(a.to_status == b.from_status for a, b in zip(steps, steps[1:], strict=False))
        assert incident.history.count() == 1 and incident.history.get().history_type == "+"
        handled = incident.status in ("ditangani", "pemulihan", "selesai")
        assert (1 <= incident.follow_ups.count() <= 3) if handled else not incident.follow_ups.exists()
        assert incident.reference.startswith(f"INS-{incident.region.code}-{incident.occurred_on.year}-")
    assert not IncidentTransition.objects.filter(at__gt=datetime.datetime.now(datetime.UTC)).exists()
    # The sequences and reference counters are past the copied rows: the app's own writes still work.
    incident = make_incident(status="ditangani")
    assert incident.pk > max(seeded.values_list("pk", flat=True))
    assert not Incident.objects.exclude(pk=incident.pk).filter(reference=incident.reference).exists()
    services.follow_up_add(incident=incident, user=incident.reporter, date=incident.occurred_on, kind="koordinasi",
                           institution=None, description="Setelah seeding.", transition="")
    assert FollowUp.objects.filter(incident=incident).count() == 1
    assert bench_incidents.seed(count=60)["reused"] is True


def test_meeting_seeder(seeded_base, capsys, monkeypatch):
    from meetings.models import Attendance, Invitation, Meeting
    from tests import bench_meetings

    monkeypatch.setattr(bench_meetings, "MEETINGS", 12)
    monkeypatch.setattr(bench_meetings, "INVITEES", 4)
    monkeypatch.setattr(bench_meetings, "ACTION_ITEMS", 40)
    monkeypatch.setattr(bench_meetings, "BIG", 7)
    bench_meetings.seed()
    assert "seeded 13 meetings" in capsys.readouterr().out
    seeded = Meeting.objects.filter(description__startswith=bench_meetings.MARK)
    assert seeded.count() == 13
    big = bench_meetings._big_meeting()
    assert big.invitations.count() == 7
    for meeting in seeded.exclude(pk=big.pk):
        assert meeting.invitations.count() == 4
        attended = Attendance.objects.filter(invitation__meeting=meeting).count()
        assert attended == (4 if meeting.status == "selesai" else 0)
        assert meeting.history.count() == 1
    # Sequences moved on: a new invitation gets a fresh id.
    invitation = Invitation.objects.create(meeting=big, guest_name="Tamu setelah seeding", source="tamu")
    assert invitation.pk > max(Invitation.objects.exclude(pk=invitation.pk).values_list("pk", flat=True))
