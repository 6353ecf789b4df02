"""Two-factor authentication: who must, enrolment codes, hashed recovery codes, re-authentication,
roles changing mid-session; the real pages and codes."""

import datetime
import re
import time

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kesbang.accounts import twofactor
from kesbang.accounts.models import AuditEvent, EnrolmentCode, RecoveryCode, RecoveryCodeDevice
from kesbang.core import onetime
from teams.access import Role
from tests.factories import PASSWORD, make_incident, make_user
from tests.otp import enrol, totp_now

pytestmark = pytest.mark.django_db

GROUPED_CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


@pytest.fixture(autouse=True)
def _no_axes(settings):
    settings.AXES_ENABLED = False


def password_login(client, user, next_url="/tim/"):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD, "next": next_url})


def reset_throttles(user):
    for d in [*TOTPDevice.objects.filter(user=user), *RecoveryCodeDevice.objects.filter(user=user)]:
        d.throttle_reset()


def enrol_through_pages(client, user, code, next_url="/tim/"):
    """Enrolment code, then the code of the shown secret; returns the recovery-codes page."""
    response = client.post(reverse("otp_setup"), {"enrolment_code": code, "next": next_url})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get(response["Location"]).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return client.post(reverse("otp_setup"), {"token": totp_now(device), "next": next_url})


# --- who must -------------------------------------------------------------------------------------


def test_logins_that_may_read_rahasia_or_administer_must_use_two_factor(
        admin_user, pimpinan, staf_provinsi, staf_bangka, anggota_tim, no_role_user):
    assert twofactor.TWO_FACTOR_PERMISSIONS == ("incidents.view_rahasia_incident", "auth.change_user")
    for user in (admin_user, pimpinan, staf_provinsi):
        assert twofactor.must_use_otp(user), user
    for user in (staf_bangka, anggota_tim, no_role_user):
        assert not twofactor.must_use_otp(user), user
    staff = make_user(None, username="staf.admin.situs")
    staff.is_staff = True
    staff.save()
    assert twofactor.must_use_otp(staff)
    # The Administrator role itself (not a superuser, as admin_user is) must, through auth.change_user.
    administrator = make_user("Administrator", username="uji.administrator.2fa", region_code="19")
    assert not administrator.is_superuser and twofactor.must_use_otp(administrator)


def _role_holds(role, perm: str) -> bool:
    from django.contrib.auth.models import Permission

    app_label, codename = perm.split(".")
    return Permission.objects.filter(group__name=role, codename=codename, content_type__app_label=app_label).exists()


def test_two_factor_roles_are_exactly_those_granted_a_two_factor_permission():
    """Which roles that makes today, from the groups as the matrix (kesbang/accounts/roles.py) set them."""
    required = {role for role in Role if any(_role_holds(role, perm) for perm in twofactor.TWO_FACTOR_PERMISSIONS)}
    assert required == {Role.PIMPINAN, Role.STAF_PROVINSI, Role.ADMINISTRATOR}


def test_every_role_that_can_read_a_rahasia_incident_must_use_two_factor(staf_bangka):
    """Holds TWO_FACTOR_PERMISSIONS to the incidents' restrict(): a login of any role that sees another
    login's rahasia incident must use two-factor."""
    from incidents.models import Incident

    incident = make_incident(staf_bangka, classification="rahasia")
    assert incident.classification == Incident.Classification.RAHASIA
    readers = set()
    for role in Role:
        user = make_user(role.value, username=f"uji.{role.name.lower()}", region_code="19")
        if Incident.objects.restrict(user, "view").filter(pk=incident.pk).exists():
            readers.add(role)
            assert twofactor.must_use_otp(user), role
    assert readers == {Role.PIMPINAN, Role.STAF_PROVINSI}


# --- enrolment ------------------------------------------------------------------------------------


