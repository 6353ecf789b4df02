"""How the API knows who calls: a personal access token (machines, scripts) or the browser's session.

``TokenAuthentication``: ``Authorization: Bearer kbg_…``. Refused (401, Indonesian message) when the
token is unknown, revoked or expired, its login inactive, or when the login must use two-factor
(``kesbang.accounts.twofactor.must_use_otp``, or it has an authenticator) and the token was not made
from a session that had passed the second factor. A use is recorded (time, client address) at most
once a minute. Costs two queries: the token (with "has an authenticator") and the login with its
person, roles and permissions (``kesbang.core.auth.KesbangBackend``, as a session request).

``SessionAuthentication``: the logged-in browser (the docs page's "Try it out"); CSRF enforced on
every write with the pages' message, and a session still waiting for its second factor is no login.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework import authentication, exceptions

from kesbang.accounts import twofactor
from kesbang.accounts.client_address import client_ip
from kesbang.api import services
from kesbang.api.models import AccessToken
from kesbang.core.auth import KesbangBackend

KEYWORD = "Bearer"


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1", "replace").split()
        if not header or header[0].lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Header Authorization harus berbentuk \"Bearer <token>\"."))
        parts = services.split_token(header[1])
        if parts is None:
            raise exceptions.AuthenticationFailed(_("Token tidak sah."))
        prefix, raw = parts
        token = (
            AccessToken.objects.filter(prefix=prefix)
            .annotate(user_has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("user_id"), confirmed=True)))
            .first()
        )
        if token is None or not services.matches(token, raw):
            raise exceptions.AuthenticationFailed(_("Token tidak sah."))
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(_("Token ini sudah dicabut."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("Token ini sudah kedaluwarsa; buat token baru."))
        user = KesbangBackend().get_user(token.user_id)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Akun pemilik token tidak aktif."))
        if (twofactor.must_use_otp(user) or token.user_has_device) and not token.second_factor:
            raise exceptions.AuthenticationFailed(_(
                "Akun ini wajib memakai verifikasi dua langkah, tetapi token ini tidak dibuat dari sesi yang sudah "
                "terverifikasi. Masuk dengan kode, cabut token ini dan buat yang baru."))
        services.token_touch(token=token, address=client_ip(request._request))
        return user, token

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        user = getattr(request._request, "user", None)
        if not user or not user.is_active:
            return None
        session = getattr(request._request, "session", None)
        if session is not None and twofactor.state(request._request) == twofactor.REQUIRED:
            return None  # the second step is still due: not logged in yet (the middleware sends pages to it)
        self.enforce_csrf(request)
        return user, None

    def enforce_csrf(self, request):
        """Django's own CSRF check on the Django request (DRF's would parse a form body with the API's
        JSON-only parsers first, and answer 415 before saying the token is missing)."""
        check = authentication.CSRFCheck(lambda _request: None)
        check.process_request(request._request)
        if check.process_view(request._request, None, (), {}) is not None:
            raise exceptions.PermissionDenied(_(
                "Sesi formulir kedaluwarsa: permintaan ini tidak membawa token CSRF yang sah. Muat ulang halaman "
                "lalu kirim kembali."))
