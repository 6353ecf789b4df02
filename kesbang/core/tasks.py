"""Celery plumbing every app shares: the one way to enqueue a task after commit, and the retry
policies tasks declare (DESIGN.md house style 5).

- ``enqueue_after_commit("app.tasks.name", *ids)``: the task is sent once the surrounding transaction
  commits (immediately outside one), never inside it, so a worker never reads a row that is not there
  yet and a rolled-back write sends nothing. The task is named by its dotted path and imported only
  when the transaction commits: services never import their tasks module, so ``services → tasks →
  services`` is not an import cycle.
- ``RetryPolicy``: how a task retries (which errors, exponential backoff with jitter, how often) and
  its time limits; ``@shared_task(name=..., **MAIL.options())``. ``MAIL`` is the policy of every task
  that sends email (a failing SMTP server or a lost connection is retried; what was sent is recorded
  by the delivery rows and never sent again); ``once()`` is for work that is not retried automatically
  (reports, planners: their sweepers redo what a dead worker left).
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, replace
from importlib import import_module

from django.db import transaction

# Errors worth retrying when talking to a mail server or a broker (OSError covers refused connections).
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


@dataclass(frozen=True)
class RetryPolicy:
    retry_for: tuple[type[BaseException], ...] = TRANSIENT_ERRORS
    backoff: int = 30  # seconds before the first retry, doubling each time
    backoff_max: int = 60 * 60
    max_retries: int = 8
    soft_time_limit: int = 2 * 60
    time_limit: int = 3 * 60

    def options(self, **overrides) -> dict:
        """Keyword arguments for ``@shared_task``; ``overrides`` change the limits for one task
        (``soft_time_limit=60``)."""
        policy = replace(self, **overrides) if overrides else self
        options = {"soft_time_limit": policy.soft_time_limit, "time_limit": policy.time_limit, "acks_late": True}
        if policy.max_retries:
            options.update(autoretry_for=policy.retry_for, retry_backoff=policy.backoff,
                           retry_backoff_max=policy.backoff_max, retry_jitter=True, max_retries=policy.max_retries)
        return options


MAIL = RetryPolicy()


def once(*, soft_time_limit: int, time_limit: int) -> RetryPolicy:
    """No automatic retry: a sweeper (beat) or the next run redoes what did not finish."""
    return RetryPolicy(retry_for=(), max_retries=0, soft_time_limit=soft_time_limit, time_limit=time_limit)


def _task(path: str):
    module, name = path.rsplit(".", 1)
    return getattr(import_module(module), name)


def enqueue_after_commit(task_path: str, *args, using: str | None = None) -> None:
    """Send the task ``task_path`` (dotted path of a ``@shared_task``) with ``args`` (primitive ids)
    when the current transaction commits."""
    transaction.on_commit(lambda: _task(task_path).delay(*args), using=using)
