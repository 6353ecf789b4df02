"""Meeting emails against a real SMTP server on loopback (aiosmtpd): invitation with .ics (Asia/Jakarta),
change and cancellation with updated .ics (SEQUENCE), every reminder kind exactly once when beat runs
twice, retried when SMTP is down."""

import datetime

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.utils import timezone
from icalendar import Calendar

from meetings import notifications, services
from meetings.models import MeetingDelivery
from meetings.tasks import meeting_invitations_send, meeting_reminders_send
from tests.factories import PersonFactory, make_meeting, make_member, make_team
from tests.teams.test_reminders import Collector, free_port, use_smtp

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    from aiosmtpd.controller import Controller

    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield collector
    controller.stop()


@pytest.fixture
def team():
    t = make_team("19")
    make_member(t, "ketua", email="ketua@example.go.id")
    make_member(t, "sekretaris", email="sekretaris@example.go.id")
    make_member(t, "anggota", email="anggota@example.go.id")
    make_member(t, "anggota", email="")  # no address: a printed letter instead
    return t


def ics_of(message) -> Calendar:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no .ics attached")


def test_invitation_email_with_ics_in_jakarta_time_and_rsvp_link(smtp, team):
    meeting = make_meeting(team, days_ahead=10, venue="Hotel Bangka City")
    services.invite_team(meeting=meeting, team=team)
    services.invite_guest(meeting=meeting, name="Kepala BIN Daerah", institution="BINDA", email="binda@example.go.id")
    result = notifications.invitations_send(meeting.pk)
    assert result.sent == 4 and result.failed == 0
    assert sorted(m["To"] for m in smtp.messages) == sorted(
        ["ketua@example.go.id", "sekretaris@example.go.id", "anggota@example.go.id", "binda@example.go.id"])
    message = smtp.messages[0]
    assert message["Subject"].startswith("Undangan: Rapat Koordinasi")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "/rapat/jawab/" in body and "Hotel Bangka City" in body
    cal = ics_of(message)
    assert cal["METHOD"] == "REQUEST"
    event = cal.walk("VEVENT")[0]
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Asia/Jakarta" and start.hour == 9
    assert start == timezone.localtime(meeting.start)
    assert event["UID"] == f"rapat-{meeting.pk}@kesbang" and int(event["SEQUENCE"]) == 0
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Asia/Jakarta"
    # again: nothing new
    assert notifications.invitations_send(meeting.pk).sent == 0
    assert len(smtp.messages) == 4


def test_change_and_cancellation_carry_updated_ics(smtp, team):
    meeting = make_meeting(team, days_ahead=10)
    services.invite_team(meeting=meeting, team=team, roles=["ketua"])
    notifications.invitations_send(meeting.pk)
    meeting = services.meeting_update(meeting=meeting, venue="Hotel Bangka City",
                                      start=meeting.start + datetime.timedelta(hours=1),
                                      end=meeting.end + datetime.timedelta(hours=1))
    assert notifications.change_notify(meeting.pk, 0).sent == 0  # superseded revision
    assert notifications.change_notify(meeting.pk, meeting.sequence).sent == 1
    assert notifications.change_notify(meeting.pk, meeting.sequence).sent == 0
    change = smtp.messages[-1]
    assert change["Subject"].startswith("Perubahan jadwal")
    event = ics_of(change).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1 and "Hotel Bangka City" in str(event["LOCATION"])
    assert event.decoded("DTSTART").hour == 10
    services.meeting_cancel(meeting=meeting, reason="Bentrok dengan agenda Gubernur")
    assert notifications.cancel_notify(meeting.pk).sent == 1
    cancel = smtp.messages[-1]
    cal = ics_of(cancel)
    assert cal["METHOD"] == "CANCEL" and cal.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert int(cal.walk("VEVENT")[0]["SEQUENCE"]) == 2
    assert "Bentrok dengan agenda Gubernur" in cancel.get_body(preferencelist=("plain",)).get_content()


def reminder_setup(team):
    """Today 1 June; meeting on 4 June (H-3), one unanswered and one declined invitee; action items
    due 4 June (owner reminder) and 20 May (overdue)."""
    today = datetime.date(2030, 6, 1)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime(2030, 6, 4, 9, 0), tz)
    meeting = make_meeting(team, start=start, end=start + datetime.timedelta(hours=2))
    invs = services.invite_team(meeting=meeting, team=team)
    by_email = {i.person.email: i for i in invs}
    services.invitation_respond(invitation=by_email["ketua@example.go.id"], response="hadir")
    services.invitation_respond(invitation=by_email["anggota@example.go.id"], response="tidak_hadir")
    past_start = start - datetime.timedelta(days=30)
    past = make_meeting(team, start=past_start, end=past_start + datetime.timedelta(hours=2))
    owner = PersonFactory(email="pemilik@example.go.id")
    services.action_item_create(meeting=past, description="Laporan pemetaan", owner_person=owner,
                                due_date=datetime.date(2030, 6, 4))
    services.action_item_create(meeting=past, description="Koordinasi FKUB", owner_person=owner,
                                due_date=datetime.date(2030, 5, 20))
    return today, meeting


