"""The Celery worker of the fault drills: the project's real worker (production settings, its task
modules, acks_late and reject_on_worker_lost) with time compressed so a drill runs in seconds:

- automatic retries back off 1-2 s instead of 60 s .. 1 h (same autoretry code path, shorter wait);
- the Redis visibility timeout (after which a message a dead worker had taken is delivered again)
  is ``DRILL_VISIBILITY_TIMEOUT`` seconds (default 4) instead of an hour, swept every second;
- the drill's own long task (``tests.drills.tasks``) is registered too;
- with ``TEST_REPORT_SECTION_PAUSE`` set, report builds pause that long after each section
  (``tests.office.slow_report``), so a drill can keep the heavy worker busy with real builds.

Run: ``python -m tests.drills.worker <celery worker arguments>``.
"""

import os
import sys

import django


def main(argv: list[str]) -> None:
    django.setup()
    from celery.app.autoretry import add_autoretry_behaviour

    from kesbang.celery import app

    app.conf.broker_transport_options = {
        **(app.conf.broker_transport_options or {}),
        "visibility_timeout": int(os.environ.get("DRILL_VISIBILITY_TIMEOUT", "4")),
        "unacked_restore_interval": 1,  # look for such messages every second (default: about 100 s)
        "unacked_restore_throttle": 1,
    }
    app.loader.import_default_modules()
    import tests.drills.tasks  # noqa: F401 - registers the drill task

    if os.environ.get("TEST_REPORT_SECTION_PAUSE"):
        from kesbang.office.reports import services

        build_sections = services.build_sections  # before slow_report's import patches it as well
        from tests.office.slow_report import slow_build_sections

        services.build_sections = slow_build_sections(float(os.environ["TEST_REPORT_SECTION_PAUSE"]), build_sections)

    for task in list(app.tasks.values()):
        if hasattr(task, "_orig_run") and getattr(task, "autoretry_for", None):
            task.run = task._orig_run
            del task._orig_run
            add_autoretry_behaviour(task, retry_backoff=1, retry_backoff_max=2, retry_jitter=False)
    app.worker_main(["worker", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
