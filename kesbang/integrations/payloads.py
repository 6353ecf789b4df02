"""The JSON shapes Kesbang sends to other systems: webhook bodies and the national package's JSON.

Interim module: the REST API (``/api/v1/``, issue 17 items 1-4) defines the resources with DRF
serializers in ``kesbang/api/``; once those land, ``incident``, ``meeting`` and ``report`` below should
be replaced by those serializers (same field names were chosen on purpose: the model's own field
names, related rows as ``{"id", "name"}`` / regions as ``{"code", "name"}``), so a webhook body, a
package and an API response describe a record the same way. ``SCHEMA_VERSION`` changes when a field
is removed or changes meaning (adding a field does not).

Every incident goes through the classification policy (``incidents.classification``) for the
audience of the channel: ``full`` gives the record, ``reference`` only its reference number, kind,
severity, class and regency/city, anything less gives nothing here (the caller counts or omits it).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from incidents.classification import Audience, Disclosure, disclosure, webhook_audience
from incidents.taxonomy import snpk_code
from kesbang.core import events
from kesbang.core.email import absolute_url

SCHEMA_VERSION = "1.0"


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value.isoformat()


def _region(region) -> dict | None:
    return {"code": region.code, "name": region.name} if region is not None else None


def _named(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def category(cat) -> dict | None:
    if cat is None:
        return None
    parent = cat.parent
    return {
        "id": cat.pk, "name": cat.name, "parent": _named(parent),
        "snpk_code": snpk_code(cat.name, parent.name if parent is not None else None),
        "social_conflict": cat.social_conflict,
    }


def incident_queryset(qs):
    """The joins ``incident`` reads (one query for any number of incidents)."""
    return qs.select_related("region", "kecamatan", "desa", "category__parent", "handling_team",
                             "escalated_from")


def incident(obj, shown: Disclosure) -> dict | None:
    """One incident as the channel may show it (``shown`` from the policy), or None when not named."""
    if shown is Disclosure.REFERENCE:
        return {
            "reference": obj.reference, "disclosure": "reference", "kind": obj.kind, "severity": obj.severity,
            "classification": obj.classification, "region": _region(obj.region),
        }
    if shown is not Disclosure.FULL:
        return None
    return {
        "id": obj.pk, "reference": obj.reference, "disclosure": "full", "kind": obj.kind, "status": obj.status,
        "classification": obj.classification, "title": obj.title, "chronology": obj.chronology,
        "occurred_on": _iso(obj.occurred_on), "occurred_time": obj.occurred_time.strftime("%H:%M")
        if obj.occurred_time else None, "date_precision": obj.date_precision, "reported_at": _iso(obj.reported_at),
        "region": _region(obj.region), "kecamatan": _region(obj.kecamatan), "desa": _region(obj.desa),
        "latitude": float(obj.latitude) if obj.latitude is not None else None,
        "longitude": float(obj.longitude) if obj.longitude is not None else None,
        "source": obj.source, "category": category(obj.category), "violence_form": obj.violence_form,
        "phase": obj.phase, "severity": obj.severity,
        "parties": [
            {"type": obj.party_a_type, "name": obj.party_a_name, "size": obj.party_a_size},
            {"type": obj.party_b_type, "name": obj.party_b_name, "size": obj.party_b_size},
        ],
        "impact": {
            "killed": obj.killed, "injured": obj.injured, "missing": obj.missing, "displaced": obj.displaced,
            "buildings_damaged": obj.buildings_damaged, "buildings_destroyed": obj.buildings_destroyed,
            "women_victims": obj.women_victims, "children_victims": obj.children_victims,
            "estimated_loss": int(obj.estimated_loss or Decimal(0)),
        },
        "info_source": obj.info_source, "handling_team": _named(obj.handling_team),
        "url": absolute_url(obj.get_absolute_url()),
    }


def incident_for(obj, audience: Audience) -> dict | None:
    return incident(obj, disclosure(obj.classification, audience))


def meeting(obj, audience: Audience) -> dict:
    """A meeting with the linked incidents the audience may be told of (named ones only)."""
    linked = [incident_for(i, audience) for i in incident_queryset(obj.linked_incidents.all()).order_by("pk")]
    return {
        "id": obj.pk, "title": obj.title, "kind": obj.kind, "status": obj.status,
        "team": {"id": obj.team.pk, "name": obj.team.name, "region": _region(obj.team.region)},
        "start": _iso(obj.start), "end": _iso(obj.end), "venue": obj.venue, "venue_city": obj.venue_city,
        "linked_incidents": [i for i in linked if i is not None],
        "url": absolute_url(obj.get_absolute_url()),
    }


def report(obj) -> dict:
    """A periodic report's metadata (its files are downloaded from the page, by a login)."""
    return {
        "id": obj.pk, "kind": obj.kind, "period": obj.period, "period_start": _iso(obj.period_start),
        "period_end": _iso(obj.period_end), "region": _region(obj.region), "version": obj.version,
        "finalised_at": _iso(obj.finalised_at), "pdf_sha256": obj.pdf_sha256, "xlsx_sha256": obj.xlsx_sha256,
        "url": absolute_url(obj.get_absolute_url()),
    }


# --- webhook bodies ---------------------------------------------------------------------------------


def _incident_obj(pk):
    from incidents.models import Incident

    return incident_queryset(Incident.objects.filter(pk=pk)).first()


def event_data(name: str, object_id: int, data: dict, clearance: str) -> dict | None:
    """The ``data`` of a webhook body for an endpoint of ``clearance``; None when the policy withholds
    the event from it (an incident above its clearance) or the object is gone."""
    audience = webhook_audience(clearance)
    if name.startswith("incident."):
        obj = _incident_obj(object_id)
        if obj is None:
            return None
        shown = disclosure(obj.classification, audience)
        body = incident(obj, shown)
        if body is None:
            return None
        out = {"incident": body}
        if shown is Disclosure.FULL and data.get("from_status") is not None:
            out.update(from_status=data.get("from_status"), to_status=data.get("to_status"))
        if name == events.INCIDENT_ESCALATED and data.get("escalated_from"):
            potential = _incident_obj(data["escalated_from"])
            origin = incident_for(potential, audience) if potential is not None else None
            if origin is not None:
                out["escalated_from"] = origin
        return out
    if name == events.MEETING_SCHEDULED:
        from meetings.models import Meeting

        obj = Meeting.objects.select_related("team__region").filter(pk=object_id).first()
        return {"meeting": meeting(obj, audience)} if obj is not None else None
    if name == events.REPORT_FINALISED:
        from kesbang.office.models import Report

        obj = Report.objects.select_related("region").filter(pk=object_id).first()
        return {"report": report(obj)} if obj is not None else None
    return None


def webhook_body(*, uid, name: str, occurred_at, object_id: int, data: dict, clearance: str) -> dict | None:
    """The whole JSON body of one delivery (None: nothing may be sent to this endpoint)."""
    payload = event_data(name, object_id, data, clearance)
    if payload is None:
        return None
    return {"schema_version": SCHEMA_VERSION, "id": str(uid), "event": name, "occurred_at": _iso(occurred_at),
            "data": payload}
