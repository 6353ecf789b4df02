"""The weekly summary, exactly once per (ISO week, recipient).

- ``weekly_summary_plan`` (Monday 07:00, or by hand): builds the week's content once and writes a
  PENDING delivery row per recipient (unique per summary and email); planning twice adds nothing.
- ``weekly_summary_send`` (one task per row): ``kesbang.core.delivery.deliver`` claims the row before
  sending and marks it SENT after; a second sender, a retry or the sweeper finds it claimed or sent.
- ``weekly_summary_due`` (the sweeper): rows still pending or claimed by a worker that died, and the
  week's planning if the Monday run never happened (beat or Redis down at 07:00).
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kesbang.core.delivery import STALE_AFTER, deliver, pending
from kesbang.core.email import absolute_url, build_email, send_email
from kesbang.core.tasks import enqueue_after_commit
from kesbang.office.models import WeeklySummary, WeeklySummaryDelivery
from kesbang.office.recipients import recipients_for
from kesbang.office.weekly.registry import builders
from kesbang.office.weekly.weeks import Week, last_complete_week, parse_week, week_of

logger = logging.getLogger(__name__)

SEND_HOUR = 7  # Monday 07:00 Asia/Jakarta, as CELERY_BEAT_SCHEDULE runs the planner


def weekly_summary_build(week: Week) -> dict:
    """The week's content (JSON-able) from every app's builder."""
    sections = [s for s in (build(week) for build in builders()) if s]
    return {
        "week": week.code, "label": week.label, "start": week.start.isoformat(), "end": week.end.isoformat(),
        "sections": sections, "built_at": timezone.now().isoformat(),
        "app_url": absolute_url("/"), "reports_url": absolute_url(reverse("reports:report_list")),
    }


def subject_for(content: dict) -> str:
    return _("Ringkasan mingguan Tim Terpadu: %(label)s") % {"label": content.get("label", content.get("week"))}


def weekly_summary_email(content: dict, *, to: list[str], connection=None):
    """The EmailMultiAlternatives (text + HTML) of a summary, for sending and for the preview."""
    return build_email(to=to, subject=subject_for(content), template="weekly_summary",
                       context={"content": content}, connection=connection)


def weekly_summary_content(week: Week) -> tuple[WeeklySummary | None, dict]:
    """The week's planned summary and its content; for a week not planned yet (the preview) no row
    and the content built now."""
    summary = WeeklySummary.objects.filter(week=week.code).first()
    return summary, (summary.content if summary else weekly_summary_build(week))


def weekly_summary_send_now(*, week: Week) -> list[int]:
    """"Kirim sekarang" on the preview page: the week planned (if not yet) and a send task per
    recipient who has not had it, enqueued after commit; the ids queued (none: everyone has it)."""
    ids = pending_ids(weekly_summary_plan(week=week))
    for delivery_id in ids:
        enqueue_after_commit("kesbang.office.tasks.weekly_summary_send", delivery_id)
    return ids


def weekly_summary_plan(*, week: Week) -> WeeklySummary:
    """The week's summary row (content built once) and a pending delivery per current recipient."""
    summary = WeeklySummary.objects.filter(week=week.code).first()
    if summary is None:
        content = weekly_summary_build(week)
        try:
            with transaction.atomic():
                summary = WeeklySummary.objects.create(week=week.code, start=week.start, end=week.end, content=content)
        except IntegrityError:  # a concurrent planner made it first: use theirs
            summary = WeeklySummary.objects.get(week=week.code)
    for email in recipients_for("weekly_summary"):
        try:
            with transaction.atomic():
                WeeklySummaryDelivery.objects.get_or_create(summary=summary, email=email,
                                                            defaults={"recipient": email})
        except IntegrityError:  # concurrent planner inserted the same row
            pass
    return summary


def weekly_summary_send(*, delivery_id: int, connection=None) -> bool:
    """Send one recipient's copy unless it was sent or another worker holds it. SMTP errors raise
    (the task retries with backoff); the row then stays pending for the retry or the sweeper."""
    row = WeeklySummaryDelivery.objects.select_related("summary").get(pk=delivery_id)
    summary = row.summary

    def send(_claimed):
        send_email(to=[row.email], subject=subject_for(summary.content), template="weekly_summary",
                   context={"content": summary.content}, connection=connection)

    sent = deliver(WeeklySummaryDelivery, key={"summary": summary, "email": row.email}, send=send,
                   recipient=row.email)
    if sent:
        logger.info("weekly summary %s sent to %s", summary.week, row.email)
    return sent


def weekly_summary_due(*, now: datetime.datetime | None = None,
                       stale_after: datetime.timedelta = STALE_AFTER) -> list[int]:
    """For the sweeper: plan last week if Monday's run was missed, then every delivery row not sent
    and not held by a live worker."""
    now = timezone.localtime(now or timezone.now())
    week = last_complete_week(now)
    monday_send = timezone.make_aware(datetime.datetime.combine(week.end + datetime.timedelta(days=1),
                                                                datetime.time(SEND_HOUR)))
    if now >= monday_send and not WeeklySummary.objects.filter(week=week.code).exists():
        weekly_summary_plan(week=week)
    return list(pending(WeeklySummaryDelivery, stale_after=stale_after).order_by("pk").values_list("pk", flat=True))


def pending_ids(summary: WeeklySummary) -> list[int]:
    return list(summary.deliveries.exclude(status=WeeklySummaryDelivery.Status.SENT).order_by("pk")
                .values_list("pk", flat=True))


__all__ = ["Week", "parse_week", "week_of", "last_complete_week"]
