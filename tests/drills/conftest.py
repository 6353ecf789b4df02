"""Fault drills with real processes: a throwaway redis-server on a free loopback port (never the
shared one on 6379), a real Celery worker process (``tests.drills.worker``: the project's worker with
compressed retry and visibility times) on production settings, a real SMTP server (aiosmtpd) on
loopback, and the test's PostgreSQL database shared between the test and the worker.

Locally a drill skips when redis-server or PostgreSQL is missing; with KESBANG_REQUIRE_SERVICES=1 it fails.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import require
from tests.drills import pg

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, *, timeout: float = 30, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class ThrowawayRedis:
    """redis-server without persistence on 127.0.0.1:<free port>; restart() loses every message."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.proc = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redis

        self.log = open(self.folder / f"redis-{self.port}.log", "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=self.log, stderr=subprocess.STDOUT)
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1)

        def up():
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_until(up, timeout=15, what="redis-server")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()  # like a crash: nothing saved
            self.proc.wait(timeout=10)
        if self.proc:
            self.log.close()
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port)


@pytest.fixture
def drill_redis(tmp_path):
    require(bool(REDIS_SERVER), "redis-server is not installed (apt-get install redis-server)")
    server = ThrowawayRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def shared_db(transactional_db):
    """The drill's rows are committed, so the worker process sees them (PostgreSQL only)."""
    require(connection.vendor == "postgresql", "the drills share the database with a worker process: PostgreSQL")
    return connection.settings_dict


def database_url(settings_dict) -> str:
    user = urllib.parse.quote(settings_dict.get("USER") or "postgres")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{urllib.parse.quote(password)}@" if password else f"{user}@"
    return f"postgres://{auth}{settings_dict.get('HOST') or '127.0.0.1'}:{settings_dict.get('PORT') or 5432}/" \
           f"{settings_dict['NAME']}"


class Worker:
    """A real worker process (prefork, one pool process) started and stopped by the drill."""

    def __init__(self, *, broker_url: str, db_url: str, log_path: Path, smtp_port: int | None = None,
                 queue: str | None = None, extra_env: dict | None = None):
        self.broker_url = broker_url
        self.db_url = db_url
        self.log_path = log_path
        self.smtp_port = smtp_port
        self.queue = queue  # None: every queue (kesbang/queues.py), as a worker started without -Q
        self.extra_env = extra_env or {}
        self.proc = None

    def env(self) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "kesbang.settings",
            "DJANGO_READ_DOT_ENV": "0",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "drill-only-secret-key-that-is-long-enough-0123456789-abcdefghijkl",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": self.db_url,
            "CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_RESULT_BACKEND": self.broker_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port or free_port()}",
            "EMAIL_TIMEOUT": "3",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        return env

    def start(self) -> None:
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.drills.worker", "-P", "prefork", "-c", "1", "-l", "info",
             "--without-heartbeat", "--without-mingle", "--without-gossip", "-n", f"drill-{free_port()}@%h",
             *(["-Q", self.queue] if self.queue else [])],
            cwd=ROOT, env=self.env(), stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until(lambda: "ready." in self.text() or self.proc.poll() is not None, timeout=60, what="worker ready")
        assert self.proc.poll() is None, f"worker exited:\n{self.text()[-3000:]}"

    def text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL to the whole worker (main process and pool): no warm shutdown, no message returned."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc:
            self.log.close()
        self.proc = None


@pytest.fixture
def drill_worker(shared_db, drill_redis, tmp_path):
    """A factory: ``drill_worker(smtp_port=..., queue="urgent")`` starts a worker (on one queue, or on
    all three without ``queue``); all are stopped after the test."""
    started = []

    def start(*, smtp_port: int | None = None, log_name: str = "worker.log", queue: str | None = None,
              extra_env: dict | None = None) -> Worker:
        worker = Worker(broker_url=drill_redis.url, db_url=database_url(shared_db), log_path=tmp_path / log_name,
                        smtp_port=smtp_port, queue=queue, extra_env=extra_env)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def send(broker_url: str, name: str, **kwargs) -> None:
    """Enqueue a task by name on the drill's broker (as beat or a view's on_commit would)."""
    from kesbang.celery import app

    with app.connection_for_write(url=broker_url) as conn:
        app.send_task(name, kwargs=kwargs, connection=conn)


# --- throwaway PostgreSQL (tests/drills/pg.py): the PostgreSQL restart and backup drills ----------

@pytest.fixture(scope="session")
def throwaway_pg():
    require(pg.pg_bin() is not None, "PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed")
    require(os.geteuid() != 0 or pg.has_user("postgres"), "running as root without a postgres system user")
    cluster = pg.ThrowawayPostgres().init()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.cleanup()


@pytest.fixture(scope="session")
def migrated_template(throwaway_pg, tmp_path_factory):
    """A migrated database used as TEMPLATE for each drill's own database (migrate runs once)."""
    throwaway_pg.sql("CREATE DATABASE kesbang_template")
    env = pg.drill_env(throwaway_pg.url("kesbang_template"), tmp_path_factory.mktemp("media-template"))
    result = subprocess.run([pg.PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=pg.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return "kesbang_template"