def test_required_login_without_authenticator_is_sent_to_set_up_which_asks_the_enrolment_code(pimpinan):
    client = Client()
    response = password_login(client, pimpinan)
    follow = client.get(response["Location"])
    assert follow.status_code == 302 and follow["Location"].startswith(reverse("otp_setup"))
    for url in ("/", "/tim/", "/insiden/", reverse("otp_status"), reverse("otp_reauth")):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith(reverse("otp_setup")), url
    page = client.get(reverse("otp_setup"))
    html = page.content.decode()
    assert page.status_code == 200 and "Kode pendaftaran" in html and "wajib" in html
    assert "<svg" not in html and "otp-secret" not in html  # no secret before the enrolment code
    assert not TOTPDevice.objects.filter(user=pimpinan).exists()
    # a code from the authenticator step is not accepted in place of the enrolment code
    assert "<svg" not in client.post(reverse("otp_setup"), {"token": "123456"}).content.decode()


def test_enrolment_with_an_issued_code_then_the_authenticator_gives_hashed_recovery_codes(admin_user, pimpinan):
    code = twofactor.enrolment_code_issue(user=pimpinan, issued_by=admin_user)
    assert GROUPED_CODE.match(code)
    stored = EnrolmentCode.objects.get(user=pimpinan)
    assert onetime.normalise(code) not in stored.code_hash and code not in stored.code_hash
    assert stored.code_hash.startswith("sha256$") and stored.issued_by == admin_user
    assert stored.expires_at - timezone.now() > datetime.timedelta(hours=23)
    issued = AuditEvent.objects.get(kind="otp_code_issued")
    assert issued.user == admin_user and "pimpinan" in issued.detail and code not in issued.detail

    client = Client()
    password_login(client, pimpinan)
    wrong = client.post(reverse("otp_setup"), {"enrolment_code": "AAAA-BBBB-CCCC-DDDD"})
    assert "Kode pendaftaran tidak cocok" in wrong.content.decode()
    assert AuditEvent.objects.filter(kind="otp_code_refused", user=pimpinan).exists()
    empty = client.post(reverse("otp_setup"), {"enrolment_code": "  "})
    assert "Masukkan kode pendaftaran" in empty.content.decode()

    # typed in lower case with spaces: still accepted
    typed = code.lower().replace("-", " ")
    response = client.post(reverse("otp_setup"), {"enrolment_code": typed, "next": "/tim/"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "<svg" in page.content.decode() and "otp-secret" in page.content.decode()
    assert AuditEvent.objects.filter(kind="otp_code_used", user=pimpinan).exists()
    stored.refresh_from_db()
    assert stored.used_at is not None
    device = TOTPDevice.objects.get(user=pimpinan, confirmed=False)
    wrong = client.post(reverse("otp_setup"), {"token": "000000" if totp_now(device) != "000000" else "111111"})
    assert "Kode tidak cocok" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    done = client.post(reverse("otp_setup"), {"token": totp_now(device), "next": "/tim/"})
    html = done.content.decode()
    assert done.status_code == 200 and "Kode cadangan" in html
    codes = re.findall(r"<code>([0-9A-Z-]+)</code>", html)
    assert len(codes) == 10 and all(GROUPED_CODE.match(c) for c in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/tim/").status_code == 200  # verified in this session
    assert AuditEvent.objects.filter(kind="otp_enrolled", user=pimpinan).exists()
    # recovery codes are stored as salted hashes only
    hashes = list(RecoveryCode.objects.filter(device__user=pimpinan).values_list("code_hash", flat=True))
    assert len(hashes) == 10 and len(set(hashes)) == 10
    for c in codes:
        assert not any(onetime.normalise(c) in h or c in h for h in hashes)

    # the code is spent: another session with the password cannot use it again
    TOTPDevice.objects.filter(user=pimpinan).delete()
    other = Client()
    password_login(other, pimpinan)
    again = other.post(reverse("otp_setup"), {"enrolment_code": code})
    assert again.status_code == 200 and "Kode pendaftaran tidak cocok" in again.content.decode()


def test_expired_and_withdrawn_enrolment_codes_are_refused(pimpinan, settings):
    old = twofactor.enrolment_code_issue(user=pimpinan)
    new = twofactor.enrolment_code_issue(user=pimpinan)  # withdraws the unused older one
    assert EnrolmentCode.objects.filter(user=pimpinan).count() == 1
    assert not twofactor.enrolment_code_redeem(user=pimpinan, code=old)
    EnrolmentCode.objects.filter(user=pimpinan).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert not twofactor.enrolment_code_redeem(user=pimpinan, code=new)
    settings.KESBANG_OTP_ENROLMENT_HOURS = 2
    fresh = twofactor.enrolment_code_issue(user=pimpinan)
    row = EnrolmentCode.objects.get(user=pimpinan, used_at=None)
    assert row.expires_at - timezone.now() <= datetime.timedelta(hours=2)
    assert twofactor.enrolment_code_redeem(user=pimpinan, code=fresh)
    assert not twofactor.enrolment_code_redeem(user=pimpinan, code=fresh)  # once only


def test_a_pending_secret_from_another_session_is_never_shown(pimpinan):
    stale = TOTPDevice.objects.create(user=pimpinan, name="lama", confirmed=False)
    client = Client()
    password_login(client, pimpinan)
    code = twofactor.enrolment_code_issue(user=pimpinan)
    client.post(reverse("otp_setup"), {"enrolment_code": code})
    client.get(reverse("otp_setup"))
    assert not TOTPDevice.objects.filter(pk=stale.pk).exists()
    assert TOTPDevice.objects.filter(user=pimpinan, confirmed=False).count() == 1


def test_enrolment_code_command(pimpinan, capsys):
    call_command("otp_enrolment_code", "pimpinan")
    out = capsys.readouterr().out
    code = re.search(r"pimpinan: (\S+)", out).group(1)
    assert GROUPED_CODE.match(code) and "24 jam" in out
    assert twofactor.enrolment_code_redeem(user=pimpinan, code=code)
    event = AuditEvent.objects.get(kind="otp_code_issued")
    assert event.username == "manage.py" and "pimpinan" in event.detail
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("otp_enrolment_code", "tidak.ada")


def test_admin_action_issues_codes_shown_once_and_never_cached(client, admin_user, pimpinan):
    client.force_login(admin_user)  # verified (tests/otp.py)
    response = client.post(reverse("admin:auth_user_changelist"), {
        "action": "issue_enrolment_codes", "_selected_action": [pimpinan.pk],
    })
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    code = re.search(r"<code>([0-9A-Z-]{19})</code>", html).group(1)
    assert twofactor.enrolment_code_redeem(user=pimpinan, code=code)
    event = AuditEvent.objects.get(kind="otp_code_issued")
    assert event.user == admin_user and "pimpinan" in event.detail
    # the user's own page has a button for it too (POST only)
    page = client.get(reverse("admin:auth_user_change", args=[pimpinan.pk]))
    button_url = reverse("admin:auth_user_enrolment_code", args=[pimpinan.pk])
    assert page.status_code == 200 and f'action="{button_url}"' in page.content.decode()
    assert client.get(button_url).status_code == 405
    issued = client.post(button_url)
    assert "no-store" in issued["Cache-Control"]
    second = re.search(r"<code>([0-9A-Z-]{19})</code>", issued.content.decode()).group(1)
    assert second != code and twofactor.enrolment_code_redeem(user=pimpinan, code=second)
    assert client.post(reverse("admin:auth_user_enrolment_code", args=[999999])).status_code in (302, 404)
    assert AuditEvent.objects.filter(kind="otp_code_issued", user=admin_user).count() == 2


def test_admin_never_shows_totp_secrets(client, admin_user, settings):
    assert settings.OTP_ADMIN_HIDE_SENSITIVE_DATA is True
    client.force_login(admin_user)
    device = twofactor.totp_device(admin_user)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200 and device.key not in page.content.decode()
    assert client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk])).status_code == 403


