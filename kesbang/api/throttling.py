"""Throttling per token (and per session login, and per address for calls without a login), in the
Django cache (Redis in production). Rates: ``settings.KESBANG_API_THROTTLE_RATES`` (read on every
call, so a test or an operator's change takes effect without a restart of the class)."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.throttling import SimpleRateThrottle

from kesbang.accounts.client_address import client_ip
from kesbang.api.models import AccessToken


class ApiRateThrottle(SimpleRateThrottle):
    cache_format = "kesbang-api-throttle:%(scope)s:%(ident)s"

    def __init__(self):  # the rate is chosen per request (token, login or address)
        pass

    def allow_request(self, request, view):
        token = request.auth if isinstance(request.auth, AccessToken) else None
        if token is not None:
            self.scope, ident = "token", token.pk
        elif getattr(request.user, "is_authenticated", False):
            self.scope, ident = "user", request.user.pk
        else:
            self.scope, ident = "anon", client_ip(request._request) or "-"
        self.rate = settings.KESBANG_API_THROTTLE_RATES.get(self.scope)
        if self.rate is None:  # no limit configured for this kind of caller
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.cache_format % {"scope": self.scope, "ident": ident}
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    def get_cache_key(self, request, view):  # pragma: no cover - allow_request builds the key itself
        return self.key


def throttled_message(wait) -> str:
    if wait is None:
        return _("Terlalu banyak permintaan. Coba lagi sebentar lagi.")
    return _("Terlalu banyak permintaan. Coba lagi dalam %(s)s detik.") % {"s": max(1, int(wait + 0.999))}
