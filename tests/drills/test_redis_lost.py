"""Drill: Redis (a throwaway server, never the shared one) restarts and loses every queued message.
Nothing depends on a message surviving: the sweepers (the daily reminder run, which catches up a
missed day) re-send what is due from the database, each once."""

import datetime

import pytest
from aiosmtpd.controller import Controller

from kesbang.queues import queue_of
from teams.models import PlanReminderLog
from tests.drills.conftest import free_port, send, wait_until
from tests.drills.test_smtp_outage import H14, Mailbox, reminder_plan, sent_reminders

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_queued_reminders_lost_with_redis_are_sent_by_the_next_sweep_once(drill_redis, drill_worker):
    reminder_plan()
    # The beat enqueues H-14's run while no worker is up; then Redis restarts without persistence.
    send(drill_redis.url, "teams.tasks.action_plan_reminders_send", today=H14.isoformat())
    queue = queue_of("teams.tasks.action_plan_reminders_send")  # the urgent queue (kesbang/queues.py)
    assert drill_redis.client().llen(queue) == 1
    drill_redis.restart()
    assert drill_redis.client().llen(queue) == 0  # the message is gone

    mailbox = Mailbox()
    smtp_port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        worker = drill_worker(smtp_port=smtp_port)
        assert PlanReminderLog.objects.filter(status="sent").count() == 0
        # The next day's beat run catches the lost day up, once.
        send(drill_redis.url, "teams.tasks.action_plan_reminders_send",
             today=(H14 + datetime.timedelta(days=1)).isoformat())
        wait_until(lambda: sent_reminders() == 2 and len(mailbox.messages) == 2, timeout=45,
                   what="the lost reminders re-sent by the next run")
        send(drill_redis.url, "teams.tasks.action_plan_reminders_send",
             today=(H14 + datetime.timedelta(days=2)).isoformat())
        wait_until(lambda: worker.text().count("succeeded in") >= 2, timeout=45, what="the day after")
        assert len(mailbox.messages) == 2
        assert set(PlanReminderLog.objects.filter(status="sent").values_list("days_before", flat=True)) == {14}
    finally:
        controller.stop()


def test_an_alert_lost_with_redis_is_sent_by_the_sweeper_once(drill_redis, drill_worker, monkeypatch):
    """An early-warning alert is enqueued on commit; Redis restarts before a worker takes it. No delivery
    row exists yet, so only the sweeper (beat, every 10 minutes) can know: it finds the incident and the
    alert goes out, once; the next sweep sends nothing."""
    from django.utils import timezone

    from incidents.models import IncidentAlert
    from tests.drills.test_smtp_outage import _no_enqueue, incident_alert_setup

    with monkeypatch.context() as m:
        _no_enqueue(m)
        incident = incident_alert_setup()
    send(drill_redis.url, "incidents.tasks.incident_alert_send", incident_id=incident.pk)
    drill_redis.restart()
    assert drill_redis.client().llen(queue_of("incidents.tasks.incident_alert_send")) == 0

    mailbox = Mailbox()
    smtp_port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        worker = drill_worker(smtp_port=smtp_port)
        at = (timezone.now() + datetime.timedelta(minutes=6)).isoformat()  # the next beat tick
        send(drill_redis.url, "incidents.tasks.incident_alerts_sweep", at=at)
        wait_until(lambda: IncidentAlert.objects.filter(status="sent").count() == 3 and len(mailbox.messages) == 3,
                   timeout=45, what="the lost alert sent by the sweeper")
        send(drill_redis.url, "incidents.tasks.incident_alerts_sweep", at=at)
        wait_until(lambda: worker.text().count("succeeded in") >= 3, timeout=45, what="the second sweep")
        assert len(mailbox.messages) == 3
        assert sorted(a.addr_spec for m in mailbox.messages for a in m["To"].addresses) == [
            "ketua.belitung@example.go.id", "sekretaris.belitung@example.go.id", "staf.provinsi@kesbangpol.example"]
    finally:
        controller.stop()
