"""Claim-before-send (core ``deliver``) on a concrete Delivery model (teams' PlanReminderLog)."""

import datetime

import pytest
from django.utils import timezone

from kesbang.core.delivery import deliver, pending
from teams.models import PlanReminderLog
from tests.factories import ActionPlanFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def key():
    return {"plan": ActionPlanFactory(), "period": "B04", "institution": InstitutionFactory(), "days_before": 14}


def test_sends_once_per_key(key):
    sent = []
    assert deliver(PlanReminderLog, key=key, send=sent.append, recipient="a@example.go.id") is True
    assert deliver(PlanReminderLog, key=key, send=sent.append) is False
    row = PlanReminderLog.objects.get()
    assert len(sent) == 1 and row.status == "sent" and row.sent_at and row.attempts == 1
    assert row.recipient == "a@example.go.id"


def test_a_failed_send_is_recorded_and_retried(key):
    def fail(row):
        raise ConnectionRefusedError("SMTP tidak menjawab")

    with pytest.raises(ConnectionRefusedError):
        deliver(PlanReminderLog, key=key, send=fail)
    row = PlanReminderLog.objects.get()
    assert row.status == "pending" and row.attempts == 1 and "SMTP" in row.last_error and row.claimed_at is None
    assert list(pending(PlanReminderLog)) == [row]
    assert deliver(PlanReminderLog, key=key, send=lambda row: None) is True
    assert not pending(PlanReminderLog).exists()


def test_a_fresh_claim_by_another_worker_is_left_alone_a_stale_one_is_taken(key):
    row = PlanReminderLog.objects.create(**key, claimed_at=timezone.now())
    assert deliver(PlanReminderLog, key=key, send=lambda r: None) is False  # another worker is on it
    PlanReminderLog.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - datetime.timedelta(hours=1))
    assert deliver(PlanReminderLog, key=key, send=lambda r: None) is True


def test_gives_up_after_max_attempts(key):
    def fail(row):
        raise OSError("down")

    for _ in range(2):
        with pytest.raises(OSError):
            deliver(PlanReminderLog, key=key, send=fail, max_attempts=2)
    assert PlanReminderLog.objects.get().status == "failed"
    assert not pending(PlanReminderLog).exists()
