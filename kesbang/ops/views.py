"""Operations: the public health check (``/healthz/``) a monitor or load balancer polls."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kesbang.celery import app as celery_app

logger = logging.getLogger(__name__)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_broker() -> None:
    with celery_app.connection_for_write(url=settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)


def _check_cache() -> None:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return the value just written")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Public JSON health: 200 when database, broker and cache answer; 503 naming what is down."""
    checks = {}
    for name, check in (("database", _check_database), ("broker", _check_broker), ("cache", _check_cache)):
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down", and is reported
            logger.warning("healthz: %s down: %s", name, exc)
            # The page is public: name the kind of failure only; the message (hosts, user names) is logged.
            checks[name] = {"ok": False, "error": type(exc).__name__}
        else:
            checks[name] = {"ok": True}
    down = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "ok" if not down else "error", "down": down, "checks": checks}
    return JsonResponse(body, status=503 if down else 200)
