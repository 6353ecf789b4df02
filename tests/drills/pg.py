"""A throwaway PostgreSQL cluster for fault drills: initdb + pg_ctl from /usr/lib/postgresql/*/bin in a
temporary folder on a free loopback port (as the ``postgres`` system user when the suite runs as root).
The shared PostgreSQL on 5432 is never touched."""

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from glob import glob
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable  # the interpreter running the suite (its venv has gunicorn)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin() -> Path | None:
    found = sorted(glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


class ThrowawayPostgres:
    """One PostgreSQL cluster in a temp folder on 127.0.0.1:<port>, trust auth, user ``postgres``."""

    def __init__(self):
        self.bin = pg_bin()
        self.port = free_port()
        assert self.port != 5432
        self.dir = Path(tempfile.mkdtemp(prefix="kesbang-drill-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.as_user = None
        if os.geteuid() == 0:  # initdb refuses root: run the server as the postgres system user
            self.as_user = "postgres"
            entry = pwd.getpwnam("postgres")
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)

    def run(self, *args, check=True, timeout=60):
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_user:
            cmd = ["runuser", "-u", self.as_user, "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=timeout)

    def init(self):
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--locale=C.UTF-8", "--no-sync")
        return self

    def start(self):
        opts = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off")
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", opts, "-w", "-t", "30", "start")

    def stop(self):
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop", check=False)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def sql(self, statement: str, db: str = "postgres"):
        self.run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db, "-v",
                 "ON_ERROR_STOP=1", "-c", statement)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def drill_env(database_url: str, media: Path, **extra) -> dict:
    """A production-like environment (DEBUG off) for manage.py and gunicorn against ``database_url``."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "kesbang.settings_test",  # real settings, test-only secret, no .env
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",
        "PRIVATE_MEDIA_ROOT": str(media),
        "AXES_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def poll_until(predicate, timeout=20.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except Exception:  # noqa: BLE001, S110 - polling a process that is still starting
            pass
        time.sleep(interval)
    return False