# --- verification ---------------------------------------------------------------------------------


def test_verification_after_password_with_totp_or_recovery_code(admin_user):
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
    reset_throttles(admin_user)
    device.refresh_from_db()
    ok = client.post(reverse("otp_verify"), {"token": totp_now(device), "next": "/tim/"})
    assert ok.status_code == 302 and ok["Location"] == "/tim/"
    assert client.get("/admin/").status_code == 200

    # a recovery code works once, typed loosely
    other = Client()
    password_login(other, admin_user)
    code = codes[0]
    used = other.post(reverse("otp_verify"), {"token": code.lower().replace("-", " ")})
    assert used.status_code == 302
    assert AuditEvent.objects.filter(kind="otp_verified", detail="recovery").exists()
    assert twofactor.recovery_codes_left(admin_user) == 9
    third = Client()
    password_login(third, admin_user)
    again = third.post(reverse("otp_verify"), {"token": code})
    assert again.status_code == 200 and "Kode tidak valid" in again.content.decode()


def test_code_entropy_and_hashing():
    codes = {onetime.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 16 and set(c) <= set(onetime.ALPHABET) for c in codes)
    assert len(onetime.ALPHABET) == 32  # 16 x 5 = 80 bits
    code = onetime.new_code()
    stored = onetime.make_hash(code)
    assert stored != onetime.make_hash(code)  # salted
    assert onetime.check(onetime.grouped(code).lower(), stored)
    assert not onetime.check(onetime.new_code(), stored)
    assert not onetime.check(code, "garbage") and not onetime.check("", stored)
    assert onetime.normalise("o1l-I") == "0111"


