"""Background builds (DESIGN.md house style 5): a row that a Celery task fills in, with progress the
page polls, exactly one result per row, and a sweeper that redoes what a dead worker left.

The periodic reports (``kesbang.office``) and the national submission package
(``kesbang.integrations``) are both built this way; each model inherits ``BackgroundBuild`` (the
status, progress and attempt fields) and each service module keeps one ``BuildRunner`` that holds
the rules:

- ``claim``: the worker takes the row when it is queued, or in progress without a sign of life for
  ``REPORT_STALE_SECONDS`` (its worker died); a second copy of the message, or the sweeper's
  re-enqueue, finds it claimed or done and does nothing. Every claim counts an attempt.
- ``progress``: written only while this attempt still holds the row.
- ``run``: claim, build (files are stored under new names), then swap the result in only while the
  claim still holds; a worker that lost its claim deletes what it stored. A failure is recorded on
  the row (status ``gagal`` and a reason the user can read) and not raised: building again is the
  user's decision.
- ``stuck``: the rows to enqueue again (queued or in progress without progress for the stale time).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kesbang.core.models import BackgroundBuild, BuildStatus

logger = logging.getLogger(__name__)


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.REPORT_STALE_SECONDS)


class BuildRunner:
    """The build rules for one ``BackgroundBuild`` model.

    ``timeout_reason`` and ``error_reason`` are the messages a user reads on a failed row (the
    latter with ``%(error)s``, the exception's class name); ``select_related`` is what the build
    reads of the claimed row."""

    def __init__(self, model: type[BackgroundBuild], *, label: str, timeout_reason, error_reason,
                 select_related: tuple[str, ...] = ()):
        self.model = model
        self.label = label
        self.timeout_reason = timeout_reason
        self.error_reason = error_reason
        self.select_related = select_related

    def _ours(self, obj: BackgroundBuild):
        return self.model.objects.filter(pk=obj.pk, attempts=obj.attempts)

    def claim(self, pk: int, *, stale: datetime.timedelta | None = None) -> BackgroundBuild | None:
        """Take the row for this worker; None when done, failed, missing or a live worker is on it."""
        stale = stale if stale is not None else stale_after()
        now = timezone.now()
        with transaction.atomic():
            obj = self.model.objects.select_for_update().filter(pk=pk).first()
            if obj is None or obj.status in (BuildStatus.SELESAI, BuildStatus.GAGAL):
                return None
            if obj.status == BuildStatus.DIPROSES and obj.progress_at and obj.progress_at > now - stale:
                return None
            obj.status = BuildStatus.DIPROSES
            obj.attempts += 1
            obj.progress, obj.progress_note, obj.progress_at = 0, _("Memulai"), now
            obj.started_at, obj.failure_reason = now, ""
            obj.save(update_fields=["status", "attempts", "progress", "progress_note", "progress_at",
                                    "started_at", "failure_reason"])
        return self.model.objects.select_related(*self.select_related).get(pk=pk)

    def progress(self, obj: BackgroundBuild, percent: int, note: str) -> None:
        self._ours(obj).filter(status=BuildStatus.DIPROSES).update(
            progress=min(99, max(0, percent)), progress_note=str(note)[:200], progress_at=timezone.now())

    def fail(self, obj: BackgroundBuild, exc: BaseException) -> None:
        from celery.exceptions import SoftTimeLimitExceeded

        if isinstance(exc, SoftTimeLimitExceeded):
            reason = str(self.timeout_reason)
        else:
            reason = str(self.error_reason) % {"error": type(exc).__name__}
        now = timezone.now()
        self._ours(obj).update(status=BuildStatus.GAGAL, failure_reason=reason, progress_at=now, finished_at=now)

    def run(self, pk: int, *, build: Callable[[Any], Any], apply: Callable[[Any, Any], list[str] | None],
            discard: Callable[[Any], None]) -> BackgroundBuild | None:
        """Claim row ``pk``, ``build(row)`` (stores files, returns what ``apply`` needs), then, while
        the claim holds, ``apply(current_locked_row, result)`` (returns names of replaced files to
        delete after commit) and mark it done. ``discard(result)`` removes what a worker that lost
        its claim stored. Returns the finished row, or None (nothing to do, failed, or taken over)."""
        obj = self.claim(pk)
        if obj is None:
            return None
        try:
            result = build(obj)
        except Exception as exc:  # noqa: BLE001 - recorded on the row for the user, logged in full
            logger.exception("%s %s failed", self.label, pk)
            self.fail(obj, exc)
            return None
        with transaction.atomic():
            current = self.model.objects.select_for_update().get(pk=obj.pk)
            if current.status != BuildStatus.DIPROSES or current.attempts != obj.attempts:
                # Another worker took the row over (this one looked dead): its result wins.
                transaction.on_commit(lambda: discard(result))
                return None
            replaced = apply(current, result) or []
            current.status = BuildStatus.SELESAI
            current.progress, current.progress_note = 100, _("Selesai")
            current.progress_at = current.finished_at = timezone.now()
            current.save()
            if replaced:
                transaction.on_commit(lambda: discard_files(replaced))
        return current

    def stuck(self, *, stale: datetime.timedelta | None = None) -> list[int]:
        """Rows to enqueue again: queued or in progress without progress for the stale time (a lost
        message, a worker killed mid-way). Enqueuing one twice is harmless: the claim lets one through."""
        stale = stale if stale is not None else stale_after()
        cutoff = timezone.now() - stale
        return list(self.model.objects.filter(status__in=[BuildStatus.ANTRI, BuildStatus.DIPROSES])
                    .filter(Q(progress_at__lt=cutoff) | Q(progress_at__isnull=True))
                    .order_by("pk").values_list("pk", flat=True))


def discard_files(names) -> None:
    """Delete stored private files (a replaced or abandoned result); a file already gone is fine."""
    from kesbang.core.uploads import private_storage

    for name in names:
        if name:
            try:
                private_storage.delete(name)
            except OSError:
                logger.warning("file %s could not be deleted", name)
