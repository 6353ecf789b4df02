"""Security middleware: response headers that Django's SecurityMiddleware does not set, and the
end of a session after a period of inactivity (``SESSION_IDLE_MINUTES``, default 30)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    """Permissions-Policy and Cross-Origin-Resource-Policy on every answer; pages that show a
    login's data are never stored by shared caches."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        # Only a user already loaded by the request: never query here (the database may be down).
        user = getattr(request, "_cached_user", None)
        if getattr(user, "is_authenticated", False) and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-store"
        return response


LAST_SEEN_KEY = "kesbang_last_seen"
# Refresh the stored time at most this often, so a busy user does not write the session on every
# request: a session then ends between (idle - 5) and idle minutes after the last request.
TOUCH_EVERY_SECONDS = 5 * 60


def mark_active(session) -> None:
    """Called at login (the session is written then anyway)."""
    session[LAST_SEEN_KEY] = int(time.time())


class IdleSessionMiddleware:
    """Logs a user out after ``SESSION_IDLE_MINUTES`` without a request, with a clear message.

    The session cookie and row also expire after that long (``SESSION_COOKIE_AGE``); the time stored
    in the session is refreshed at most every five minutes, which also refreshes the cookie's expiry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False):
            now = int(time.time())
            idle = settings.SESSION_IDLE_MINUTES * 60
            last = request.session.get(LAST_SEEN_KEY)
            if last is not None and now - int(last) > idle:
                from kesbang import audit

                audit.record("session_expired", request=request, user=user)
                logout(request)
                messages.info(request, _("Sesi Anda berakhir karena tidak aktif. Silakan masuk kembali."))
                return redirect_to_login(request.get_full_path() if request.method == "GET" else "/")
            if last is None or now - int(last) >= min(TOUCH_EVERY_SECONDS, idle // 6):
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
