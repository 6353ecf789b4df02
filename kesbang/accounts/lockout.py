"""Login lockout (django-axes handler): two limits instead of one.

- ``AXES_FAILURE_LIMIT`` (5) failures of one username from one client address lock that pair for
  ``AXES_COOLOFF_TIME`` (an hour); the same login still works from another address, so nobody can
  lock a colleague out at will by typing five wrong passwords.
- ``KESBANG_LOCKOUT_USERNAME_LIMIT`` (30) failures of one username from all addresses together lock
  the username everywhere (a password-guessing run spread over many addresses).

django-axes counts every parameter set of ``AXES_LOCKOUT_PARAMETERS`` against the one
``AXES_FAILURE_LIMIT`` (it takes the largest count), so the second, higher limit cannot be said in
settings: this handler counts both and reports "at the limit" when either is reached; axes then locks,
answers 429 and sends ``user_locked_out`` as usual. The client address is ``kesbang.accounts.client_address.client_ip``
(``AXES_CLIENT_IP_CALLABLE``), so behind the reverse proxy it is the real client's.

A successful login clears only the failures of that username from that address: a login from the
office does not hand an attacker at another address a fresh set of guesses.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

USERNAME_SCOPE = "username"
PAIR_SCOPE = "username_ip"


def username_limit() -> int:
    return int(getattr(settings, "KESBANG_LOCKOUT_USERNAME_LIMIT", 30))


def _failures(queryset) -> int:
    return queryset.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LockoutHandler(AxesDatabaseHandler):
    def _recent_attempts(self, request):
        attempts = AccessAttempt.objects.all()
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """Failures of this username from this address; the failure limit itself once the username's
        failures from every address reach the ceiling. Sets ``request.kesbang_lockout_scope``."""
        username = get_client_username(request, credentials)
        attempts = self._recent_attempts(request)
        pair = _failures(attempts.filter(username=username, ip_address=request.axes_ip_address))
        limit = get_failure_limit(request, credentials)
        request.kesbang_lockout_scope = PAIR_SCOPE
        if pair < limit and username and _failures(attempts.filter(username=username)) >= username_limit():
            request.kesbang_lockout_scope = USERNAME_SCOPE
            return limit
        return pair

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count
