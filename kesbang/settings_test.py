"""Test settings: the real settings module with test-only secrets and fast hashing.

Services stay real: DATABASE_URL (PostgreSQL in CI) and CELERY_BROKER_URL (Redis in CI) come from the
environment exactly as in production.
"""

import os

os.environ["DJANGO_READ_DOT_ENV"] = "0"  # a developer's .env must not change what tests check
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks-0123456789")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from kesbang.settings import *  # noqa: E402,F403
from kesbang.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Under pytest-xdist each worker has its own test database, so it gets its own Redis cache database
# too: ids repeat across workers (cache keys would collide) and cache.clear() flushes a whole database.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker.startswith("gw") and CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    _location, _db = CACHES["default"]["LOCATION"].rsplit("/", 1)  # noqa: F405
    CACHES["default"]["LOCATION"] = f"{_location}/{int(_db or 0) + int(_xdist_worker[2:])}"  # noqa: F405
