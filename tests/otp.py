"""Test helpers for two-factor authentication.

``Client.force_login`` is wrapped (tests/conftest.py) so a login that must use two-factor
(``kesbang.accounts.twofactor.must_use_otp``: Pimpinan, Staf Provinsi, Administrator, superusers and staff)
arrives verified, as after a real code, and existing tests keep working; pass
``otp=False`` to get the bare password-only session. ``totp_now`` gives the current code of a
login's authenticator for tests that go through the real verification page (browser logins).
"""

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kesbang.accounts import twofactor

_original_force_login = Client.force_login


def enrol(user) -> TOTPDevice:
    """A confirmed authenticator for ``user`` (reused when it has one)."""
    device = twofactor.totp_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Uji", confirmed=True)
    return device


def totp_now(device: TOTPDevice, drift: int = 0) -> str:
    """The code the authenticator shows now (``drift=1``: the next one, which django-otp also accepts;
    use it for a second login within the same 30 s, since a code is never accepted twice)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{code:0{device.digits}d}"


def force_login(self, user, backend=None, otp=True):
    _original_force_login(self, user, backend)
    if otp and twofactor.must_use_otp(user):
        device = enrol(user)
        session = self.session
        twofactor.mark_verified(session, device)
        session.save()


def install() -> None:
    Client.force_login = force_login
