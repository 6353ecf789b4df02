"""The JSON Kesbang sends to other systems: webhook bodies and the national package's JSON member.

Both are made by the REST API's own serializers (``kesbang.api.serializers``), so a webhook body, a
package and an API response describe a record alike and validate against the same OpenAPI components
(``IncidentDetail``, ``IncidentReference``, ``Incident``, ``Meeting``, ``Report``, ``ActionPlanDetail``,
``NationalPackageDocument``). ``SCHEMA_VERSION`` changes when a field is removed or changes meaning
(adding a field does not); 2.0: the API's representations instead of the interim hand-built ones.

Every incident goes through the classification policy (``incidents.classification``) for the
channel's audience (a webhook's declared clearance, the package's ``external``): ``full`` gives the
API's detail (``IncidentDetail``), ``reference`` only ``IncidentReference`` (number, kind, severity,
class, regency/city), anything less nothing here (the caller counts or omits it). Links to other
incidents (an escalation's other end) name only incidents the same audience sees in full: the
serializers' ``readable_ids`` context (``full_ids``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from incidents.classification import Audience, Disclosure, classes_for, disclosure, webhook_audience
from kesbang.core import events
from kesbang.core.email import absolute_url

SCHEMA_VERSION = "2.0"


def _api():
    """The API's serializers, imported on first use: Django REST framework (and what it imports) is
    then loaded only by the processes that send a payload, not by every worker at start-up."""
    from kesbang.api import serializers

    return serializers


def incident_queryset(qs):
    """The joins and prefetches the incident representations read (a fixed number of queries)."""
    return _api().incident_detail_queryset(qs)


def full_ids(audience: Audience, *, among=None) -> Callable[[Iterable[int]], set[int]]:
    """The serializers' ``readable_ids`` for a channel: the ids among those given whose class
    ``audience`` sees in full and, with ``among`` (a queryset, e.g. the requester's
    ``Incident.objects.restrict(user, "view")``), that are in it. One query per call."""
    from incidents.models import Incident

    def readable(ids: Iterable[int]) -> set[int]:
        ids = [i for i in ids if i is not None]
        if not ids:
            return set()
        qs = Incident.objects.filter(pk__in=ids, classification__in=classes_for(audience, at_least=Disclosure.FULL))
        if among is not None:
            qs = qs.filter(pk__in=among.values("pk"))
        return set(qs.values_list("pk", flat=True))

    return readable


def known_ids(readable: Callable[[Iterable[int]], set[int]], ids: Iterable[int]) -> Callable[[Iterable[int]], set[int]]:
    """``readable`` answered once for ``ids`` (all the links of a batch: one query, not one per row)."""
    allowed = frozenset(readable(ids))
    return lambda asked: {i for i in asked if i in allowed}


def link_ids(incidents: Iterable) -> set[int]:
    """The escalation links of ``incidents`` (loaded by ``incident_queryset``)."""
    found = set()
    for obj in incidents:
        found.add(obj.escalated_from_id)
        other = getattr(obj, "escalated_to", None)
        found.add(other.pk if other is not None else None)
    found.discard(None)
    return found


def incident(obj, shown: Disclosure, *, context: dict) -> dict | None:
    """One incident as the channel may show it (``shown`` from the policy), or None when not named."""
    if shown is Disclosure.REFERENCE:
        return _api().IncidentReferenceSerializer(obj).data
    if shown is Disclosure.FULL:
        return _api().IncidentDetailSerializer(obj, context=context).data
    return None


# --- webhook bodies ---------------------------------------------------------------------------------


def _incident_obj(pk):
    from incidents.models import Incident

    return incident_queryset(Incident.objects.filter(pk=pk)).first()


def _incident_data(name: str, object_id: int, data: dict, audience: Audience, context: dict) -> dict | None:
    obj = _incident_obj(object_id)
    if obj is None:
        return None
    shown = disclosure(obj.classification, audience)
    body = incident(obj, shown, context=context)
    if body is None:
        return None
    out = {"disclosure": str(shown), "incident": body}
    if shown is Disclosure.FULL:
        out["page_url"] = absolute_url(obj.get_absolute_url())
        if data.get("from_status") is not None:
            out.update(from_status=data.get("from_status"), to_status=data.get("to_status"))
    if name == events.INCIDENT_ESCALATED and data.get("escalated_from"):
        potential = _incident_obj(data["escalated_from"])
        if potential is not None and disclosure(potential.classification, audience).named:
            out["escalated_from"] = _api().IncidentReferenceSerializer(potential).data
    return out


def _meeting_data(object_id: int, audience: Audience) -> dict | None:
    """A meeting (the API's list row) with the linked incidents the audience may be told of: in full
    (``Incident`` rows) or by number (``IncidentReference``); the others are left out."""
    from incidents.selectors import incident_list_queryset
    from meetings.models import Meeting
    from meetings.selectors import with_counts

    obj = with_counts(Meeting.objects.select_related("team").filter(pk=object_id)).first()
    if obj is None:
        return None
    linked = list(incident_list_queryset(obj.linked_incidents.all()).select_related("desa").order_by("pk"))
    shown = {i.pk: disclosure(i.classification, audience) for i in linked}
    return {
        "meeting": _api().MeetingSerializer(obj).data,
        "page_url": absolute_url(obj.get_absolute_url()),
        "linked_incidents": _api().incident_rows([i for i in linked if shown[i.pk] is Disclosure.FULL]),
        "linked_incidents_by_reference": _api().IncidentReferenceSerializer(
            [i for i in linked if shown[i.pk] is Disclosure.REFERENCE], many=True
        ).data,
    }


def event_data(name: str, object_id: int, data: dict, clearance: str) -> dict | None:
    """The ``data`` of a webhook body for an endpoint of ``clearance``; None when the policy withholds
    the event from it (an incident above its clearance) or the object is gone."""
    audience = webhook_audience(clearance)
    if name.startswith("incident."):
        return _incident_data(name, object_id, data, audience, {"readable_ids": full_ids(audience)})
    if name == events.MEETING_SCHEDULED:
        return _meeting_data(object_id, audience)
    if name == events.REPORT_FINALISED:
        from kesbang.office.models import Report

        obj = Report.objects.select_related("region").filter(pk=object_id).first()
        if obj is None:
            return None
        return {"report": _api().ReportSerializer(obj).data, "page_url": absolute_url(obj.get_absolute_url())}
    return None


def webhook_body(*, uid, name: str, occurred_at, object_id: int, data: dict, clearance: str) -> dict | None:
    """The whole JSON body of one delivery (None: nothing may be sent to this endpoint)."""
    payload = event_data(name, object_id, data, clearance)
    if payload is None:
        return None
    return {
        "schema_version": SCHEMA_VERSION,
        "id": str(uid),
        "event": name,
        "occurred_at": occurred_at.isoformat(),
        "data": payload,
    }
