"""Reports built slowly, from the test side (production code has no pause): a browser test sees the
progress bar between 0 and 100, a worker test kills the worker mid-build.

In the test process: ``monkeypatch.setattr(services, "build_sections", slow_build_sections(0.5))``.
As a Celery app: ``celery -A tests.office.slow_report worker ...`` is the project's app with every
report section followed by ``TEST_REPORT_SECTION_PAUSE`` seconds (default 1.5).
"""

import os
import time


def slow_build_sections(pause: float, build_sections=None):
    """``build_sections`` pausing ``pause`` seconds after each section (through its ``on_step``)."""
    if build_sections is None:
        from kesbang.office.reports import services

        build_sections = services.build_sections

    def build(report, *, on_step=None):
        def step(i, total, key):
            if i:
                time.sleep(pause)  # after the previous section, before reporting the next
            if on_step:
                on_step(i, total, key)

        sections = build_sections(report, on_step=step)
        time.sleep(pause)
        return sections

    return build


def _celery_app():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesbang.settings_test")
    django.setup()
    from kesbang.celery import app as celery_app
    from kesbang.office.reports import services

    services.build_sections = slow_build_sections(float(os.environ.get("TEST_REPORT_SECTION_PAUSE", "1.5")))
    return celery_app


if os.environ.get("TEST_REPORT_SECTION_PAUSE"):  # started as a worker (-A tests.office.slow_report)
    app = _celery_app()
