"""Drill: Redis (a throwaway server, never the shared one) restarts and loses every queued message.
Nothing depends on a message surviving: the sweepers (the daily reminder run, which catches up a
missed day) re-send what is due from the database, each once."""

import datetime

import pytest
from aiosmtpd.controller import Controller

from teams.models import PlanReminderLog
from tests.drills.conftest import free_port, send, wait_until
from tests.drills.test_smtp_outage import H14, Mailbox, reminder_plan

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_queued_reminders_lost_with_redis_are_sent_by_the_next_sweep_once(drill_redis, drill_worker):
    reminder_plan()
    # The beat enqueues H-14's run while no worker is up; then Redis restarts without persistence.
    send(drill_redis.url, "teams.tasks.action_plan_reminders_send", today=H14.isoformat())
    assert drill_redis.client().llen("celery") == 1
    drill_redis.restart()
    assert drill_redis.client().llen("celery") == 0  # the message is gone

    mailbox = Mailbox()
    smtp_port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        worker = drill_worker(smtp_port=smtp_port)
        assert PlanReminderLog.objects.count() == 0
        # The next day's beat run catches the lost day up, once.
        send(drill_redis.url, "teams.tasks.action_plan_reminders_send",
             today=(H14 + datetime.timedelta(days=1)).isoformat())
        wait_until(lambda: PlanReminderLog.objects.count() == 2 and len(mailbox.messages) == 2, timeout=45,
                   what="the lost reminders re-sent by the next run")
        send(drill_redis.url, "teams.tasks.action_plan_reminders_send",
             today=(H14 + datetime.timedelta(days=2)).isoformat())
        wait_until(lambda: worker.text().count("succeeded in") >= 2, timeout=45, what="the day after")
        assert len(mailbox.messages) == 2
        assert set(PlanReminderLog.objects.values_list("days_before", flat=True)) == {14}
    finally:
        controller.stop()
