"""Drill: the Celery worker is killed with SIGKILL in the middle of a long build. With acks_late and
reject_on_worker_lost (settings), the build is delivered again and completes exactly once.

Two ways to die: the pool process running the task (the worker's main process sees it lost and puts
the message back at once), and the whole worker (nobody acknowledges; Redis hands the message to the
restarted worker after the visibility timeout, compressed to seconds in the drill worker)."""

import os
import signal

import pytest
from django.conf import settings

from tests.drills.conftest import send, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def attempts(folder) -> list[str]:
    path = folder / "attempts"
    return path.read_text().split("\n")[:-1] if path.exists() else []


def test_settings_redeliver_a_task_whose_worker_died():
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_pool_process_killed_mid_build_completes_once(drill_worker, tmp_path):
    folder = tmp_path / "build"
    folder.mkdir()
    worker = drill_worker()
    send(worker.broker_url, "tests.drills.long_build", folder=str(folder), seconds=4)
    first = wait_until(lambda: attempts(folder), timeout=30, what="the build to start")
    os.kill(int(first[0].split()[1]), signal.SIGKILL)  # the pool process, mid-build

    wait_until(lambda: (folder / "done").exists(), timeout=60, what="the build to complete after the kill")
    lines = attempts(folder)
    assert [line.split()[0] for line in lines] == ["start", "start", "done"], lines
    assert "WorkerLostError" in worker.text() or "SIGKILL" in worker.text()


def test_whole_worker_killed_mid_build_completes_once_after_restart(drill_worker, drill_redis, tmp_path):
    folder = tmp_path / "build"
    folder.mkdir()
    worker = drill_worker(log_name="worker-1.log")
    send(worker.broker_url, "tests.drills.long_build", folder=str(folder), seconds=4)
    wait_until(lambda: attempts(folder), timeout=30, what="the build to start")
    worker.kill()  # main process and pool at once: no warm shutdown, the message stays unacknowledged
    assert not (folder / "done").exists()
    assert drill_redis.client().hlen("unacked") == 1  # kept by Redis, not lost

    drill_worker(log_name="worker-2.log")  # restart
    wait_until(lambda: (folder / "done").exists(), timeout=60, what="the build to complete after the restart")
    wait_until(lambda: drill_redis.client().hlen("unacked") == 0, timeout=15, what="the message acknowledged")
    # Built exactly once. (A build longer than the visibility timeout is handed out again while it
    # runs: that extra attempt finds the result there and does nothing, which is why every task
    # claims its result by a unique key.)
    words = [line.split()[0] for line in attempts(folder)]
    assert words.count("done") == 1 and words.count("start") >= 2, words
