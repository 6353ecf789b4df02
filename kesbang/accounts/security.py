"""Security middleware: response headers that Django's SecurityMiddleware does not set, the end of a
session after a period of inactivity (``SESSION_IDLE_MINUTES``, default 30) or, however active, a fixed
time after login (``SESSION_ABSOLUTE_HOURS``, default 12). The client's address is
``kesbang.accounts.client_address.client_ip``."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

POLICY_FEATURES = ("accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment",
                   "usb", "interest-cohort")


def permissions_policy(*, allow: tuple[str, ...] = ()) -> str:
    """The Permissions-Policy header: every feature off, except those in ``allow`` for our own origin
    (``geolocation=(self)``). A view that needs one (the report forms' "use my location") sets the
    header on its response; the middleware only fills it in where a view has not."""
    return ", ".join(f"{name}=(self)" if name in allow else f"{name}=()" for name in POLICY_FEATURES)


PERMISSIONS_POLICY = permissions_policy()


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
STARTED_KEY = "kesbang_login_at"
# Refresh the stored time at most this often, so a busy user does not write the session on every
# request: a session then ends between (idle - 5) and idle minutes after the last request.
TOUCH_EVERY_SECONDS = 5 * 60


def mark_login(session) -> None:
    """Called at login (the session is written then anyway): the idle clock and the absolute one."""
    now = int(time.time())
    session[LAST_SEEN_KEY] = now
    session[STARTED_KEY] = now


def _end(request, user, kind: str, message: str, detail: str = ""):
    from kesbang.accounts import audit

    audit.record(kind, request=request, user=user, detail=detail)
    logout(request)
    messages.info(request, message)
    return redirect_to_login(request.get_full_path() if request.method == "GET" else "/")


class IdleSessionMiddleware:
    """Logs a user out after ``SESSION_IDLE_MINUTES`` without a request, or ``SESSION_ABSOLUTE_HOURS``
    after logging in however active, each with a clear message and an audit event.

    The session cookie and row also expire after the idle time (``SESSION_COOKIE_AGE``); the time
    stored in the session is refreshed at most every five minutes, which also refreshes the cookie's
    expiry. The login time is written at login; a session from before it existed starts counting now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False):
            now = int(time.time())
            idle = settings.SESSION_IDLE_MINUTES * 60
            last = request.session.get(LAST_SEEN_KEY)
            if last is not None and now - int(last) > idle:
                return _end(request, user, "session_expired",
                            _("Sesi Anda berakhir karena tidak aktif. Silakan masuk kembali."))
            started = request.session.get(STARTED_KEY)
            hours = settings.SESSION_ABSOLUTE_HOURS
            if started is None:
                request.session[STARTED_KEY] = now
            elif now - int(started) > hours * 3600:
                return _end(request, user, "session_max_age", _(
                    "Sesi Anda berakhir karena sudah %(hours)s jam sejak Anda masuk. Demi keamanan, silakan "
                    "masuk kembali."
                ) % {"hours": hours}, detail=f"batas {hours} jam")
            if last is None or now - int(last) >= min(TOUCH_EVERY_SECONDS, idle // 6):
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
