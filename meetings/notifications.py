"""Emails of the meetings app, each sent exactly once through the core delivery record.

Every email is one ``MeetingDelivery`` row keyed "<kind>:<meeting>:<recipient>:<discriminator>":

- invitation (with .ics REQUEST and the personal answer link): once per invitation;
- change of time or venue (updated .ics, SEQUENCE = the meeting's revision): once per invitation and revision;
- cancellation (.ics CANCEL): once per invitation;
- reminders (``reminders_send``, daily from beat):
  * invitees who have not answered, 3 days before (``MEETINGS_RSVP_REMINDER_DAYS``);
  * everyone invited and not declined, ``MEETINGS_ATTENDEE_REMINDER_DAYS`` days before (default 1 and 3):
    each reminder in the window (previous smaller day, day], so a missed day is caught up once;
  * action-item owners ``MEETINGS_ACTION_DUE_REMINDER_DAYS`` (3) days before the due date;
  * overdue action items, weekly (key: ISO week) to the owner and to the team's active Sekretaris.

A failure of one email does not stop the others: the rest are sent, the failed rows stay pending
(attempts, last error) and the first error is raised at the end so the Celery task retries with
backoff; on the retry the rows already sent are skipped by ``deliver``.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kesbang.core.delivery import deliver
from kesbang.core.email import absolute_url, send_email
from meetings import rsvp
from meetings.calendar_ics import meeting_ics
from meetings.models import ActionItem, Invitation, Meeting, MeetingDelivery
from teams.models import Membership

logger = logging.getLogger(__name__)
Kind = MeetingDelivery.Kind


@dataclass
class SendResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[Exception] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "skipped": self.skipped, "failed": self.failed}

    def add(self, other: SendResult) -> SendResult:
        self.sent += other.sent
        self.skipped += other.skipped
        self.failed += other.failed
        self.errors += other.errors
        return self

    def raise_first(self) -> None:
        if self.errors:
            raise self.errors[0]


def _meeting_details(meeting: Meeting) -> list[tuple[str, str]]:
    start, end = timezone.localtime(meeting.start), timezone.localtime(meeting.end)
    return [
        (_("Hari/tanggal"), date_format(start, "l, j F Y")),
        (_("Pukul"), f"{start:%H.%M}–{end:%H.%M} WIB"),
        (_("Tempat"), ", ".join(p for p in (meeting.venue, meeting.venue_city) if p)),
        (_("Penyelenggara"), meeting.team.name),
    ]


def _deliver(result: SendResult, *, key: str, kind: str, meeting: Meeting, to: str, subject: str, context: dict,
             invitation: Invitation | None = None, item: ActionItem | None = None, ics: bytes | None = None) -> None:
    attachments = [("undangan.ics" if kind != Kind.CANCELLATION else "pembatalan.ics", ics,
                    "text/calendar; charset=utf-8; method=" + ("CANCEL" if kind == Kind.CANCELLATION else "REQUEST"))
                   ] if ics else []
    try:
        sent = deliver(
            MeetingDelivery,
            key={"dedupe_key": key, "kind": kind, "meeting_id": meeting.pk,
                 "invitation_id": invitation.pk if invitation else None, "action_item_id": item.pk if item else None},
            send=lambda row: send_email(to=[to], subject=subject, template="meeting_notice",
                                        context={"subject": subject, **context}, attachments=attachments),
            recipient=to,
        )
    except Exception as exc:  # noqa: BLE001 - recorded on the row by deliver; retried by the task
        logger.warning("meeting email %s to %s failed: %s", key, to, exc)
        result.failed += 1
        result.errors.append(exc)
        return
    if sent:
        result.sent += 1
    else:
        result.skipped += 1


def _invitations(meeting: Meeting, *, pending_only: bool = False, attending_only: bool = False):
    qs = Invitation.objects.filter(meeting=meeting).select_related("person__institution").order_by("pk")
    if pending_only:
        qs = qs.filter(response=Invitation.Response.PENDING)
    if attending_only:
        qs = qs.exclude(response=Invitation.Response.DECLINE)
    return [inv for inv in qs if inv.email]


def _meeting(meeting_id: int) -> Meeting | None:
    return Meeting.objects.select_related("team__region").filter(pk=meeting_id).first()


def _invitation_context(meeting: Meeting, inv: Invitation, *, intro: list[str], button: str) -> dict:
    agenda = [item.title for item in meeting.agenda_items.order_by("order")]
    return {
        "greeting": _("Yth. %(name)s,") % {"name": inv.name},
        "intro": intro,
        "details": _meeting_details(meeting) + ([(_("Acara"), "; ".join(agenda))] if agenda else []),
        "button_url": absolute_url(rsvp.rsvp_path(inv)),
        "button_label": button,
        "note": _("Berkas kalender (.ics) terlampir untuk dimasukkan ke kalender Anda. Tautan jawaban bersifat "
                  "pribadi; jangan diteruskan."),
    }


# --- Invitation, change, cancellation -------------------------------------------------------------


def invitations_send(meeting_id: int) -> SendResult:
    """Invitation emails to every invitee with an address who has not had one (idempotent)."""
    result = SendResult()
    meeting = _meeting(meeting_id)
    if meeting is None or meeting.is_cancelled or meeting.start <= timezone.now():
        return result
    with translation.override("id"):
        subject = _("Undangan: %(title)s, %(date)s") % {
            "title": meeting.title, "date": date_format(timezone.localtime(meeting.start), "j F Y")}
        for inv in _invitations(meeting):
            context = _invitation_context(meeting, inv, intro=[
                _("Dengan hormat, Anda diundang menghadiri %(title)s.") % {"title": meeting.title}],
                button=_("Jawab: hadir / tidak hadir / diwakilkan"))
            _deliver(result, key=f"undangan:{meeting.pk}:{inv.pk}", kind=Kind.INVITATION, meeting=meeting,
                     invitation=inv, to=inv.email, subject=subject, context=context,
                     ics=meeting_ics(meeting, attendee_email=inv.email, attendee_name=inv.name))
    return result


def change_notify(meeting_id: int, sequence: int) -> SendResult:
    """The change of time or venue with the updated .ics, to every invitee (once per revision).
    A newer revision supersedes: an older task finding a newer ``sequence`` sends nothing."""
    result = SendResult()
    meeting = _meeting(meeting_id)
    if meeting is None or meeting.is_cancelled or meeting.sequence != sequence:
        return result
    with translation.override("id"):
        subject = _("Perubahan jadwal: %(title)s") % {"title": meeting.title}
        for inv in _invitations(meeting):
            context = _invitation_context(meeting, inv, intro=[
                _("Jadwal atau tempat %(title)s berubah. Berikut data terbaru:") % {"title": meeting.title}],
                button=_("Periksa atau ubah jawaban Anda"))
            _deliver(result, key=f"perubahan:{meeting.pk}:{inv.pk}:{sequence}", kind=Kind.CHANGE, meeting=meeting,
                     invitation=inv, to=inv.email, subject=subject, context=context,
                     ics=meeting_ics(meeting, attendee_email=inv.email, attendee_name=inv.name))
    return result


def cancel_notify(meeting_id: int) -> SendResult:
    result = SendResult()
    meeting = _meeting(meeting_id)
    if meeting is None or not meeting.is_cancelled:
        return result
    with translation.override("id"):
        subject = _("Pembatalan: %(title)s") % {"title": meeting.title}
        for inv in _invitations(meeting):
            context = {
                "greeting": _("Yth. %(name)s,") % {"name": inv.name},
                "intro": [_("Dengan hormat, %(title)s dibatalkan.") % {"title": meeting.title},
                          _("Alasan: %(reason)s") % {"reason": meeting.cancel_reason}],
                "details": _meeting_details(meeting),
                "note": _("Berkas kalender (.ics) terlampir menghapus rapat ini dari kalender Anda."),
            }
            _deliver(result, key=f"pembatalan:{meeting.pk}:{inv.pk}", kind=Kind.CANCELLATION, meeting=meeting,
                     invitation=inv, to=inv.email, subject=subject, context=context,
                     ics=meeting_ics(meeting, attendee_email=inv.email, attendee_name=inv.name, cancel=True))
    return result


# --- Reminders (beat) -----------------------------------------------------------------------------


def _days_until(meeting: Meeting, today: datetime.date) -> int:
    return (timezone.localdate(meeting.start) - today).days


def _upcoming(today: datetime.date, days: int):
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min), tz)
    hi = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=days + 1), datetime.time.min),
                             tz)
    return Meeting.objects.filter(status=Meeting.Status.DIRENCANAKAN, start__gte=lo, start__lt=hi).select_related(
        "team__region").order_by("start", "pk")


def rsvp_reminders(today: datetime.date) -> SendResult:
    result = SendResult()
    days = getattr(settings, "MEETINGS_RSVP_REMINDER_DAYS", 3)
    for meeting in _upcoming(today, days):
        subject = _("Mohon konfirmasi kehadiran: %(title)s") % {"title": meeting.title}
        for inv in _invitations(meeting, pending_only=True):
            context = _invitation_context(meeting, inv, intro=[
                _("Kami belum menerima jawaban Anda atas undangan %(title)s, %(n)s hari lagi.") % {
                    "title": meeting.title, "n": _days_until(meeting, today)}],
                button=_("Jawab sekarang"))
            _deliver(result, key=f"pengingat_jawaban:{meeting.pk}:{inv.pk}", kind=Kind.RSVP_REMINDER,
                     meeting=meeting, invitation=inv, to=inv.email, subject=subject, context=context)
    return result


def attendee_reminders(today: datetime.date) -> SendResult:
    result = SendResult()
    days = sorted(set(getattr(settings, "MEETINGS_ATTENDEE_REMINDER_DAYS", (1, 3))))
    if not days:
        return result
    for meeting in _upcoming(today, max(days)):
        until = _days_until(meeting, today)
        window = next((d for d in days if until <= d), None)  # the smallest reminder day not yet passed
        if window is None:
            continue
        subject = _("Pengingat H-%(d)s: %(title)s") % {"d": until, "title": meeting.title}
        for inv in _invitations(meeting, attending_only=True):
            context = _invitation_context(meeting, inv, intro=[
                _("Mengingatkan %(title)s, %(n)s hari lagi.") % {"title": meeting.title, "n": until}],
                button=_("Lihat atau ubah jawaban"))
            _deliver(result, key=f"pengingat_rapat:{meeting.pk}:{inv.pk}:h{window}", kind=Kind.ATTENDEE_REMINDER,
                     meeting=meeting, invitation=inv, to=inv.email, subject=subject, context=context)
    return result


def _item_context(item: ActionItem, greeting_name: str, intro: list[str]) -> dict:
    return {
        "greeting": _("Yth. %(name)s,") % {"name": greeting_name},
        "intro": intro,
        "details": [
            (_("Tindak lanjut"), item.description),
            (_("Penanggung jawab"), item.owner_label),
            (_("Batas waktu"), date_format(item.due_date, "j F Y")),
            (_("Status"), str(item.get_status_display())),
            (_("Rapat"), f"{item.meeting.title} ({date_format(timezone.localtime(item.meeting.start), 'j F Y')})"),
        ],
        "button_url": absolute_url(item.get_absolute_url()),
        "button_label": _("Perbarui kemajuan"),
    }


def _owner_address(item: ActionItem) -> tuple[str, str]:
    if item.owner_person_id and item.owner_person.email:
        return item.owner_person.email, item.owner_person.name
    if item.owner_institution_id and item.owner_institution.email:
        return item.owner_institution.email, item.owner_institution.name
    return "", ""


def _open_items():
    return ActionItem.objects.exclude(status__in=ActionItem.CLOSED_STATUSES).exclude(
        meeting__status=Meeting.Status.DIBATALKAN).select_related(
        "meeting__team", "owner_person", "owner_institution").order_by("due_date", "pk")


def due_reminders(today: datetime.date) -> SendResult:
    result = SendResult()
    days = getattr(settings, "MEETINGS_ACTION_DUE_REMINDER_DAYS", 3)
    items = _open_items().filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days))
    for item in items:
        to, name = _owner_address(item)
        if not to:
            continue
        subject = _("Batas waktu tindak lanjut %(date)s") % {"date": date_format(item.due_date, "j F Y")}
        context = _item_context(item, name, [_("Tindak lanjut berikut menjadi tanggung jawab Anda dan jatuh tempo "
                                               "%(n)s hari lagi.") % {"n": (item.due_date - today).days}])
        _deliver(result, key=f"pengingat_tenggat:{item.meeting_id}:{item.pk}:{to}", kind=Kind.DUE_REMINDER,
                 meeting=item.meeting, item=item, to=to, subject=subject, context=context)
    return result


def overdue_reminders(today: datetime.date) -> SendResult:
    """Weekly (one per ISO week) to the owner and to the organising team's active Sekretaris."""
    result = SendResult()
    year, week, _day = today.isocalendar()
    items = list(_open_items().filter(due_date__lt=today))
    team_ids = {item.meeting.team_id for item in items}
    secretaries = {
        m.team_id: m.person for m in Membership.objects.filter(
            team_id__in=team_ids, role=Membership.Role.SEKRETARIS, end_date__isnull=True).filter(
            ~Q(person__email="")).select_related("person")
    }
    for item in items:
        late = (today - item.due_date).days
        subject = _("Tindak lanjut terlambat %(n)s hari: %(text)s") % {"n": late, "text": item.description[:60]}
        recipients = []
        to, name = _owner_address(item)
        if to:
            recipients.append(("pemilik", to, name))
        secretary = secretaries.get(item.meeting.team_id)
        if secretary is not None and secretary.email != to:
            recipients.append(("sekretaris", secretary.email, secretary.name))
        for role, address, name in recipients:
            intro = [_("Tindak lanjut berikut melewati batas waktu %(n)s hari dan belum selesai.") % {"n": late}]
            if role == "sekretaris":
                intro.append(
                    _("Anda menerima surel ini sebagai Sekretaris %(team)s.") % {"team": item.meeting.team.name}
                )
            _deliver(result, key=f"terlambat:{item.meeting_id}:{item.pk}:{address}:{year}-W{week:02d}",
                     kind=Kind.OVERDUE, meeting=item.meeting, item=item, to=address, subject=subject,
                     context=_item_context(item, name, intro))
    return result


def reminders_send(today: datetime.date) -> SendResult:
    """Every reminder kind for ``today`` (Asia/Jakarta); safe to run any number of times."""
    result = SendResult()
    with translation.override("id"):
        for step in (rsvp_reminders, attendee_reminders, due_reminders, overdue_reminders):
            result.add(step(today))
    return result
