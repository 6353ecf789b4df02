"""A real Celery worker builds a report, is killed with SIGKILL mid-way, and the report is redone
once by the next worker (the sweeper's re-enqueue): one archive entry, two attempts, sound files.

Needs PostgreSQL (the worker process and the test share the test database) and a reachable broker."""

import datetime
import hashlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from kesbang.office.models import Report
from kesbang.office.reports import services
from kesbang.office.tasks import report_generate
from tests.conftest import require
from tests.factories import ensure_reference_data, region
from tests.office.office_data import build_office_dataset
from tests.office.test_celery_worker import CELERY, ROOT, _broker_reachable

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _start_worker(queue: str, log: Path, pause: float):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kesbang.settings_test", "DATABASE_URL": _database_url(),
           "PRIVATE_MEDIA_ROOT": str(settings.MEDIA_ROOT), "TEST_REPORT_SECTION_PAUSE": str(pause),
           "REPORT_STALE_SECONDS": "3"}
    command = [str(CELERY) if CELERY.exists() else sys.executable, *([] if CELERY.exists() else ["-m", "celery"]),
               "-A", "tests.office.slow_report", "worker", "-P", "solo", "-Q", queue, "--without-heartbeat",
               "--without-mingle", "--without-gossip", "-l", "info", "-n", f"{queue}-{uuid.uuid4().hex[:4]}@%h"]
    out = open(log, "ab")  # noqa: SIM115 - closed with the process below
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT), out


def _wait(predicate, timeout: float, log: Path, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text(errors='replace')[-4000:]}")


def test_report_task_killed_midway_is_redone_once(tmp_path):
    require(connection.vendor == "postgresql", "needs PostgreSQL shared with the worker (DATABASE_URL)")
    require(_broker_reachable(), f"broker {settings.CELERY_BROKER_URL} not reachable")
    ensure_reference_data()
    build_office_dataset()
    report = services.report_request(kind="caturwulan", period="2026-B08", region=region("19"), enqueue=False)
    queue = f"test-report-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"

    # The first worker pauses after each section so that it is killed mid-way; the second builds at full
    # speed (nothing is waiting for it to be in the middle).
    first, out1 = _start_worker(queue, log, pause=1.5)
    try:
        report_generate.apply_async(args=[report.pk], queue=queue)
        _wait(lambda: Report.objects.filter(pk=report.pk, status="diproses", progress__gte=5).exists(),
              90, log, "the first worker to start the report")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=20)
    finally:
        if first.poll() is None:
            first.kill()
        out1.close()
    killed = Report.objects.get(pk=report.pk)
    assert killed.status == "diproses" and killed.progress < 100 and killed.attempts == 1
    assert not killed.pdf_file

    # The sweeper sees no sign of life for REPORT_STALE_SECONDS and enqueues it again. The worker is
    # dead, so nothing moves progress_at: dating its last sign of life 4 s back is the same as waiting.
    Report.objects.filter(pk=report.pk).update(progress_at=timezone.now() - datetime.timedelta(seconds=4))
    stuck = services.reports_resume_stuck(stale_after=datetime.timedelta(seconds=3))
    assert stuck == [report.pk]
    second, out2 = _start_worker(queue, log, pause=0)
    try:
        for report_id in stuck:
            report_generate.apply_async(args=[report_id], queue=queue)
        report_generate.apply_async(args=[report.pk], queue=queue)  # a duplicate (redelivery): a no-op
        _wait(lambda: Report.objects.filter(pk=report.pk, status="selesai").exists(), 180, log,
              "the second worker to finish the report")
        # Both messages consumed: the re-enqueued one built the report, the duplicate did nothing.
        _wait(lambda: log.read_text(errors="replace").count("] succeeded in") >= 2, 60, log,
              "the duplicate message to be consumed")
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=20)
        except subprocess.TimeoutExpired:
            second.kill()
        out2.close()
    done = Report.objects.get(pk=report.pk)
    assert Report.objects.count() == 1 and done.version == 1
    assert done.attempts == 2 and done.progress == 100
    with done.pdf_file.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == done.pdf_sha256
    with done.xlsx_file.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == done.xlsx_sha256
    files = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert len(files) == 2  # the killed attempt left no half-written archive entry
