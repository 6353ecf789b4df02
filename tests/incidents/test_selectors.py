"""User-free selectors the office layer reads (dashboard, weekly summary, reports)."""

import datetime

import pytest

from incidents import selectors, services
from incidents.models import Incident
from tests.factories import make_incident

pytestmark = pytest.mark.django_db
D = datetime.date


def test_stats_counts_and_lists(staf_provinsi):
    a = make_incident(region_code="19.01", kind="peristiwa", severity="kritis", killed=1, injured=3, displaced=20,
                      estimated_loss=5_000_000, occurred_on=D(2026, 3, 1))
    make_incident(region_code="19.02", severity="rendah", occurred_on=D(2026, 3, 2), status="selesai")
    make_incident(region_code="19.02", status="ditolak", occurred_on=D(2026, 3, 3))
    make_incident(region_code="19.01", status="draf", occurred_on=D(2026, 3, 3))
    make_incident(region_code="19.01", occurred_on=D(2025, 1, 1))
    qs = Incident.objects.all()
    stats = selectors.incident_stats(qs, D(2026, 3, 1), D(2026, 3, 31))
    assert (stats.total, stats.peristiwa, stats.potensi, stats.open, stats.closed, stats.rejected) == (3, 1, 2, 1, 1, 1)
    assert (stats.killed, stats.injured, stats.displaced, stats.victims, stats.high_severity) == (1, 3, 20, 4, 1)
    assert stats.estimated_loss == 5_000_000
    assert selectors.counts_by_region(qs.exclude(status="draf")) == [
        ("19.01", "Kabupaten Bangka", 2), ("19.02", "Kabupaten Belitung", 2)]
    assert selectors.counts_by(qs, "severity")["kritis"] == 1
    assert list(selectors.open_incidents(qs))[0] == a
    assert [i.status for i in selectors.awaiting_verification(qs)] == ["dilaporkan", "dilaporkan"]
    peristiwa = make_incident(kind="peristiwa", status="ditangani")
    services.conflict_status_declare(incident=peristiwa, user=staf_provinsi, scale="kabkota", decree_number="1",
                                     decree_date=D(2026, 3, 1), start_date=D(2026, 3, 2), end_date=D(2026, 4, 1))
    assert selectors.active_conflict_statuses(D(2026, 3, 15)).count() == 1
    assert selectors.active_conflict_statuses(D(2026, 4, 2)).count() == 0
    assert selectors.conflict_statuses_ending(D(2026, 3, 18), 14).count() == 1
