"""Two-factor authentication: every login may enrol, administrators must; the real pages and codes."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kesbang.models import AuditEvent
from tests.factories import PASSWORD
from tests.otp import enrol, totp_now

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_axes(settings):
    settings.AXES_ENABLED = False


def password_login(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD, "next": "/tim/"})


def test_administrator_without_authenticator_is_sent_to_set_up_and_nothing_else_opens(admin_user):
    client = Client()
    response = password_login(client, admin_user)
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow.status_code == 302 and follow["Location"].startswith(reverse("otp_setup"))
    for url in ("/", "/tim/", "/admin/", "/admin/auth/user/", reverse("otp_status")):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith(reverse("otp_setup")), url
    page = client.get(reverse("otp_setup"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "Pasang verifikasi dua langkah" in html
    assert "wajib" in html  # administrators are told it is required


def test_enrolment_with_the_code_of_the_shown_secret_gives_recovery_codes(admin_user):
    client = Client()
    password_login(client, admin_user)
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    wrong = client.post(reverse("otp_setup"), {"token": "000000" if totp_now(device) != "000000" else "111111"})
    assert "Kode tidak cocok" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp waits 2^n seconds after n failures
    done = client.post(reverse("otp_setup"), {"token": totp_now(device), "next": "/tim/"})
    html = done.content.decode()
    assert done.status_code == 200 and "Kode cadangan" in html
    codes = re.findall(r"<code>(\w{5})-(\w{5})</code>", html)
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/tim/").status_code == 200  # verified in this session
    assert AuditEvent.objects.filter(kind="otp_enrolled", user=admin_user).exists()


def test_verification_after_password_with_totp_or_recovery_code(admin_user):
    from kesbang import twofactor

    device = enrol(admin_user)
    codes = twofactor.new_recovery_codes(admin_user)
    client = Client()
    response = password_login(client, admin_user)
    follow = client.get(response["Location"])
    assert follow["Location"].startswith(reverse("otp_verify"))
    # the password alone does not let anyone swap the authenticator
    assert client.get(reverse("otp_setup"))["Location"].startswith(reverse("otp_verify"))
    bad = client.post(reverse("otp_verify"), {"token": "12345"})
    assert "Kode tidak valid" in bad.content.decode()
    assert AuditEvent.objects.filter(kind="otp_failed", user=admin_user).exists()
    # throttling after a failure: wait it out by resetting (django-otp doubles the delay per failure)
    from django_otp.plugins.otp_static.models import StaticDevice

    for d in [*TOTPDevice.objects.filter(user=admin_user), *StaticDevice.objects.filter(user=admin_user)]:
        d.throttle_reset()
    device.refresh_from_db()
    ok = client.post(reverse("otp_verify"), {"token": totp_now(device), "next": "/tim/"})
    assert ok.status_code == 302 and ok["Location"] == "/tim/"
    assert client.get("/admin/").status_code == 200

    # a recovery code works once
    other = Client()
    password_login(other, admin_user)
    code = codes[0]
    assert other.post(reverse("otp_verify"), {"token": f"{code[:5]}-{code[5:]}"}).status_code == 302
    third = Client()
    password_login(third, admin_user)
    again = third.post(reverse("otp_verify"), {"token": code})
    assert again.status_code == 200 and "Kode tidak valid" in again.content.decode()


def test_ordinary_login_is_not_asked_until_it_enrols_then_always(staf_provinsi):
    client = Client()
    password_login(client, staf_provinsi)
    assert client.get("/tim/").status_code == 200
    assert client.get(reverse("otp_status")).status_code == 200
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=staf_provinsi, confirmed=False)
    client.post(reverse("otp_setup"), {"token": totp_now(device)})
    assert client.get("/tim/").status_code == 200
    fresh = Client()
    password_login(fresh, staf_provinsi)
    assert fresh.get("/tim/")["Location"].startswith(reverse("otp_verify"))
    # it may switch it off again (an administrator may not)
    client.post(reverse("otp_status"), {"action": "remove"})
    assert not TOTPDevice.objects.filter(user=staf_provinsi).exists()


def test_administrator_cannot_switch_it_off(client, admin_user):
    client.force_login(admin_user)  # verified (tests/otp.py)
    response = client.post(reverse("otp_status"), {"action": "remove"}, follow=True)
    assert "wajib" in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()


def test_the_qr_code_is_server_side_svg_of_an_otpauth_uri(admin_user):
    from kesbang.views_twofactor import qr_svg

    svg = qr_svg("otpauth://totp/Kesbang:admin?secret=JBSWY3DPEHPK3PXP&issuer=Kesbang")
    assert svg.startswith("<svg") and "style=" not in svg  # no inline style: allowed by the CSP
    device = TOTPDevice(user=admin_user, name="x")
    assert device.config_url.startswith("otpauth://totp/")
    assert f"{totp(device.bin_key):06d}" == totp_now(device)


def test_ensure_admin_first_login_is_usable(monkeypatch):
    """make run's ensure_admin: the printed password logs in, then the set-up page (not a dead end)."""
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "sandi-admin-pertama-123")
    call_command("ensure_admin", username="admin.pertama")
    client = Client()
    response = client.post(reverse("login"), {"username": "admin.pertama", "password": "sandi-admin-pertama-123"})
    assert response.status_code == 302
    setup = client.get(client.get(response["Location"])["Location"])
    assert setup.status_code == 200 and "<svg" in setup.content.decode()
