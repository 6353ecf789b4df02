"""The audit log: logins, failed logins, lockouts, logouts, denied pages and two-factor events.

``record`` is the one writer; the auth signals (connected in ``KesbangConfig.ready``) and
``DeniedAccessMiddleware`` call it. A failure to write the log never breaks the request.
"""

import logging

from django.db import DatabaseError

from kesbang.accounts.client_address import client_ip

logger = logging.getLogger(__name__)


def record(kind: str, *, request=None, user=None, username: str = "", detail: str = "",
           path: str | None = None) -> None:
    """``path`` replaces the request's address when that address is itself a secret (a personal link)."""
    from kesbang.accounts.models import AuditEvent

    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if user is not None and not username:
        username = user.get_username()
    try:
        AuditEvent.objects.create(
            kind=kind,
            user=user,
            username=(username or "")[:150],
            ip_address=client_ip(request),
            method=(getattr(request, "method", "") or "")[:10],
            path=(path if path is not None else request.get_full_path() if request is not None else "")[:500],
            user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
            detail=(detail or "")[:500],
        )
    except DatabaseError:  # the log must never turn a request into a 500
        logger.exception("audit event %s could not be written", kind)


# --- signal receivers (connected in KesbangConfig.ready) ------------------------------------------


def on_logged_in(sender, request, user, **kwargs):
    record("login", request=request, user=user)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("logout", request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    record("login_failed", request=request, username=str(credentials.get("username", "")))


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    from kesbang.accounts.lockout import USERNAME_SCOPE

    everywhere = getattr(request, "kesbang_lockout_scope", "") == USERNAME_SCOPE
    record("locked_out", request=request, username=str(username or ""),
           detail="batas nama pengguna dari semua alamat" if everywhere else "nama pengguna + alamat")


class DeniedAccessMiddleware:
    """Writes one audit event for every 403 answer (permission denied, CSRF failure, lockout)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            record("denied", request=request, user=user if getattr(user, "is_authenticated", False) else None,
                   username="" if getattr(user, "is_authenticated", False) else "(anonim)")
        return response
