"""A real Celery worker process consumes from the configured broker (Redis in CI, the filesystem
transport by default) and returns a task's result."""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from kesbang.office.tasks import heartbeat
from tests.conftest import REQUIRE_SERVICES, require

ROOT = Path(__file__).resolve().parents[2]
CELERY = ROOT / ".venv" / "bin" / "celery"


def _broker_reachable() -> bool:
    from kesbang.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
    except Exception:  # noqa: BLE001 - any failure means the broker is not there
        return False
    return True


def test_ci_uses_redis():
    if not REQUIRE_SERVICES:
        pytest.skip("only enforced with KESBANG_REQUIRE_SERVICES=1")
    assert settings.CELERY_BROKER_URL.startswith("redis://")


@pytest.mark.services
def test_worker_runs_heartbeat(tmp_path):
    if REQUIRE_SERVICES:
        assert settings.CELERY_BROKER_URL.startswith("redis://"), settings.CELERY_BROKER_URL
    require(CELERY.exists() or bool(sys.executable), "celery executable missing")
    require(_broker_reachable(), f"broker {settings.CELERY_BROKER_URL} not reachable")
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kesbang.settings_test"}
    command = [str(CELERY) if CELERY.exists() else sys.executable, *([] if CELERY.exists() else ["-m", "celery"]),
               "-A", "kesbang", "worker", "-P", "solo", "-Q", queue, "--without-heartbeat", "--without-mingle",
               "--without-gossip", "-l", "info", "-n", f"{queue}@%h"]
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            token = uuid.uuid4().hex
            result = heartbeat.apply_async(args=[token], queue=queue)
            try:
                value = result.get(timeout=60)
            except Exception:  # noqa: BLE001 - any failure: show the worker's log
                pytest.fail(f"worker did not answer; its log:\n{log.read_text(errors='replace')[-4000:]}")
            assert value["token"] == token and value["tz"] in ("Asia/Jakarta", "WIB")
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=10)
