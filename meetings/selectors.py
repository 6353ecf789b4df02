"""Reads of the meetings app. Selectors take querysets or objects and never raise Http404, so
background tasks and the office layer reuse them (DESIGN.md house style 3, 4).

User-free selectors for the office layer (weekly summary, periodic reports), each taking a date range
or a day and an optional base queryset (default: every row):

- ``meetings_held(start, end, meetings=None)``: meetings that took place in [start, end] (not
  cancelled), each annotated ``present_count`` (members present, late or represented),
  ``guest_count`` (guests present), ``invited_count`` and ``resolution_count``.
- ``meetings_upcoming(today, days=14, meetings=None)``: planned meetings starting in the next ``days``.
- ``action_items_completed(start, end, items=None)``: action items finished in [start, end].
- ``action_items_overdue(today, items=None)``: open action items past their due date.
- ``action_item_counts(start, end, today)``: {"completed", "overdue", "open"} numbers.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from meetings.models import ActionItem, Attendance, Invitation, Meeting

PRESENT = list(Attendance.PRESENT_STATUSES)


def _day_bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), tz)
    hi = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min), tz)
    return lo, hi


def with_counts(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Annotate attendance and invitation numbers (subquery-free, one GROUP BY)."""
    return meetings.annotate(
        invited_count=Count("invitations", distinct=True),
        present_count=Count(
            "invitations",
            filter=Q(invitations__attendance__status__in=PRESENT, invitations__person__isnull=False),
            distinct=True,
        ),
        guest_count=Count(
            "invitations",
            filter=Q(invitations__attendance__status__in=PRESENT, invitations__person__isnull=True),
            distinct=True,
        ),
    )


# --- Office layer (user-free) -------------------------------------------------------------------------


def meetings_held(start: datetime.date, end: datetime.date, meetings: QuerySet[Meeting] | None = None):
    lo, hi = _day_bounds(start, end)
    qs = (meetings if meetings is not None else Meeting.objects.all()).filter(start__gte=lo, start__lt=hi)
    qs = qs.exclude(status=Meeting.Status.DIBATALKAN).select_related("team__region")
    return with_counts(qs).annotate(resolution_count=Count("resolutions", distinct=True)).order_by("start", "pk")


def meetings_upcoming(today: datetime.date, days: int = 14, meetings: QuerySet[Meeting] | None = None):
    lo, hi = _day_bounds(today, today + datetime.timedelta(days=days))
    qs = meetings if meetings is not None else Meeting.objects.all()
    return (
        qs.filter(status=Meeting.Status.DIRENCANAKAN, start__gte=max(lo, timezone.now()), start__lt=hi)
        .select_related("team__region")
        .order_by("start", "pk")
    )


def action_items_completed(start: datetime.date, end: datetime.date, items: QuerySet[ActionItem] | None = None):
    lo, hi = _day_bounds(start, end)
    qs = items if items is not None else ActionItem.objects.all()
    return (
        qs.filter(status=ActionItem.Status.DONE, completed_at__gte=lo, completed_at__lt=hi)
        .select_related("meeting", "owner_person", "owner_institution")
        .order_by("completed_at", "pk")
    )


def action_items_overdue(today: datetime.date, items: QuerySet[ActionItem] | None = None):
    qs = items if items is not None else ActionItem.objects.all()
    return (
        qs.exclude(status__in=ActionItem.CLOSED_STATUSES)
        .filter(due_date__lt=today)
        .select_related("meeting__team", "owner_person", "owner_institution")
        .order_by("due_date", "pk")
    )


def action_item_counts(start: datetime.date, end: datetime.date, today: datetime.date) -> dict[str, int]:
    lo, hi = _day_bounds(start, end)
    closed = list(ActionItem.CLOSED_STATUSES)
    return ActionItem.objects.aggregate(
        completed=Count("pk", filter=Q(status=ActionItem.Status.DONE, completed_at__gte=lo, completed_at__lt=hi)),
        overdue=Count("pk", filter=~Q(status__in=closed) & Q(due_date__lt=today)),
        open=Count("pk", filter=~Q(status__in=closed)),
    )


# --- Pages -------------------------------------------------------------------------------------------


def meeting_headcount(meeting: Meeting, invitations=None) -> dict[str, int]:
    """Members and guests present (late and represented count as present): "diikuti 33 orang".

    ``invitations``: the already-fetched invitations with attendance (no query); else one query."""
    if invitations is None:
        invitations = list(Invitation.objects.filter(meeting=meeting).select_related("attendance"))
    members = guests = absent = unrecorded = 0
    for inv in invitations:
        attendance = getattr(inv, "attendance", None) if _has_attendance(inv) else None
        if attendance is None:
            unrecorded += 1
        elif attendance.counts_as_present:
            if inv.person_id:
                members += 1
            else:
                guests += 1
        else:
            absent += 1
    return {"members": members, "guests": guests, "total": members + guests, "absent": absent,
            "unrecorded": unrecorded}


def _has_attendance(inv: Invitation) -> bool:
    try:
        return inv.attendance is not None
    except Attendance.DoesNotExist:
        return False
