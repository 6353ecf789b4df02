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

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import ActionItem, Attendance, Invitation, Meeting

PRESENT = list(Attendance.PRESENT_STATUSES)


def _day_bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), tz)
    hi = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min), tz)
    return lo, hi


def _invitation_count(condition: Q):
    """A correlated count of one meeting's invitations: evaluated only for the rows a page returns
    (PostgreSQL computes such target-list subqueries after Sort/Limit), each through the invitation's
    meeting index and the attendance's unique index, never a scan of every attendance row."""
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    counted = (
        Invitation.objects.filter(meeting=OuterRef("pk")).filter(condition).order_by()
        .values("meeting").annotate(n=Count("pk")).values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_counts(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Annotate ``invited_count``, ``present_count`` (members present, late or represented) and
    ``guest_count`` (guests present)."""
    return meetings.annotate(
        invited_count=_invitation_count(Q()),
        present_count=_invitation_count(Q(attendance__status__in=PRESENT, person__isnull=False)),
        guest_count=_invitation_count(Q(attendance__status__in=PRESENT, person__isnull=True)),
    )


# --- Office layer (user-free) -------------------------------------------------------------------------


def meetings_held(start: datetime.date, end: datetime.date, meetings: QuerySet[Meeting] | None = None):
    lo, hi = _day_bounds(start, end)
    qs = (meetings if meetings is not None else Meeting.objects.all()).filter(start__gte=lo, start__lt=hi)
    qs = qs.exclude(status=Meeting.Status.DIBATALKAN).select_related("team__region")
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from meetings.models import Resolution

    resolutions = (Resolution.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting")
                   .annotate(n=Count("pk")).values("n")[:1])
    return with_counts(qs).annotate(
        resolution_count=Coalesce(Subquery(resolutions, output_field=IntegerField()), 0)).order_by("start", "pk")


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
        attendance = attendance_of(inv)
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


def meeting_detail_counts(meeting: Meeting, invitations=None) -> dict[str, int]:
    """The detail page's heading figures: invited, members and guests present, their total.

    From ``invitations`` when the tab has loaded them already (no query), else one aggregate query.
    Not ``with_counts``' three correlated subqueries on the meeting's own row: compiling and planning
    them made that row 4.2 ms instead of 1.8 (``make bench``, the 200-invitee meeting)."""
    if invitations is not None:
        counted = meeting_headcount(meeting, invitations)
        return {"members": counted["members"], "guests": counted["guests"], "total": counted["total"],
                "invited": len(invitations)}
    figures = Invitation.objects.filter(meeting=meeting).aggregate(
        invited=Count("pk"),
        members=Count("pk", filter=Q(attendance__status__in=PRESENT, person__isnull=False)),
        guests=Count("pk", filter=Q(attendance__status__in=PRESENT, person__isnull=True)),
    )
    return {**figures, "total": figures["members"] + figures["guests"]}


def attendance_of(inv: Invitation) -> Attendance | None:
    """The invitation's recorded attendance, or None (no query when ``attendance`` was selected)."""
    try:
        return inv.attendance
    except Attendance.DoesNotExist:
        return None


def teams_for_filter(user):
    """Teams a login may see (filter choices, invite a whole team)."""
    from teams.models import Team

    return Team.objects.restrict(user, "view").select_related("region").order_by("region__code", "name")


def teams_for_organising(user):
    """Active teams whose meetings the login may organise (the region in its scope)."""
    from teams.access import scope_of
    from teams.models import Team

    return Team.objects.filter(status=Team.Status.AKTIF).filter(scope_of(user).q()).select_related(
        "region").order_by("region__code", "name")


def people_for(user):
    from teams.models import Person

    return Person.objects.restrict(user, "view").order_by("name")


def incidents_for(user):
    """Incidents a login may see, newest first (choices for "insiden yang dibahas")."""
    from incidents.models import Incident

    return Incident.objects.restrict(user, "view").order_by("-pk")


def meeting_list(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """The list page's rows with team, region and counts (one query per page plus the page count;
    the counts are computed for the page's rows only, see ``_invitation_count``)."""
    return with_counts(meetings.select_related("team__region")).order_by("-start", "-pk")


def _calendar_meetings(meetings, lo: datetime.date, hi: datetime.date):
    a, b = _day_bounds(lo, hi)
    return list(meetings.filter(start__gte=a, start__lt=b).select_related("team__region").order_by("start", "pk")
                .only("pk", "title", "start", "end", "venue", "status", "kind", "team__name", "team__region__name"))


def calendar_month(meetings: QuerySet[Meeting], first: datetime.date) -> dict:
    """Weeks (Monday first) covering the month of ``first``, each day with its meetings (one query)."""
    first = first.replace(day=1)
    grid_start = first - datetime.timedelta(days=first.weekday())
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    last = next_month - datetime.timedelta(days=1)
    grid_end = last + datetime.timedelta(days=6 - last.weekday())
    by_day: dict[datetime.date, list] = {}
    for m in _calendar_meetings(meetings, grid_start, grid_end):
        by_day.setdefault(timezone.localdate(m.start), []).append(m)
    weeks, day = [], grid_start
    while day <= grid_end:
        weeks.append([{"date": day, "in_month": day.month == first.month, "meetings": by_day.get(day, [])}
                      for day in (day + datetime.timedelta(days=i) for i in range(7))])
        day += datetime.timedelta(days=7)
    prev_month = (first - datetime.timedelta(days=1)).replace(day=1)
    return {"mode": "month", "first": first, "weeks": weeks, "prev": prev_month.strftime("%Y-%m"),
            "next": next_month.strftime("%Y-%m"),
            "count": sum(len(v) for d, v in by_day.items() if d.month == first.month)}


def calendar_week(meetings: QuerySet[Meeting], day: datetime.date) -> dict:
    monday = day - datetime.timedelta(days=day.weekday())
    sunday = monday + datetime.timedelta(days=6)
    by_day: dict[datetime.date, list] = {}
    for m in _calendar_meetings(meetings, monday, sunday):
        by_day.setdefault(timezone.localdate(m.start), []).append(m)
    days = [{"date": monday + datetime.timedelta(days=i),
             "meetings": by_day.get(monday + datetime.timedelta(days=i), [])} for i in range(7)]
    return {"mode": "week", "first": monday, "last": sunday, "days": days,
            "prev": (monday - datetime.timedelta(days=7)).isoformat(),
            "next": (monday + datetime.timedelta(days=7)).isoformat(), "month": monday.strftime("%Y-%m"),
            "count": sum(len(v) for v in by_day.values())}


def invitations_with_attendance(meeting: Meeting) -> list[Invitation]:
    """Every invitation with person, institution and attendance: one query whatever the number.

    Each row also carries ``response_text``, ``source_text`` and its attendance's ``status_text``:
    the choice labels translated once per call. Django's ``get_FOO_display`` hashes every lazy label
    of the field on each call (a gettext each), which was a fifth of a 200-invitee page."""
    rows = list(
        Invitation.objects.filter(meeting=meeting)
        .select_related("person__institution", "attendance")
        .order_by(F("person_id").asc(nulls_last=True), "person__name", "guest_name", "pk")
    )
    responses = {value: str(label) for value, label in Invitation.Response.choices}
    sources = {value: str(label) for value, label in Invitation.Source.choices}
    statuses = {value: str(label) for value, label in Attendance.Status.choices}
    for inv in rows:
        inv.response_text = responses.get(inv.response, inv.response)
        inv.source_text = sources.get(inv.source, inv.source)
        attendance = attendance_of(inv)
        if attendance is not None:
            attendance.status_text = statuses.get(attendance.status, attendance.status)
    return rows


def minutes_of(meeting: Meeting):
    from meetings.models import Minutes

    return Minutes.objects.select_related("approved_by").filter(meeting=meeting).first()


def action_items_of(meeting: Meeting) -> QuerySet[ActionItem]:
    return (ActionItem.objects.filter(meeting=meeting)
            .select_related("owner_person", "owner_institution", "resolution").order_by("due_date", "pk"))


def meeting_tab(meeting: Meeting, tab: str, *, user=None) -> dict:
    """The data of one tab of the detail page: one or two queries, whatever the volume. The linked
    incidents are shown to ``user`` as the classification policy says (``incidents.classification``)."""
    if tab == "acara":
        from incidents import classification

        linked = meeting.linked_incidents.only("pk", "reference", "title", "classification")
        return {"agenda": list(meeting.agenda_items.select_related("presenter").order_by("order")),
                "linked": classification.linked_incidents(user, linked)}
    if tab in ("undangan", "kehadiran"):
        invitations = invitations_with_attendance(meeting)
        answers = {c: 0 for c, _label in Invitation.Response.choices}
        for inv in invitations:
            answers[inv.response] += 1
        return {"invitations": invitations, "answers": [(Invitation.Response(c).label, n) for c, n in answers.items()],
                "counts": meeting_headcount(meeting, invitations)}
    if tab == "notulen":
        return {"resolutions": list(meeting.resolutions.all())}
    if tab == "tindak-lanjut":
        return {"action_items": list(action_items_of(meeting)), "today": timezone.localdate()}
    if tab == "dokumen":
        return {"documents": list(meeting.documents.select_related("uploaded_by"))}
    if tab == "riwayat":
        return {"history": meeting_history(meeting)}
    return {}


def meeting_history(meeting: Meeting, limit: int = 100) -> list[dict]:
    """Changes of the meeting and its minutes: who, when, what (old → new), newest first (two queries)."""
    from meetings.models import Minutes

    entries = []
    for label, model, qs in (
        (_("Rapat"), Meeting, meeting.history.select_related("history_user").order_by("history_date")[:limit]),
        (_("Notulen"), Minutes,
         Minutes.history.filter(meeting_id=meeting.pk).select_related("history_user").order_by("history_date")[:limit]),
    ):
        previous = None
        for record in qs:
            changes = []
            if previous is not None:
                delta = record.diff_against(previous)
                for change in delta.changes:
                    field = model._meta.get_field(change.field)
                    changes.append((str(field.verbose_name), _display(record, field, change.old),
                                    _display(record, field, change.new)))
            entries.append({
                "when": record.history_date, "who": str(record.history_user or _("sistem")), "object": label,
                "action": {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}[record.history_type],
                "changes": changes,
            })
            previous = record
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries[:limit]


def _display(record, field, value):
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return f"#{value}"
    if isinstance(value, datetime.datetime):
        from django.utils.formats import date_format

        return date_format(timezone.localtime(value), "j F Y H.i")
    return str(value)


def action_items_of_user(user) -> QuerySet[ActionItem]:
    """The action items the login's person owns, open first by due date."""
    from django.db.models import Case, IntegerField, Value, When

    closed = list(ActionItem.CLOSED_STATUSES)
    return (
        ActionItem.objects.filter(owner_person__user=user)
        .select_related("meeting", "owner_institution", "owner_person")
        .annotate(closed=Case(When(status__in=closed, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("closed", "due_date", "pk")
    )


def overdue_for_secretary(user, today: datetime.date) -> QuerySet[ActionItem]:
    """Overdue items of the meetings the login may change, plus those of teams where its person is the
    active Sekretaris."""
    from teams.models import Membership

    secretary_teams = Membership.objects.filter(
        person__user=user, role=Membership.Role.SEKRETARIS, end_date__isnull=True).values("team_id")
    changeable = Meeting.objects.restrict(user, "change")
    if not changeable.query.where:  # the login may change every meeting (the province): no filter to add
        return action_items_overdue(today, ActionItem.objects.all())
    mine = ActionItem.objects.filter(Q(meeting__in=changeable.values("pk")) | Q(meeting__team__in=secretary_teams))
    return action_items_overdue(today, mine)


