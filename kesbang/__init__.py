"""Kesbang: Tim Terpadu Penanganan Konflik Sosial, the project package (settings, URLs, the
Celery app). The code lives in core/, accounts/, office/, ops/ and demo/ (README, "Layout")."""

from kesbang.celery import app as celery_app

__all__ = ("celery_app",)
