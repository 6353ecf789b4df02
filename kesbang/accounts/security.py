"""Security middleware: response headers that Django's SecurityMiddleware does not set, the end of a
session after a period of inactivity (``SESSION_IDLE_MINUTES``, default 30) or, however active, a fixed
time after login (``SESSION_ABSOLUTE_HOURS``, default 12), and ``client_ip``: the one answer to "which
address is this request from" (login lockout and audit log both ask it)."""

import ipaddress
import time
from functools import lru_cache

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
    from kesbang import audit

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


# --- The client's address behind trusted reverse proxies ------------------------------------------

# Hops of X-Forwarded-For looked at, at most (a trusted chain is never this long; a longer header is a
# client's padding and is not walked further).
MAX_FORWARDED_HOPS = 20


def parse_trusted_proxies(values) -> tuple:
    """``KESBANG_TRUSTED_PROXIES`` entries (addresses or CIDR networks) as ip_network objects.
    Raises ValueError naming the entry that is not an address or network."""
    networks = []
    for value in values:
        text = str(value).strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError as exc:
            raise ValueError(f"KESBANG_TRUSTED_PROXIES: {text!r} bukan alamat IP atau jaringan CIDR") from exc
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted_networks(entries: tuple) -> tuple:
    return parse_trusted_proxies(entries)


def _address(text: str):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address, networks) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, unless that peer is one of ``KESBANG_TRUSTED_PROXIES``;
    then X-Forwarded-For is walked from the right (the entry our own proxy wrote) to the left,
    skipping trusted proxies, and the first address that is not a trusted proxy is the client. What a
    client writes into the header itself sits to the left of that and is never believed. A malformed
    entry stops the walk at the last trusted hop (that proxy is then blamed, never a made-up address).
    Used by django-axes (``AXES_CLIENT_IP_CALLABLE``) and by the audit log."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    entries = tuple(getattr(settings, "KESBANG_TRUSTED_PROXIES", ()) or ())
    if remote is None or not entries:
        return remote
    networks = _trusted_networks(entries)
    peer = _address(remote)
    if peer is None or not _is_trusted(peer, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()][-MAX_FORWARDED_HOPS:]
    closest_trusted = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break
        if not _is_trusted(address, networks):
            return str(address)
        closest_trusted = address
    return str(closest_trusted)
