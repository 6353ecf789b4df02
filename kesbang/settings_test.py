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
