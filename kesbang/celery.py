"""The Celery application. Configuration lives in settings (CELERY_* names), the beat schedule too."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesbang.settings")

app = Celery("kesbang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
