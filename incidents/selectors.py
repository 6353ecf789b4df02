"""Reads of the incidents app. Each owns its joins; none takes a user or raises Http404, so views,
Celery tasks and the office layer (dashboard, weekly summary, reports) share them. Authorisation is
applied by the caller: ``Incident.objects.restrict(user, "view")`` gives the queryset to pass in.

For the office layer (user-free, take a queryset of incidents):

- ``incident_stats(qs, start, end) -> IncidentStats``: totals for incidents that occurred between
  ``start`` and ``end`` (inclusive): count, by kind, by status, open, victims (killed, injured,
  missing), displaced, buildings damaged/destroyed, estimated loss. One query.
- ``counts_by_region(qs)``: ``[(region_code, region_name, count)]`` per regency/city, one query.
- ``counts_by(qs, field)``: ``{value: count}`` for ``source``, ``severity``, ``kind``, ``status``,
  ``category__parent__name`` ... one query.
- ``open_incidents(qs)``: reported and not yet closed/rejected, most severe and newest first.
- ``awaiting_verification(qs)``: reports with status dilaporkan, oldest first (dashboard, digest).
- ``active_conflict_statuses(day=None)``: Status Keadaan Konflik in force on ``day`` (default today).
- ``conflict_statuses_ending(day, days_before)``: statuses whose end is ``days_before`` days after ``day``.

For pages: ``incident_list_queryset``, ``incident_detail_queryset``, ``timeline``, ``map_data``,
``possible_duplicates``.

Public reports (take ``PublicReport.objects.restrict(user, ...)`` or ``.all()`` in tasks):
``public_report_list_queryset`` (the triage queue's rows), ``public_reports_waiting`` (how many wait
for triage: dashboard, digest), ``public_report_week`` (received and waiting, for the weekly summary).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from incidents.models import Attachment, ConflictStatus, FollowUp, Incident, IncidentTransition, PublicReport


@dataclass(frozen=True)
class IncidentStats:
    total: int
    potensi: int
    peristiwa: int
    open: int
    closed: int
    rejected: int
    killed: int
    injured: int
    missing: int
    displaced: int
    buildings_damaged: int
    buildings_destroyed: int
    estimated_loss: int
    high_severity: int

    @property
    def victims(self) -> int:
        return self.killed + self.injured + self.missing


def incident_stats(qs: QuerySet[Incident], start: datetime.date, end: datetime.date) -> IncidentStats:
    """Totals over incidents that occurred from ``start`` to ``end`` inclusive (drafts excluded)."""
    rows = qs.filter(occurred_on__gte=start, occurred_on__lte=end).exclude(status=Incident.Status.DRAF)
    agg = rows.aggregate(
        total=Count("id"),
        potensi=Count("id", filter=Q(kind="potensi")),
        peristiwa=Count("id", filter=Q(kind="peristiwa")),
        open=Count("id", filter=Q(status__in=Incident.OPEN_STATUSES)),
        closed=Count("id", filter=Q(status="selesai")),
        rejected=Count("id", filter=Q(status="ditolak")),
        high_severity=Count("id", filter=Q(severity__in=["tinggi", "kritis"])),
        killed=Sum("killed"), injured=Sum("injured"), missing=Sum("missing"), displaced=Sum("displaced"),
        buildings_damaged=Sum("buildings_damaged"), buildings_destroyed=Sum("buildings_destroyed"),
        estimated_loss=Sum("estimated_loss"),
    )
    return IncidentStats(**{k: int(v or 0) for k, v in agg.items()})


def counts_by_region(qs: QuerySet[Incident]) -> list[tuple[str, str, int]]:
    rows = qs.values("region__code", "region__name").annotate(n=Count("id")).order_by("region__code")
    return [(r["region__code"], r["region__name"], r["n"]) for r in rows]


def counts_by(qs: QuerySet[Incident], field: str) -> dict[str, int]:
    rows = qs.values(field).annotate(n=Count("id")).order_by()
    return {r[field]: r["n"] for r in rows}


SEVERITY_ORDER = Case(
    When(severity="kritis", then=Value(4)), When(severity="tinggi", then=Value(3)),
    When(severity="sedang", then=Value(2)), default=Value(1), output_field=IntegerField(),
)


def open_incidents(qs: QuerySet[Incident]) -> QuerySet[Incident]:
    return (
        qs.filter(status__in=Incident.OPEN_STATUSES)
        .select_related("region", "category")
        .annotate(severity_rank=SEVERITY_ORDER)
        .order_by("-severity_rank", "-occurred_on", "-id")
    )


def awaiting_verification(qs: QuerySet[Incident]) -> QuerySet[Incident]:
    return qs.filter(status=Incident.Status.DILAPORKAN).select_related("region", "category").order_by(
        "reported_at", "id"
    )


def active_conflict_statuses(day: datetime.date | None = None) -> QuerySet[ConflictStatus]:
    day = day or timezone.localdate()
    return ConflictStatus.objects.filter(start_date__lte=day, end_date__gte=day).select_related(
        "incident__region"
    ).order_by("end_date")


def conflict_statuses_ending(day: datetime.date, days_before: int) -> QuerySet[ConflictStatus]:
    return ConflictStatus.objects.filter(end_date=day + datetime.timedelta(days=days_before)).select_related(
        "incident__region", "incident__handling_team"
    )


# --- Pages --------------------------------------------------------------------------------------------

LIST_FIELDS = (
    "id", "reference", "title", "kind", "status", "severity", "occurred_on", "date_precision", "classification",
    "source", "region__name", "kecamatan__name", "category__name",
)


def incident_list_queryset(qs: QuerySet[Incident]) -> QuerySet[Incident]:
    """What the list table and the exports read: the incident with region, kecamatan, category."""
    return qs.select_related("region", "kecamatan", "category")


def incident_detail_queryset(qs: QuerySet[Incident]) -> QuerySet[Incident]:
    """The incident with its places, category, team, handler, reporter, links, attachments and Status
    Keadaan Konflik (the timeline is one more query: ``timeline``)."""
    return qs.select_related(
        "region", "kecamatan", "desa", "category__parent", "handling_team", "handler__institution", "reporter",
        "escalated_from", "escalated_to",
    ).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
        Prefetch("conflict_statuses", queryset=ConflictStatus.objects.order_by("-start_date")),
    )


@dataclass(frozen=True)
class TimelineEntry:
    """A follow-up (``kind`` "follow_up": ``label`` its type, ``text`` the description, ``by`` the
    institution) or a status change (``kind`` "transition": ``old``/``new`` status labels, ``text``
    the note, ``by`` the user), in date order."""

    kind: str
    date: datetime.date
    at: datetime.datetime | None
    label: str
    text: str
    by: str
    old: str = ""
    new: str = ""


def timeline(incident_id: int) -> list[TimelineEntry]:
    """Follow-ups and status changes of an incident in one query (UNION ALL), oldest first."""
    from django.db.models import CharField, DateTimeField, F
    from django.db.models.functions import Cast, Concat, Trim

    def who(prefix):
        return Trim(Concat(F(f"{prefix}__first_name"), Value(" "), F(f"{prefix}__last_name"),
                           output_field=CharField()))

    follow = FollowUp.objects.filter(incident_id=incident_id).annotate(
        e_kind=Value("follow_up", output_field=CharField()), e_date=F("date"),
        e_at=Cast(F("created_at"), DateTimeField()), e_a=F("kind"), e_b=Value("", output_field=CharField()),
        e_text=F("description"), e_by=F("institution__name"), e_user=F("created_by__username"),
    ).order_by().values_list("e_kind", "e_date", "e_at", "e_a", "e_b", "e_text", "e_by", "e_user")
    steps = IncidentTransition.objects.filter(incident_id=incident_id).annotate(
        e_kind=Value("transition", output_field=CharField()), e_date=Cast(F("at"), models_date()),
        e_at=F("at"), e_a=F("from_status"), e_b=F("to_status"), e_text=F("note"), e_by=who("by"),
        e_user=F("by__username"),
    ).order_by().values_list("e_kind", "e_date", "e_at", "e_a", "e_b", "e_text", "e_by", "e_user")
    kinds = dict(FollowUp.Kind.choices)
    statuses = dict(Incident.Status.choices)
    entries = []
    for kind, day, at, a, b, text, by, user in follow.union(steps, all=True):
        if kind == "transition":
            local = timezone.localtime(at) if at else None
            entries.append(TimelineEntry(kind, local.date() if local else day, local, str(statuses.get(b, b)),
                                         text or "", (by or "").strip() or (user or ""),
                                         old=str(statuses.get(a, "")) if a else "", new=str(statuses.get(b, b))))
        else:
            entries.append(TimelineEntry(kind, day, at, str(kinds.get(a, a)), text or "", by or ""))
    far = timezone.make_aware(datetime.datetime(2000, 1, 1))
    entries.sort(key=lambda e: (e.date, e.at or far))
    return entries


def models_date():
    from django.db.models import DateField

    return DateField()


def possible_duplicates(qs: QuerySet[Incident], *, desa_id, occurred_on: datetime.date, exclude_pk=None,
                        days: int = 3, kecamatan_id=None, region_id=None) -> QuerySet[Incident]:
    """Incidents in the same place within ``days`` days of ``occurred_on`` (the quick entry's notice, the
    triage of public reports). The place is the most precise one given: the desa, else the kecamatan
    (a public report may name no desa), else the regency/city."""
    place = ({"desa_id": desa_id} if desa_id else {"kecamatan_id": kecamatan_id} if kecamatan_id
             else {"region_id": region_id} if region_id else None)
    if not place or not occurred_on:
        return qs.none()
    delta = datetime.timedelta(days=days)
    found = qs.filter(**place, occurred_on__gte=occurred_on - delta, occurred_on__lte=occurred_on + delta)
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found.exclude(status=Incident.Status.DITOLAK).order_by("-occurred_on")[:5]


MAX_MARKERS = 1000


def map_data(qs: QuerySet[Incident], *, codes: dict[int, str] | None = None) -> dict:
    """Counts per regency/city and per kecamatan code, and markers (the newest ``MAX_MARKERS`` incidents
    with coordinates). Two queries whatever the volume (three without ``codes``, the region id → code
    map the caller may already hold): one grouped count per (regency, kecamatan), summed here."""
    # COUNT(*), not COUNT(id): the covering index alone answers it (index-only scan, no heap).
    pairs = list(qs.values_list("region_id", "kecamatan_id").annotate(n=Count("*")).order_by())
    if codes is None:
        from teams.models import Region

        ids = {r for r, _k, _n in pairs} | {k for _r, k, _n in pairs if k}
        codes = dict(Region.objects.filter(id__in=ids).values_list("id", "code"))
    by_region: dict[str, int] = {}
    by_kecamatan: dict[str, int] = {}
    for region_id, kecamatan_id, n in pairs:
        code = codes.get(region_id)
        if code:
            by_region[code] = by_region.get(code, 0) + n
        if kecamatan_id and codes.get(kecamatan_id):
            by_kecamatan[codes[kecamatan_id]] = by_kecamatan.get(codes[kecamatan_id], 0) + n
    markers = list(
        qs.filter(latitude__isnull=False)
        .order_by("-occurred_on", "-id")
        .values_list("id", "reference", "title", "latitude", "longitude", "severity", "kind", "status",
                     "occurred_on")[:MAX_MARKERS]
    )
    return {
        "regions": by_region,
        "kecamatan": by_kecamatan,
        "markers": [
            {
                "id": m[0], "ref": m[1], "title": m[2], "lat": float(m[3]), "lng": float(m[4]), "severity": m[5],
                "kind": m[6], "status": m[7], "date": m[8].isoformat(),
            }
            for m in markers
        ],
    }


def map_data_cached(qs: QuerySet[Incident], *, codes: dict[int, str] | None = None) -> dict:
    """``map_data`` kept until an incident-side write (``IncidentsConfig``: generation "incidents"),
    keyed on the query, which holds the reader's scope, classification and filters."""
    from kesbang.core.generations import cached_query_result

    return cached_query_result("incidents", qs, lambda: map_data(qs, codes=codes), kind="map")


