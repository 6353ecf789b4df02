"""Two-factor authentication (TOTP through django-otp, plus hashed recovery codes).

Who must: every login holding one of ``TWO_FACTOR_PERMISSIONS`` (the ``rahasia`` clearance, or managing
logins; today the roles Pimpinan, Staf Provinsi and Administrator) and every superuser or staff account.
Anyone else may enrol voluntarily; once enrolled, every login asks for a code.

The session holds the state of the second step:

- ``"off"``: no second step for this login (no authenticator, not required);
- ``"required"``: the next page is verification (or set-up) until a code is entered;
- ``"verified"``: a code was entered in this session.

The state is first decided at login (``on_logged_in``) and the middleware re-evaluates "must this
login use two-factor?" on every request from the permissions already loaded with the user (no query), so
a login that became Pimpinan mid-session is sent to verification or set-up on its next request.

Enrolment: the first authenticator of a login needs an enrolment code that an administrator issued
(admin action on the user list, or ``manage.py otp_enrolment_code``): one use, valid
``KESBANG_OTP_ENROLMENT_HOURS`` hours, stored hashed. Replacing or removing a factor and renewing
recovery codes need a fresh re-authentication (password plus a current code) in the last
``KESBANG_REAUTH_MINUTES`` minutes.
"""

import datetime
import time
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from kesbang.core import onetime

SESSION_KEY = "kesbang_otp"
OFF, REQUIRED, VERIFIED = "off", "required", "verified"
# The enrolment code was accepted in this session: the set-up page may show a secret.
ENROL_OK_KEY = "kesbang_otp_enrol_ok"
# The not yet confirmed authenticator shown to this session (never one created by another session).
PENDING_KEY = "kesbang_otp_pending"
# When the login last proved password + code again (unix time), for sensitive changes.
REAUTH_KEY = "kesbang_reauth_at"
RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "Aplikasi autentikator"
RECOVERY_NAME = "Kode cadangan"
# A login holding any of these must use a second factor: it may read ``rahasia`` incidents (the
# classification policy's clearance), or it manages logins (passwords, roles and second factors of
# others: the Administrator role). A role granted either in kesbang/accounts/roles.py is a two-factor
# role with no change here; tests/security/test_twofactor.py holds this to the incidents' restrict().
TWO_FACTOR_PERMISSIONS = ("incidents.view_rahasia_incident", "auth.change_user")

# Pages an unverified login may still open: the two-factor pages themselves, logging out, the
# language switcher and the health check.
EXEMPT_VIEWS = {
    "otp_setup", "otp_verify", "logout", "admin:logout", "set_language", "healthz", "login",
    "javascript-catalog",
}


def must_use_otp(user) -> bool:
    """Superusers, staff and the holders of ``TWO_FACTOR_PERMISSIONS``; the permissions come with the user
    (``kesbang.core.auth.KesbangBackend``), so asking this costs no query."""
    if not settings.KESBANG_OTP_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.is_staff or any(user.has_perm(p) for p in TWO_FACTOR_PERMISSIONS))


def totp_device(user, *, confirmed: bool | None = True) -> TOTPDevice | None:
    qs = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        qs = qs.filter(confirmed=confirmed)
    return qs.order_by("-id").first()


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def initial_state(user) -> str:
    return REQUIRED if (must_use_otp(user) or has_device(user)) else OFF


def state(request) -> str:
    return request.session.get(SESSION_KEY, OFF)


def mark_verified(session, device=None) -> None:
    session[SESSION_KEY] = VERIFIED
    if device is not None:
        session["otp_device_id"] = device.persistent_id


def on_logged_in(sender, request, user, **kwargs):
    """user_logged_in receiver: decide the second step in the session written at login."""
    session = getattr(request, "session", None)
    if session is None:
        return
    from kesbang.accounts.security import mark_login

    for key in (ENROL_OK_KEY, PENDING_KEY, REAUTH_KEY):
        session.pop(key, None)
    session[SESSION_KEY] = initial_state(user)
    mark_login(session)


# --- enrolment codes --------------------------------------------------------------------------------


def enrolment_hours() -> int:
    return int(getattr(settings, "KESBANG_OTP_ENROLMENT_HOURS", 24))


@transaction.atomic
def enrolment_code_issue(*, user, issued_by=None, request=None) -> str:
    """A new enrolment code for ``user`` (returned once, stored hashed); its unused older codes are
    withdrawn. Written to the audit log."""
    from kesbang.accounts import audit
    from kesbang.accounts.models import EnrolmentCode

    EnrolmentCode.objects.filter(user=user, used_at__isnull=True).delete()
    code = onetime.new_code()
    EnrolmentCode.objects.create(
        user=user, code_hash=onetime.make_hash(code), issued_by=issued_by,
        expires_at=timezone.now() + datetime.timedelta(hours=enrolment_hours()),
    )
    by = issued_by.get_username() if issued_by is not None else "manage.py"
    audit.record("otp_code_issued", request=request, user=issued_by, username=by if issued_by is None else "",
                 detail=f"untuk {user.get_username()} (berlaku {enrolment_hours()} jam)")
    return onetime.grouped(code)