def test_every_reminder_kind_once_when_beat_runs_twice(smtp, team, settings):
    settings.MEETINGS_ATTENDEE_REMINDER_DAYS = (1, 3)
    today, meeting = reminder_setup(team)
    first = meeting_reminders_send.apply(kwargs={"today": today.isoformat()})
    second = meeting_reminders_send.apply(kwargs={"today": today.isoformat()})
    assert first.successful() and second.successful()
    kinds = sorted(MeetingDelivery.objects.values_list("kind", "recipient"))
    assert kinds == sorted([
        ("pengingat_jawaban", "sekretaris@example.go.id"),          # unanswered, H-3
        ("pengingat_rapat", "ketua@example.go.id"),                 # attending, H-3
        ("pengingat_rapat", "sekretaris@example.go.id"),            # not declined, H-3
        ("pengingat_tenggat", "pemilik@example.go.id"),             # due in 3 days
        ("terlambat", "pemilik@example.go.id"),                     # overdue: owner
        ("terlambat", "sekretaris@example.go.id"),                  # overdue: team's Sekretaris
    ])
    assert first.get()["sent"] == 6 and second.get() == {"sent": 0, "skipped": 6, "failed": 0}
    assert len(smtp.messages) == 6
    assert MeetingDelivery.objects.filter(kind="terlambat").count() == 2
    # H-2 (next day): the H-3 reminder is not repeated; H-1 then sends the day-before reminder once
    meeting_reminders_send.apply(kwargs={"today": (today + datetime.timedelta(days=1)).isoformat()})
    assert MeetingDelivery.objects.filter(kind="pengingat_rapat").count() == 2
    meeting_reminders_send.apply(kwargs={"today": (today + datetime.timedelta(days=2)).isoformat()})
    meeting_reminders_send.apply(kwargs={"today": (today + datetime.timedelta(days=2)).isoformat()})
    assert MeetingDelivery.objects.filter(kind="pengingat_rapat").count() == 4
    # overdue is weekly: one per item and recipient per ISO week, however often beat runs that week
    later = today + datetime.timedelta(days=14)
    year, week, _ = later.isocalendar()
    for _run in range(2):
        meeting_reminders_send.apply(kwargs={"today": later.isoformat()})
        meeting_reminders_send.apply(kwargs={"today": (later + datetime.timedelta(days=1)).isoformat()})
    assert MeetingDelivery.objects.filter(kind="terlambat", dedupe_key__endswith=f"{year}-W{week:02d}").count() == 4


def test_smtp_down_then_up_retries_and_sends_once(settings, team):
    today, meeting = reminder_setup(team)
    use_smtp(settings, free_port())  # nothing listens: connection refused
    result = notifications.reminders_send(today)
    assert result.sent == 0 and result.failed == 6
    with pytest.raises(OSError):
        result.raise_first()
    row = MeetingDelivery.objects.first()
    assert row.status == "pending" and row.attempts == 1 and row.last_error
    from aiosmtpd.controller import Controller

    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        use_smtp(settings, controller.port)
        assert notifications.reminders_send(today).sent == 6
        assert notifications.reminders_send(today).sent == 0
    finally:
        controller.stop()
    assert len(collector.messages) == 6
    assert set(MeetingDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_task_retries_on_smtp_failure(settings, team):
    meeting = make_meeting(team, days_ahead=10)
    services.invite_team(meeting=meeting, team=team, roles=["ketua"])
    use_smtp(settings, free_port())
    result = meeting_invitations_send.apply(args=[meeting.pk])
    assert result.state in ("RETRY", "FAILURE")  # eager apply: the autoretry raised Retry
    assert MeetingDelivery.objects.get().attempts >= 1


def test_task_contract_and_beat_schedule():
    assert meeting_reminders_send.time_limit and meeting_reminders_send.soft_time_limit
    assert meeting_reminders_send.retry_backoff and meeting_reminders_send.max_retries
    entries = [e for e in django_settings.CELERY_BEAT_SCHEDULE.values()
               if e["task"] == "meetings.tasks.meeting_reminders_send"]
    assert len(entries) == 1 and isinstance(entries[0]["schedule"], crontab)
