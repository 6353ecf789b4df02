"""Kesbang: Tim Terpadu Penanganan Konflik Sosial, project package and provincial office layer."""

from kesbang.celery import app as celery_app

__all__ = ("celery_app",)
