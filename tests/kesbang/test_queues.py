"""Every task of the project goes to one of the three queues (kesbang/queues.py), with that queue's
time limits, and every queue has a worker wherever the project starts workers."""

import re
from pathlib import Path

import pytest

from kesbang import queues
from kesbang.celery import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def project_tasks() -> dict:
    """The registered tasks of the project's apps (what a worker started with ``-A kesbang`` knows)."""
    app.loader.import_default_modules()
    return {
        name: task
        for name, task in app.tasks.items()
        if not name.startswith("celery.") and not task.__module__.startswith("tests.")
    }


def test_every_task_is_routed_to_one_of_the_three_queues(project_tasks):
    assert len(project_tasks) >= 20
    unrouted = sorted(set(project_tasks) - set(queues.ROUTES))
    assert not unrouted, f"add these tasks to kesbang/queues.py ROUTES: {unrouted}"
    stale = sorted(set(queues.ROUTES) - set(project_tasks))
    assert not stale, f"ROUTES names tasks that no longer exist: {stale}"
    for name in project_tasks:
        queue = app.amqp.router.route({}, name)["queue"].name
        assert queue in queues.QUEUES and queue == queues.ROUTES[name], name
        # django-celery-beat sends a periodic task without a queue of its own as queue=None.
        assert app.amqp.router.route({"queue": None, "expires": 60}, name)["queue"].name == queue, name


def test_what_a_person_waits_on_is_urgent_and_builds_are_heavy():
    route = queues.ROUTES
    for name in (
        "incidents.tasks.incident_alert_send",
        "meetings.tasks.meeting_invitations_send",
        "teams.tasks.action_plan_reminders_send",
        "meetings.tasks.meeting_reminders_send",
    ):
        assert route[name] == queues.URGENT, name
    for name in ("kesbang.tasks.weekly_summary_send", "incidents.tasks.verification_digest_send"):
        assert route[name] == queues.ROUTINE, name
    for name in ("kesbang.tasks.report_generate", "kesbang.integrations.tasks.package_build"):
        assert route[name] == queues.HEAVY, name


def test_each_task_runs_within_its_queue_limits(project_tasks):
    urgent, heavy = queues.LIMITS[queues.URGENT], queues.LIMITS[queues.HEAVY]
    assert urgent.time_limit < heavy.time_limit  # urgent short, heavy long
    for name, task in project_tasks.items():
        ceiling = queues.LIMITS[queues.ROUTES[name]]
        assert 0 < task.soft_time_limit < task.time_limit <= ceiling.time_limit, name
        assert task.soft_time_limit <= ceiling.soft_time_limit, name
    # A meeting's invitations declare 5/6 minutes; on the urgent queue they get its ceiling.
    invitations = project_tasks["meetings.tasks.meeting_invitations_send"]
    assert (invitations.soft_time_limit, invitations.time_limit) == (urgent.soft_time_limit, urgent.time_limit)
    # A shorter limit of the task's own stays (an alert: 2/3 minutes; a report build: 9/10 minutes).
    assert project_tasks["incidents.tasks.incident_alert_send"].time_limit == 180
    assert project_tasks["kesbang.tasks.report_generate"].time_limit == 600
    # Redis gives an unacknowledged message to another worker after the visibility timeout: no
    # task may run longer, or a build still running would start a second time.
    from django.conf import settings

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 60 * 60)
    assert heavy.time_limit < visibility


def test_a_worker_without_q_consumes_all_three_queues():
    # The declared queues (app.amqp.queues also collects queues named at send time, e.g. by tests).
    assert {queue.name for queue in app.conf.task_queues} == set(queues.QUEUES)
    assert app.conf.task_default_queue == queues.DEFAULT_QUEUE in queues.QUEUES


@pytest.mark.parametrize("path", ["Procfile", "Procfile.dev"])
def test_each_queue_has_its_own_worker(path):
    workers = re.findall(r"^(\w+): (?:\{ echo (\d+) > /proc/self/autogroup; \} 2>/dev/null; exec )?"
                         r"(?:nice -n (\d+) )?\S*celery -A kesbang worker -Q (\w+)\b", (ROOT / path).read_text(), re.M)
    assert sorted(queue for _name, _group, _nice, queue in workers) == sorted(queues.QUEUES)
    for name, group, nice, queue in workers:  # each at its queue's CPU priority (kesbang/queues.py NICE),
        # its session's scheduling group too (autogroup: a process' own nice counts only inside it)
        assert name == queue and int(nice or 0) == int(group or 0) == queues.NICE[queue], (name, group, nice, queue)


@pytest.mark.parametrize("queue", ["routine", "heavy"])
def test_the_systemd_drop_in_gives_each_background_queue_its_priority(queue):
    drop_in = (ROOT / "deploy" / f"kesbang-worker@{queue}.service.d" / "nice.conf").read_text()
    assert re.search(rf"^Nice={queues.NICE[queue]}$", drop_in, re.M)
    assert re.search(rf"^CPUWeight={queues.CPU_WEIGHT[queue]}$", drop_in, re.M)


def test_the_systemd_worker_unit_takes_its_queue_from_the_instance():
    unit = (ROOT / "deploy" / "kesbang-worker@.service").read_text()
    assert re.search(r"celery -A kesbang worker -Q %i -n %i@%H", unit)
