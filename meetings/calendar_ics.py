"""The .ics attachment of invitation, change and cancellation emails (RFC 5545 through ``icalendar``).

Times carry TZID=Asia/Jakarta with its VTIMEZONE; the UID stays the same for the life of a meeting and
SEQUENCE is the meeting's calendar revision, so a calendar program replaces the earlier entry. A
cancellation is METHOD:CANCEL with STATUS:CANCELLED.
"""

import zoneinfo

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


def meeting_ics(meeting, *, attendee_email: str = "", attendee_name: str = "", cancel: bool | None = None,
                organizer_email: str = "") -> bytes:
    from django.conf import settings

    cancel = meeting.is_cancelled if cancel is None else cancel
    cal = Calendar()
    cal.add("prodid", "-//Kesbangpol//Kesbang Rapat//ID")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", meeting.ics_uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.start.astimezone(JAKARTA))
    event.add("dtend", meeting.end.astimezone(JAKARTA))
    event.add("summary", meeting.title)
    location = ", ".join(p for p in (meeting.venue, meeting.venue_city) if p)
    event.add("location", location)
    description = meeting.description or ""
    event.add("description", description)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{organizer_email or _address(settings.DEFAULT_FROM_EMAIL)}")
    organizer.params["cn"] = vText(meeting.team.name)
    event.add("organizer", organizer)
    if attendee_email:
        attendee = vCalAddress(f"mailto:{attendee_email}")
        if attendee_name:
            attendee.params["cn"] = vText(attendee_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _address(from_email: str) -> str:
    from email.utils import parseaddr

    return parseaddr(from_email)[1] or "kesbang@localhost"
