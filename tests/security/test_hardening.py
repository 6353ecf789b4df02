"""Headers and CSP, deploy checks under production settings, idle session expiry, login throttling
and the audit log of logins, failures, lockouts and denied pages."""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from kesbang.accounts.models import AuditEvent
from kesbang.accounts.security import LAST_SEEN_KEY, STARTED_KEY
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parents[2]


def test_security_headers_and_csp_without_unsafe_inline(client, staf_provinsi):
    client.force_login(staf_provinsi)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                      "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'"):
        assert directive in csp, directive
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]
    login_page = Client().get(reverse("login"))
    assert "unsafe-inline" not in login_page["Content-Security-Policy"]


def test_pages_have_no_inline_script_or_style(client, admin_user):
    """What the CSP would block: inline <script> code, <style> blocks, style=/on*= attributes."""
    import re

    client.force_login(admin_user)
    offenders = []
    for url in ("/", "/tim/", "/tim/orang/", "/tim/anggota/", "/tim/rencana-aksi/", reverse("otp_status"),
                "/insiden/", "/insiden/peta/", "/insiden/lapor/", "/rapat/", "/rapat/kalender/", "/rapat/baru/",
                "/akun/password_change/", "/lapor/", "/lapor/status/", "/lapor/privasi/",
                "/insiden/laporan-masyarakat/",
                "/admin/", "/admin/teams/team/", "/admin/teams/team/add/", "/admin/kesbang/auditevent/"):
        html = client.get(url).content.decode()
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", html):
            offenders.append(f"{url}: inline <script>")
        if re.search(r"<style\b", html):
            offenders.append(f"{url}: <style> block")
        if re.search(r"\sstyle=\"", html):
            offenders.append(f"{url}: style= attribute")
        if re.search(r"\son[a-z]+=\"", html):
            offenders.append(f"{url}: on…= handler")
    assert not offenders, offenders


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kesbang.settings",
        "DJANGO_READ_DOT_ENV": "0",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "kesbang.babelprov.go.id",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://kesbang.babelprov.go.id",
        "DJANGO_SECURE_HTTPS": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "media"),
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/6",
        "EMAIL_URL": "smtp://127.0.0.1:25",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_session_ends_after_inactivity(client, staf_provinsi, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(staf_provinsi)
    assert client.get("/tim/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/tim/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    page = client.get(response["Location"])
    assert "Sesi Anda berakhir karena tidak aktif" in page.content.decode()
    assert client.get("/tim/").status_code == 302  # logged out for good
    assert AuditEvent.objects.filter(kind="session_expired", user=staf_provinsi).exists()


def test_active_session_is_kept_and_cookie_age_is_the_idle_time(client, staf_provinsi, settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 == 30 * 60
    client.force_login(staf_provinsi)
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/tim/").status_code == 200
    assert int(client.session[LAST_SEEN_KEY]) >= int(time.time()) - 5  # refreshed


def test_session_ends_a_fixed_time_after_login_however_active(client, staf_provinsi, settings):
    assert settings.SESSION_ABSOLUTE_HOURS == 12
    settings.SESSION_ABSOLUTE_HOURS = 8
    client.force_login(staf_provinsi)
    assert abs(int(client.session[STARTED_KEY]) - time.time()) < 5  # written at login
    session = client.session
    session[STARTED_KEY] = int(time.time()) - 8 * 3600 + 60  # active, and a minute before the limit
    session.save()
    assert client.get("/tim/").status_code == 200
    session = client.session
    session[STARTED_KEY] = int(time.time()) - 8 * 3600 - 1
    session.save()
    response = client.get("/tim/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    page = client.get(response["Location"])
    assert "Sesi Anda berakhir karena sudah 8 jam sejak Anda masuk" in page.content.decode()
    assert client.get("/tim/").status_code == 302  # logged out for good
    event = AuditEvent.objects.get(kind="session_max_age", user=staf_provinsi)
    assert "8 jam" in event.detail


def test_a_session_from_before_the_lifetime_limit_starts_counting_now(client, staf_provinsi):
    client.force_login(staf_provinsi)
    session = client.session
    del session[STARTED_KEY]
    session.save()
    assert client.get("/tim/").status_code == 200
    assert abs(int(client.session[STARTED_KEY]) - time.time()) < 5


def test_lockout_after_repeated_failures_with_clear_message_and_audit(settings, staf_provinsi):
    settings.AXES_ENABLED = True
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": staf_provinsi.username, "password": "salah"})
    locked = client.post(reverse("login"), {"username": staf_provinsi.username, "password": PASSWORD})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Akun dikunci sementara" in html and "Terlalu banyak percobaan masuk yang gagal" in html
    failed = AuditEvent.objects.filter(kind="login_failed", username=staf_provinsi.username)
    assert failed.count() >= settings.AXES_FAILURE_LIMIT
    assert failed.first().ip_address == "127.0.0.1"
    assert AuditEvent.objects.filter(kind="locked_out", username=staf_provinsi.username).exists()
    assert not AuditEvent.objects.filter(kind="login", username=staf_provinsi.username).exists()


def test_audit_log_of_login_logout_and_denied_pages(settings, staf_bangka, no_role_user):
    settings.AXES_ENABLED = False
    client = Client()
    client.post(reverse("login"), {"username": staf_bangka.username, "password": PASSWORD})
    assert AuditEvent.objects.filter(kind="login", user=staf_bangka).exists()
    assert client.get(reverse("teams:person_create")).status_code == 200
    denied = Client()
    denied.force_login(no_role_user)
    assert denied.get("/tim/").status_code == 403
    event = AuditEvent.objects.get(kind="denied", user=no_role_user)
    assert event.path == "/tim/" and event.method == "GET"
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(kind="logout", user=staf_bangka).exists()


def test_audit_log_is_read_only_in_the_admin(client, admin_user):
    AuditEvent.objects.create(kind="login", username="seseorang")
    event = AuditEvent.objects.get(username="seseorang")
    client.force_login(admin_user)
    listing = client.get("/admin/kesbang/auditevent/")
    assert listing.status_code == 200 and "seseorang" in listing.content.decode()
    assert client.get(f"/admin/kesbang/auditevent/{event.pk}/change/").status_code == 200  # view only
    assert client.post(f"/admin/kesbang/auditevent/{event.pk}/change/", {"kind": "logout"}).status_code == 403
    assert client.get("/admin/kesbang/auditevent/add/").status_code == 403
    assert client.post(f"/admin/kesbang/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.kind == "login"