# --- Public reports (the triage queue) ---------------------------------------------------------------


def public_report_list_queryset(qs: QuerySet[PublicReport]) -> QuerySet[PublicReport]:
    """The queue's rows: places joined, photos counted (one query per page)."""
    return qs.select_related("region", "kecamatan", "desa").annotate(photo_count=Count("photos"))


def public_reports_waiting(qs: QuerySet[PublicReport]) -> int:
    """How many reports of ``qs`` wait for triage."""
    return qs.filter(status=PublicReport.Status.BARU).count()


def public_report_week(qs: QuerySet[PublicReport], start: datetime.datetime, end: datetime.datetime) -> dict:
    """Reports received in [start, end), how many of those were accepted or merged, rejected, and how
    many of ``qs`` wait for triage now (one query)."""
    received = Q(submitted_at__gte=start, submitted_at__lt=end)
    agg = qs.aggregate(
        received=Count("id", filter=received),
        taken=Count("id", filter=received & Q(status__in=[PublicReport.Status.DITERIMA, PublicReport.Status.DIGABUNG])),
        rejected=Count("id", filter=received & Q(status=PublicReport.Status.DITOLAK)),
        waiting=Count("id", filter=Q(status=PublicReport.Status.BARU)),
    )
    return {k: int(v or 0) for k, v in agg.items()}
