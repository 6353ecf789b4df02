"""Two-factor authentication (TOTP, django-otp) for every login; required for administrators.

After the password, a login whose account has a confirmed authenticator (or an administrator, who
must have one) is sent to the verification page until it enters a code; an administrator without
an authenticator is sent to the set-up page first. The state lives in the session, decided once at
login (``on_logged_in``), so ordinary pages pay no extra query:

- ``"off"``: no second step for this login (no authenticator, not an administrator);
- ``"required"``: the next page is verification (or set-up) until a code is entered;
- ``"verified"``: a code was entered in this session.

Recovery codes (django-otp static tokens, each usable once) stand in for a lost phone.
"""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from teams.access import Role, role_names

SESSION_KEY = "kesbang_otp"
OFF, REQUIRED, VERIFIED = "off", "required", "verified"
RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "Aplikasi autentikator"
RECOVERY_NAME = "Kode cadangan"

# Pages an unverified login may still open: the two-factor pages themselves, logging out, the
# language switcher and the health check.
EXEMPT_VIEWS = {
    "otp_setup", "otp_verify", "logout", "admin:logout", "set_language", "healthz", "login",
    "javascript-catalog",
}


def is_admin(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or user.is_staff or Role.ADMINISTRATOR in role_names(user))
    )


def must_use_otp(user) -> bool:
    return bool(settings.KESBANG_OTP_REQUIRED_FOR_ADMINS) and is_admin(user)


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
    """user_logged_in receiver: decide the second step once, in the session written at login."""
    session = getattr(request, "session", None)
    if session is None:
        return
    from kesbang.security import mark_active

    session[SESSION_KEY] = initial_state(user)
    mark_active(session)


def pending_device(user) -> TOTPDevice:
    """The not yet confirmed authenticator being set up (one per login, reused until confirmed)."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _new_code() -> str:
    # 10 characters from an unambiguous alphabet, shown as two groups of five.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the login's recovery codes with fresh ones; returned once, stored for one use each."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def confirm_device(device: TOTPDevice) -> list[str]:
    """Make ``device`` the login's only authenticator and issue recovery codes."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(device.user)


@transaction.atomic
def remove_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def verify(user, token: str):
    """The device that accepts ``token`` (authenticator code or a recovery code), or None."""
    token = "".join(token.split()).replace("-", "").lower()
    if not token:
        return None
    for device in list(TOTPDevice.objects.filter(user=user, confirmed=True)) + list(
        StaticDevice.objects.filter(user=user, confirmed=True)
    ):
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            allowed = locked.verify_is_allowed()[0]
            if allowed and locked.verify_token(token):
                return locked
    return None


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_NAME).count()


class TwoFactorMiddleware:
    """Sends a login whose session still needs its second step to verification or set-up."""

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
        if current != REQUIRED:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        target = "otp_verify" if has_device(user) else "otp_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
