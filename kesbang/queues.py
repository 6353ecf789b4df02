"""The three Celery queues, which task goes on which, and each queue's time limits (the one place).

- ``urgent``: what a person waits on: early-warning alerts (and their sweeper), meeting invitations,
  changes and cancellations, reminders (action plans, meetings, Status Keadaan Konflik), the heartbeat.
  Short limits: a stuck task must not hold the worker an alert needs.
- ``routine``: the rest of the mail (verification digest, weekly summary, report emails), webhooks,
  retention and the sweepers/planners that only enqueue.
- ``heavy``: report builds and national package builds: minutes of CPU and memory each.

Each queue has its own worker (Procfile, Procfile.dev, deploy/kesbang-worker@.service), so four
report builds never stand in front of an alert. ``settings`` builds ``CELERY_TASK_ROUTES``,
``CELERY_TASK_QUEUES`` and ``CELERY_TASK_ANNOTATIONS`` from ``ROUTES`` and ``LIMITS``; a task missing
here fails ``tests/kesbang/test_queues.py``. No Django import: settings import this module.
"""

from __future__ import annotations

from dataclasses import dataclass

URGENT = "urgent"
ROUTINE = "routine"
HEAVY = "heavy"
QUEUES = (URGENT, ROUTINE, HEAVY)
DEFAULT_QUEUE = ROUTINE  # where a task nobody routed would go (the test makes sure none is)


@dataclass(frozen=True)
class Limits:
    """A queue's ceiling: a task's own (decorator) limit stays when it is shorter."""

    soft_time_limit: int
    time_limit: int


LIMITS = {
    URGENT: Limits(soft_time_limit=150, time_limit=180),
    ROUTINE: Limits(soft_time_limit=5 * 60, time_limit=6 * 60),
    # Under the Redis visibility timeout (1 h), else a build still running would be delivered again.
    HEAVY: Limits(soft_time_limit=25 * 60, time_limit=30 * 60),
}

# CPU priority (nice) of each queue's worker where web and workers share cores: a report build takes
# a core for seconds to minutes, a page and an alert take milliseconds. With the heavy worker at the
# same priority as gunicorn, the kernel shares the cores equally and every page waits behind the
# build; at nice 10 it gets a core only when pages and mail leave one idle (the build still finishes,
# later). Procfile, Procfile.dev, deploy/kesbang-worker@heavy.service.d/ and the load test use these.
#
# A process' nice only ranks it within its scheduling group. With the kernel's autogroup scheduling (on
# by default in Debian) every session is a group, and honcho, the load test and systemd start each
# worker in a session of its own: `nice -n 10` alone left the heavy worker 80 of a load test's 240 CPU
# seconds beside gunicorn's 94 (4 December 2026). So the Procfiles also set the session's own nice
# (/proc/self/autogroup; the load test does the same), and the systemd drop-ins set the service's
# cgroup weight (CPUWeight, default 100: the cgroup v2 equivalent of these nice values).
NICE = {URGENT: 0, ROUTINE: 5, HEAVY: 10}
CPU_WEIGHT = {URGENT: 100, ROUTINE: 30, HEAVY: 10}

ROUTES: dict[str, str] = {
    # urgent
    "incidents.tasks.incident_alert_send": URGENT,
    "incidents.tasks.incident_alerts_sweep": URGENT,
    "incidents.tasks.conflict_status_reminders_send": URGENT,
    "meetings.tasks.meeting_invitations_send": URGENT,
    "meetings.tasks.meeting_change_notify": URGENT,
    "meetings.tasks.meeting_cancel_notify": URGENT,
    "meetings.tasks.meeting_reminders_send": URGENT,
    "teams.tasks.action_plan_reminders_send": URGENT,
    "kesbang.tasks.heartbeat": URGENT,
    # routine
    "incidents.tasks.verification_digest_send": ROUTINE,
    "incidents.tasks.public_report_retention": ROUTINE,
    "kesbang.tasks.weekly_summary_plan": ROUTINE,
    "kesbang.tasks.weekly_summary_send": ROUTINE,
    "kesbang.tasks.deliveries_sweep": ROUTINE,
    "kesbang.tasks.report_send": ROUTINE,
    "kesbang.tasks.report_send_one": ROUTINE,
    "kesbang.tasks.reports_resume_stuck": ROUTINE,
    "kesbang.tasks.reports_schedule_due": ROUTINE,
    "kesbang.integrations.tasks.webhook_event_dispatch": ROUTINE,
    "kesbang.integrations.tasks.webhook_deliver": ROUTINE,
    "kesbang.integrations.tasks.webhooks_sweep": ROUTINE,
    "kesbang.integrations.tasks.packages_resume_stuck": ROUTINE,
    # heavy
    "kesbang.tasks.report_generate": HEAVY,
    "kesbang.integrations.tasks.package_build": HEAVY,
}


def queue_of(task_name: str) -> str:
    return ROUTES.get(task_name, DEFAULT_QUEUE)


def task_routes() -> dict[str, dict]:
    """``CELERY_TASK_ROUTES``."""
    return {name: {"queue": queue} for name, queue in ROUTES.items()}


class QueueLimits:
    """A Celery task annotation (``CELERY_TASK_ANNOTATIONS``): each task gets its queue's limits, or
    its own when they are shorter. Applied when the task is bound to the app, in every process."""

    def annotate(self, task) -> dict:
        ceiling = LIMITS[queue_of(task.name)]
        own_soft, own_hard = getattr(task, "soft_time_limit", None), getattr(task, "time_limit", None)
        return {
            "soft_time_limit": min(own_soft or ceiling.soft_time_limit, ceiling.soft_time_limit),
            "time_limit": min(own_hard or ceiling.time_limit, ceiling.time_limit),
        }
