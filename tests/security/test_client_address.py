"""The client's address behind the reverse proxy (kesbang.accounts.client_address.client_ip, KESBANG_TRUSTED_PROXIES)
as the login lockout and the audit log see it, and the two lockout limits (kesbang/accounts/lockout.py):
a username+address pair after AXES_FAILURE_LIMIT failures, the username everywhere after the higher
KESBANG_LOCKOUT_USERNAME_LIMIT."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.urls import reverse

from kesbang.accounts.client_address import client_ip, parse_trusted_proxies
from kesbang.accounts.models import AuditEvent
from kesbang.core.uploads import MAX_FILES_PER_REQUEST, max_request_bytes, max_upload_bytes
from tests.factories import PASSWORD

BASE_DIR = Path(__file__).resolve().parents[2]
PROXY = "127.0.0.1"
CLIENT_A = "198.51.100.7"
CLIENT_B = "203.0.113.20"


def ip_of(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


@pytest.fixture
def behind_proxy(settings):
    settings.KESBANG_TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/8"]
    settings.AXES_ENABLED = True
    return settings


def test_no_trusted_proxy_means_remote_addr_and_the_header_is_ignored(settings):
    settings.KESBANG_TRUSTED_PROXIES = []
    assert ip_of("127.0.0.1", CLIENT_A) == "127.0.0.1"
    assert ip_of(CLIENT_B) == CLIENT_B


def test_forwarded_address_is_taken_only_from_a_trusted_peer(behind_proxy):
    assert ip_of(PROXY, CLIENT_A) == CLIENT_A
    assert ip_of("::1", CLIENT_A) == CLIENT_A
    # An untrusted peer's header is its own claim: ignored.
    assert ip_of(CLIENT_B, "10.1.2.3") == CLIENT_B
    assert ip_of(CLIENT_B, CLIENT_A) == CLIENT_B


def test_forwarded_chain_is_walked_from_the_right_skipping_trusted_hops(behind_proxy):
    # The client wrote "1.2.3.4" itself; nginx appended the real peer: the rightmost untrusted wins.
    assert ip_of(PROXY, f"1.2.3.4, {CLIENT_A}") == CLIENT_A
    # A load balancer (10.0.0.5, trusted) in front of nginx: skipped.
    assert ip_of(PROXY, f"1.2.3.4, {CLIENT_A}, 10.0.0.5") == CLIENT_A
    # Only trusted hops (an office machine inside 10/8): the leftmost one.
    assert ip_of(PROXY, "10.0.0.9, 10.0.0.5") == "10.0.0.9"
    # No header from the trusted proxy: the proxy itself.
    assert ip_of(PROXY) == PROXY
    assert ip_of(PROXY, "") == PROXY
    # Garbage stops the walk at the last trusted hop: never a made-up address.
    assert ip_of(PROXY, f"{CLIENT_A}, bukan-alamat, 10.0.0.5") == "10.0.0.5"
    assert ip_of(PROXY, "bukan-alamat") == PROXY
    # IPv6 clients, and IPv4 written as IPv4-mapped IPv6.
    assert ip_of(PROXY, "2001:db8::7") == "2001:db8::7"
    assert ip_of(PROXY, f"::ffff:{CLIENT_A}") == CLIENT_A


def test_trusted_proxy_setting_is_validated():
    assert [str(n) for n in parse_trusted_proxies(["127.0.0.1", " 10.0.0.0/8 ", "", "::1"])] == [
        "127.0.0.1/32", "10.0.0.0/8", "::1/128"]
    with pytest.raises(ValueError, match="bukan-ip"):
        parse_trusted_proxies(["bukan-ip"])


def test_trusted_proxy_setting_refuses_a_bad_entry_at_start_up(tmp_path):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kesbang.settings_test",
           "KESBANG_TRUSTED_PROXIES": "127.0.0.1,nginx.local", "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "KESBANG_TRUSTED_PROXIES" in result.stderr and "nginx.local" in result.stderr


def _post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_lockout_is_per_username_and_client_address_behind_the_proxy(behind_proxy, staf_provinsi):
    from_a = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        _post_login(from_a, staf_provinsi.username, "salah")
    assert _post_login(from_a, staf_provinsi.username, PASSWORD).status_code == 429
    # The same login from another client (same proxy) is not locked: nobody locks a colleague out.
    from_b = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_B)
    response = _post_login(from_b, staf_provinsi.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    # ... and that success does not give A a fresh set of guesses.
    assert _post_login(from_a, staf_provinsi.username, PASSWORD).status_code == 429

    failed = AuditEvent.objects.filter(kind="login_failed", username=staf_provinsi.username)
    assert set(failed.values_list("ip_address", flat=True)) == {CLIENT_A}
    locked = AuditEvent.objects.filter(kind="locked_out", username=staf_provinsi.username).first()
    assert locked.ip_address == CLIENT_A and locked.detail == "nama pengguna + alamat"
    assert AuditEvent.objects.get(kind="login", user=staf_provinsi).ip_address == CLIENT_B


@pytest.mark.django_db
def test_username_ceiling_locks_the_username_from_every_address(behind_proxy, staf_provinsi):
    behind_proxy.KESBANG_LOCKOUT_USERNAME_LIMIT = 12
    # Four failures from each of three addresses: no pair reaches 5; the twelfth locks the username.
    answers = []
    for n in range(3):
        client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{10 + n}")
        answers += [_post_login(client, staf_provinsi.username, "salah").status_code for _ in range(4)]
    assert answers == [200] * 11 + [429]
    fresh = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_B)
    locked = _post_login(fresh, staf_provinsi.username, PASSWORD)
    assert locked.status_code == 429 and "Akun dikunci sementara" in locked.content.decode()
    event = AuditEvent.objects.filter(kind="locked_out", username=staf_provinsi.username).first()
    assert event.detail == "batas nama pengguna dari semua alamat"
    # Another login is not affected.
    other = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_B)
    assert _post_login(other, "orang-lain", "salah").status_code == 200


def test_default_ceiling_is_well_above_the_pair_limit():
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.KESBANG_LOCKOUT_USERNAME_LIMIT == 30
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "kesbang.accounts.client_address.client_ip"


@pytest.mark.django_db
def test_spoofed_forwarded_header_from_an_untrusted_peer_is_ignored(behind_proxy, staf_provinsi):
    attacker = "192.0.2.66"
    # Rotating a forged X-Forwarded-For does not give the attacker new addresses to guess from.
    for n in range(behind_proxy.AXES_FAILURE_LIMIT):
        client = Client(REMOTE_ADDR=attacker, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
        _post_login(client, staf_provinsi.username, "salah")
    client = Client(REMOTE_ADDR=attacker, HTTP_X_FORWARDED_FOR="10.9.9.200")
    assert _post_login(client, staf_provinsi.username, PASSWORD).status_code == 429
    ips = set(AuditEvent.objects.filter(username=staf_provinsi.username).values_list("ip_address", flat=True))
    assert ips == {attacker}


@pytest.mark.django_db
def test_audit_log_records_the_forwarded_client_only_from_a_trusted_proxy(settings, no_role_user):
    settings.AXES_ENABLED = False
    settings.KESBANG_TRUSTED_PROXIES = ["127.0.0.1"]
    trusted = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)
    trusted.force_login(no_role_user)
    assert trusted.get("/tim/").status_code == 403
    untrusted = Client(REMOTE_ADDR=CLIENT_B, HTTP_X_FORWARDED_FOR=CLIENT_A)
    untrusted.force_login(no_role_user)
    assert untrusted.get("/tim/").status_code == 403
    assert list(AuditEvent.objects.filter(kind="denied").order_by("pk").values_list("ip_address", flat=True)) == [
        CLIENT_A, CLIENT_B]


# --- deploy/nginx-kesbang.conf agrees with the app ---------------------------------------------------

NGINX = BASE_DIR / "deploy" / "nginx-kesbang.conf"


def _nginx_directives(name: str) -> list[str]:
    text = "\n".join(line.split("#", 1)[0] for line in NGINX.read_text(encoding="utf-8").splitlines())
    pattern = r"^[ \t]*" + re.escape(name) + r"[ \t]+([^;{}\n]+);"
    return [m.strip() for m in re.findall(pattern, text, flags=re.MULTILINE)]


def _nginx_size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit.lower()]


def test_nginx_body_limit_matches_the_largest_request_the_app_accepts():
    sizes = _nginx_directives("client_max_body_size")
    assert len(sizes) == 1, sizes
    # The largest request: MAX_FILES_PER_REQUEST attachments of the largest size plus the form fields
    # (Django's DATA_UPLOAD_MAX_MEMORY_SIZE), rounded up to whole megabytes.
    expected = max_request_bytes()
    assert expected == MAX_FILES_PER_REQUEST * max_upload_bytes() + django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert _nginx_size(sizes[0]) == -(-expected // 1024**2) * 1024**2, (sizes[0], expected)


def test_nginx_forwards_the_client_address_and_scheme_to_gunicorn():
    headers = _nginx_directives("proxy_set_header")
    assert "X-Forwarded-For $remote_addr" in headers or "X-Forwarded-For $proxy_add_x_forwarded_for" in headers
    assert "X-Forwarded-Proto $scheme" in headers and "Host $host" in headers
    web_unit = (BASE_DIR / "deploy" / "kesbang-web.service").read_text(encoding="utf-8")
    bind = re.search(r"--bind (\S+)", web_unit).group(1)
    assert _nginx_directives("proxy_pass") == ["http://kesbang_gunicorn"]
    assert _nginx_directives("server") == [f"{bind} fail_timeout=0"]  # the upstream is gunicorn's --bind
    assert _nginx_directives("ssl_certificate") and _nginx_directives("ssl_certificate_key")
    assert any("/static/" in loc for loc in re.findall(r"location\s+([^{]+)\{", NGINX.read_text()))
    env_example = (BASE_DIR / "deploy" / "kesbang.env.example").read_text(encoding="utf-8")
    assert "KESBANG_TRUSTED_PROXIES=127.0.0.1,::1" in env_example


def test_the_app_refuses_more_files_per_request_than_the_body_limit_counts():
    from django import forms
    from django.core.files.uploadedfile import SimpleUploadedFile

    from incidents.forms import MultipleFileField

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    field = MultipleFileField(required=False)
    files = [SimpleUploadedFile(f"b{n}.pdf", pdf) for n in range(MAX_FILES_PER_REQUEST)]
    assert len(field.clean(files)) == MAX_FILES_PER_REQUEST
    with pytest.raises(forms.ValidationError, match=f"Paling banyak {MAX_FILES_PER_REQUEST} lampiran sekaligus"):
        field.clean([*files, SimpleUploadedFile("lagi.pdf", pdf)])