def enrolment_code_redeem(*, user, code: str, request=None) -> bool:
    """True, and the code is spent, when ``code`` is a valid unused enrolment code of ``user``."""
    from kesbang.accounts import audit
    from kesbang.accounts.models import EnrolmentCode

    now = timezone.now()
    live = EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now)
    match = next((c for c in live if onetime.check(code, c.code_hash)), None)
    # The conditional update is the single-use guarantee when two requests race with the same code.
    if match is not None and EnrolmentCode.objects.filter(pk=match.pk, used_at__isnull=True).update(used_at=now):
        audit.record("otp_code_used", request=request, user=user)
        return True
    audit.record("otp_code_refused", request=request, user=user)
    return False


def may_see_new_secret(request) -> bool:
    """The set-up page may show a secret: after an accepted enrolment code (first authenticator), or
    to an enrolled, verified login with a fresh re-authentication (replacing it)."""
    if has_device(request.user):
        return state(request) == VERIFIED and reauth_fresh(request.session)
    return bool(request.session.get(ENROL_OK_KEY))


def pending_device(request) -> TOTPDevice:
    """The not yet confirmed authenticator being set up in this session (reused on reload). A pending
    device left by another session is discarded: its secret may have been seen elsewhere."""
    user = request.user
    device_id = request.session.get(PENDING_KEY)
    device = TOTPDevice.objects.filter(user=user, confirmed=False, pk=device_id).first() if device_id else None
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        request.session[PENDING_KEY] = device.pk
    return device


# --- recovery codes ---------------------------------------------------------------------------------


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the login's recovery codes with fresh ones; returned once (grouped for reading),
    stored as salted hashes, one use each."""
    from kesbang.accounts.models import RecoveryCode, RecoveryCodeDevice

    device = RecoveryCodeDevice.objects.filter(user=user).order_by("id").first()
    if device is None:
        device = RecoveryCodeDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    device.codes.all().delete()
    codes = [onetime.new_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create([RecoveryCode(device=device, code_hash=onetime.make_hash(c)) for c in codes])
    return [onetime.grouped(c) for c in codes]


def recovery_codes_left(user) -> int:
    from kesbang.accounts.models import RecoveryCode

    return RecoveryCode.objects.filter(device__user=user).count()


def is_recovery_device(device) -> bool:
    from kesbang.accounts.models import RecoveryCodeDevice

    return isinstance(device, RecoveryCodeDevice)


@transaction.atomic
def confirm_device(device: TOTPDevice) -> list[str]:
    """Make ``device`` the login's only authenticator and issue recovery codes."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(device.user)


@transaction.atomic
def remove_devices(user) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice

    from kesbang.accounts.models import RecoveryCodeDevice

    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()  # left by django-otp's static plugin, if any


def verify(user, token: str):
    """The device that accepts ``token`` (authenticator code or a recovery code), or None."""
    from kesbang.accounts.models import RecoveryCodeDevice

    compact = "".join((token or "").split())
    if not compact:
        return None
    candidates = [(d, compact) for d in TOTPDevice.objects.filter(user=user, confirmed=True)] + [
        (d, compact) for d in RecoveryCodeDevice.objects.filter(user=user, confirmed=True)
    ]
    for device, typed in candidates:
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            allowed = locked.verify_is_allowed()[0]
            if allowed and locked.verify_token(typed):
                return locked
    return None


# --- re-authentication --------------------------------------------------------------------------------


def reauth_minutes() -> int:
    return int(getattr(settings, "KESBANG_REAUTH_MINUTES", 5))


def mark_reauthenticated(session) -> None:
    session[REAUTH_KEY] = int(time.time())


def reauth_fresh(session) -> bool:
    at = session.get(REAUTH_KEY)
    return at is not None and time.time() - int(at) <= reauth_minutes() * 60


def reauth_redirect(next_url: str):
    return redirect(f"{reverse('otp_reauth')}?{urlencode({'next': next_url})}")


# --- middleware -----------------------------------------------------------------------------------------


class TwoFactorMiddleware:
    """Sends a login whose session still needs its second step to verification or set-up.

    "Must this login use two-factor?" is asked again on every request (roles come with the user, no
    query): a login given a two-factor role mid-session is stopped on its next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if not getattr(user, "is_authenticated", False):
            return None
        current = request.session.get(SESSION_KEY)
        if current is None:  # a session from before two-factor existed: decide now
            current = request.session[SESSION_KEY] = initial_state(user)
        elif current == OFF and must_use_otp(user):
            current = request.session[SESSION_KEY] = REQUIRED
        if current != REQUIRED:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        enrolled = has_device(user)
        if not enrolled and not must_use_otp(user):
            # No longer required (role removed) and nothing enrolled: nothing to verify.
            request.session[SESSION_KEY] = OFF
            return None
        target = "otp_verify" if enrolled else "otp_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