def test_plain_static_tokens_are_migrated_to_hashes(pimpinan):
    """The data migration 0008 hashes django-otp's plain static tokens and deletes them."""
    import importlib

    from django.apps import apps
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    static = StaticDevice.objects.create(user=pimpinan, name="Kode cadangan")
    StaticToken.objects.bulk_create([StaticToken(device=static, token=t) for t in ("abcde23456", "zzzzz77777")])
    migration = importlib.import_module("kesbang.accounts.migrations.0008_recovery_codes_hashed")
    migration.hash_static_tokens(apps, None)
    assert not StaticDevice.objects.exists() and not StaticToken.objects.exists()
    hashes = list(RecoveryCode.objects.filter(device__user=pimpinan).values_list("code_hash", flat=True))
    assert len(hashes) == 2 and not any("abcde" in h.lower() for h in hashes)
    enrol(pimpinan)
    assert twofactor.is_recovery_device(twofactor.verify(pimpinan, "abcde-23456"))
    assert twofactor.verify(pimpinan, "abcde23456") is None  # once


# --- voluntary enrolment, re-authentication ---------------------------------------------------------


def test_ordinary_login_is_not_asked_until_it_enrols_then_always(staf_bangka):
    client = Client()
    password_login(client, staf_bangka)
    assert client.get("/tim/").status_code == 200
    assert client.get(reverse("otp_status")).status_code == 200
    # voluntary enrolment needs an administrator's enrolment code too
    assert "Kode pendaftaran" in client.get(reverse("otp_setup")).content.decode()
    enrol_through_pages(client, staf_bangka, twofactor.enrolment_code_issue(user=staf_bangka))
    assert client.get("/tim/").status_code == 200
    fresh = Client()
    password_login(fresh, staf_bangka)
    assert fresh.get("/tim/")["Location"].startswith(reverse("otp_verify"))
    # switching it off needs a fresh re-authentication
    response = client.post(reverse("otp_status"), {"action": "remove"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_reauth"))
    assert TOTPDevice.objects.filter(user=staf_bangka, confirmed=True).exists()
    device = twofactor.totp_device(staf_bangka)
    ok = client.post(reverse("otp_reauth"), {"password": PASSWORD, "token": totp_now(device, drift=1),
                                             "next": reverse("otp_status")})
    assert ok.status_code == 302 and ok["Location"] == reverse("otp_status")
    client.post(reverse("otp_status"), {"action": "remove"})
    assert not TOTPDevice.objects.filter(user=staf_bangka).exists()
    assert not RecoveryCodeDevice.objects.filter(user=staf_bangka).exists()
    assert AuditEvent.objects.filter(kind="otp_removed", user=staf_bangka).exists()


def test_reauthentication_before_new_recovery_codes_expires_after_a_few_minutes(client, pimpinan, settings):
    client.force_login(pimpinan)  # verified (tests/otp.py)
    device = twofactor.totp_device(pimpinan)
    response = client.post(reverse("otp_status"), {"action": "codes"})
    assert response["Location"].startswith(reverse("otp_reauth"))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "Konfirmasi identitas" in html and 'name="token"' in html
    bad_password = client.post(reverse("otp_reauth"), {"password": "salah", "token": totp_now(device)})
    assert "Kata sandi salah" in bad_password.content.decode()
    bad_code = client.post(reverse("otp_reauth"), {"password": PASSWORD, "token": "000000"})
    assert "Kode tidak valid" in bad_code.content.decode()
    missing = client.post(reverse("otp_reauth"), {"password": PASSWORD})
    assert "Masukkan kode yang sedang tampil" in missing.content.decode()
    assert AuditEvent.objects.filter(kind="reauth_failed", user=pimpinan).count() == 2  # the empty form: no attempt
    reset_throttles(pimpinan)
    device.refresh_from_db()
    ok = client.post(reverse("otp_reauth"), {"password": PASSWORD, "token": totp_now(device),
                                             "next": "https://jahat.example/"})
    assert ok.status_code == 302 and ok["Location"] == reverse("otp_status")  # no open redirect
    assert AuditEvent.objects.filter(kind="reauth", user=pimpinan).exists()
    codes = client.post(reverse("otp_status"), {"action": "codes"})
    assert codes.status_code == 200 and len(re.findall(r"<code>", codes.content.decode())) == 10
    assert AuditEvent.objects.filter(kind="otp_recovery_new", user=pimpinan).exists()
    session = client.session
    session[twofactor.REAUTH_KEY] = int(time.time()) - settings.KESBANG_REAUTH_MINUTES * 60 - 1
    session.save()
    assert client.post(reverse("otp_status"), {"action": "codes"})["Location"].startswith(reverse("otp_reauth"))


def test_replacing_the_authenticator_needs_reauthentication_not_an_enrolment_code(client, pimpinan):
    client.force_login(pimpinan)
    old = twofactor.totp_device(pimpinan)
    response = client.get(reverse("otp_setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_reauth"))
    client.post(reverse("otp_reauth"), {"password": PASSWORD, "token": totp_now(old)})
    page = client.get(reverse("otp_setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    new = TOTPDevice.objects.get(user=pimpinan, confirmed=False)
    client.post(reverse("otp_setup"), {"token": totp_now(new)})
    assert list(TOTPDevice.objects.filter(user=pimpinan).values_list("pk", flat=True)) == [new.pk]


def test_required_login_cannot_switch_it_off(client, admin_user):
    client.force_login(admin_user)  # verified (tests/otp.py)
    response = client.post(reverse("otp_status"), {"action": "remove"}, follow=True)
    assert "wajib" in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()


# --- roles changing mid-session -------------------------------------------------------------------------


def test_a_login_given_a_two_factor_role_mid_session_is_stopped_on_its_next_request(client, staf_bangka):
    client.force_login(staf_bangka)
    assert client.get("/tim/").status_code == 200
    staf_bangka.groups.add(Group.objects.get(name=Role.PIMPINAN))
    response = client.get("/tim/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_setup"))
    enrol(staf_bangka)
    assert client.get("/tim/")["Location"].startswith(reverse("otp_verify"))


def test_a_login_given_the_rahasia_clearance_mid_session_is_stopped_on_its_next_request(client, staf_bangka):
    """The rule is the permission, not the role: a direct grant of the clearance (superuser only) counts."""
    from django.contrib.auth.models import Permission

    client.force_login(staf_bangka)
    assert client.get("/tim/").status_code == 200
    staf_bangka.user_permissions.add(Permission.objects.get(codename="view_rahasia_incident"))
    response = client.get("/tim/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_setup"))


def test_a_removed_role_takes_its_access_away_on_the_next_request(client, staf_provinsi, staf_bangka):
    incident = make_incident(staf_bangka, classification="rahasia")
    client.force_login(staf_provinsi)
    url = reverse("incidents:incident_detail", args=[incident.pk])
    assert client.get(url).status_code == 200
    staf_provinsi.groups.set([Group.objects.get(name=Role.STAF_KABKOTA)])
    assert client.get(url).status_code == 404
    # and a login that no longer needs two-factor and never enrolled is not stuck on set-up
    session = client.session
    session[twofactor.SESSION_KEY] = twofactor.REQUIRED
    session.save()
    TOTPDevice.objects.filter(user=staf_provinsi).delete()
    assert client.get("/tim/").status_code == 200


def test_dashboard_figures_cached_per_login_follow_a_role_change(staf_bangka):
    """Roles and permissions are loaded per request (kesbang.core.auth); the dashboard's per-login
    cache keys carry the roles and scope, so a changed role never reads figures cached before."""
    from kesbang.core.auth import KesbangBackend
    from kesbang.office.selectors import _incident_cache_scope

    before = _incident_cache_scope(KesbangBackend().get_user(staf_bangka.pk))
    assert before == _incident_cache_scope(KesbangBackend().get_user(staf_bangka.pk))
    staf_bangka.groups.set([Group.objects.get(name=Role.ANGGOTA_TIM)])
    assert _incident_cache_scope(KesbangBackend().get_user(staf_bangka.pk)) != before


# --- pages and bootstrap ----------------------------------------------------------------------------


def test_the_qr_code_is_server_side_svg_of_an_otpauth_uri(admin_user):
    from kesbang.accounts.views_twofactor import qr_svg

    svg = qr_svg("otpauth://totp/Kesbang:admin?secret=JBSWY3DPEHPK3PXP&issuer=Kesbang")
    assert svg.startswith("<svg") and "style=" not in svg  # no inline style: allowed by the CSP
    device = TOTPDevice(user=admin_user, name="x")
    assert device.config_url.startswith("otpauth://totp/")
    assert f"{totp(device.bin_key):06d}" == totp_now(device)


def test_ensure_admin_first_login_is_usable(monkeypatch, capsys):
    """make run's ensure_admin prints the password and an enrolment code: together they reach the
    authenticator step (not a dead end)."""
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "sandi-admin-pertama-123")
    call_command("ensure_admin", username="admin.pertama")
    out = capsys.readouterr().out
    code = re.search(r"Kode pendaftaran dua langkah: (\S+)", out).group(1)
    client = Client()
    response = client.post(reverse("login"), {"username": "admin.pertama", "password": "sandi-admin-pertama-123"})
    assert response.status_code == 302
    setup = client.get(client.get(response["Location"])["Location"])
    assert setup.status_code == 200 and "Kode pendaftaran" in setup.content.decode()
    step = client.post(reverse("otp_setup"), {"enrolment_code": code})
    assert "<svg" in client.get(step["Location"]).content.decode()
    call_command("ensure_admin", username="admin.pertama")
    assert "otp_enrolment_code admin.pertama" in capsys.readouterr().out
