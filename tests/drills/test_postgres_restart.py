"""Drill: PostgreSQL restarted under a running gunicorn. While it is down, pages answer the Indonesian
500 page (never a traceback) and /healthz/ says 503; once it is back, the same gunicorn serves pages
again (CONN_HEALTH_CHECKS), without a restart."""

import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.drills.pg import BASE_DIR, PYTHON, drill_env, free_port
from tests.drills.pg import poll_until as wait_until

pytestmark = pytest.mark.drill
PASSWORD = "sandi-latihan-gangguan-1"
OTP_KEY = "3132333435363738393031323334353637383930"  # Staf Provinsi must use two-factor: a known secret
CREATE_USER = (
    "from teams.services import account_create; "
    "from django_otp.plugins.otp_totp.models import TOTPDevice; "
    f"u = account_create(username='staf.latihan', password='{PASSWORD}', role='Staf Provinsi'); "
    f"TOTPDevice.objects.create(user=u, name='latihan', key='{OTP_KEY}')"
)


@pytest.fixture
def web(throwaway_pg, migrated_template, tmp_path):
    throwaway_pg.sql(f"CREATE DATABASE kesbang_pgdrill TEMPLATE {migrated_template}")
    env = drill_env(throwaway_pg.url("kesbang_pgdrill"), tmp_path / "media")
    made = subprocess.run([PYTHON, "manage.py", "shell", "-c", CREATE_USER], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "kesbang.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", "1", "--timeout", "30", "--graceful-timeout", "2"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: requests.get(base + "/healthz/", timeout=3).status_code == 200, timeout=40), (
            (tmp_path / "gunicorn.log").read_text()
        )
        yield base, server, tmp_path / "gunicorn.log"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        throwaway_pg.start() if not _running(throwaway_pg) else None
        throwaway_pg.sql("DROP DATABASE IF EXISTS kesbang_pgdrill WITH (FORCE)")


def _running(cluster) -> bool:
    return cluster.run("pg_ctl", "-D", str(cluster.data), "status", check=False).returncode == 0


def login(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/akun/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    done = session.post(base + "/akun/login/", timeout=10, allow_redirects=False,
                        data={"csrfmiddlewaretoken": token, "username": "staf.latihan", "password": PASSWORD})
    assert done.status_code == 302, done.text[:500]
    from django_otp.oath import totp

    page = session.get(base + "/akun/dua-langkah/verifikasi/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    verified = session.post(base + "/akun/dua-langkah/verifikasi/", timeout=10, allow_redirects=False,
                            headers={"Referer": base + "/akun/dua-langkah/verifikasi/"},
                            data={"csrfmiddlewaretoken": token, "token": f"{totp(bytes.fromhex(OTP_KEY)):06d}"})
    assert verified.status_code == 302, verified.text[:500]
    return session


def test_postgres_restart_under_the_web_server(throwaway_pg, web):
    base, server, log = web
    session = login(base)
    assert session.get(base + "/tim/", timeout=10).status_code == 200

    throwaway_pg.stop()
    for path in ("/tim/", "/", "/tim/orang/"):
        down = session.get(base + path, timeout=15)
        assert down.status_code == 500, (path, down.status_code)
        assert "Terjadi gangguan pada server" in down.text
        assert "Traceback" not in down.text and "OperationalError" not in down.text and "psycopg" not in down.text
    health = requests.get(base + "/healthz/", timeout=15)
    assert health.status_code == 503 and health.json()["checks"]["database"]["ok"] is False
    assert server.poll() is None, "gunicorn died while the database was down"

    started = time.monotonic()
    throwaway_pg.start()
    assert wait_until(lambda: session.get(base + "/tim/", timeout=10).status_code == 200, timeout=20), (
        log.read_text()[-3000:]
    )
    recovered_in = time.monotonic() - started
    assert server.poll() is None  # the same gunicorn: no restart was needed
    assert session.get(base + "/", timeout=10).status_code == 200  # and the session survived
    assert recovered_in < 20
