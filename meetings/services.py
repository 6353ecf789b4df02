"""Writes of the meetings app (DESIGN.md house style 2): keyword-only, atomic, validated.

Every service raises ``ValidationError`` with an Indonesian message the view puts on the form. Emails
are never sent here: a service that must tell people enqueues a task after commit
(``transaction.on_commit``) and the task sends through the delivery record, exactly once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents import classification
from kesbang.core import events
from kesbang.core.tasks import enqueue_after_commit
from kesbang.core.uploads import atomic_with_files
from kesbang.core.validation import validated_save
from meetings.models import (
    ActionItem,
    ActionItemEvidence,
    ActionItemNote,
    AgendaItem,
    Attendance,
    Invitation,
    Meeting,
    MeetingDocument,
    Minutes,
    Resolution,
)
from teams.models import Institution, Membership, Person, Team

# Fields whose change is a change of the appointment: invitees get an email with an updated .ics.
CALENDAR_FIELDS = ("start", "end", "venue", "venue_city")
MEETING_FIELDS = (
    "title", "kind", "team", "start", "end", "venue", "venue_city", "chair", "opener", "description",
    "letter_number", "letter_date", "letter_nature", "letter_attachment", "signatory", "copies", "linked_incidents",
)


def _enqueue(task_name: str, *args) -> None:
    """Queue a meetings task after the surrounding transaction commits (never inside it)."""
    enqueue_after_commit(f"meetings.tasks.{task_name}", *args)


def _refuse_if_cancelled(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("Rapat ini sudah dibatalkan; tidak ada yang dapat diubah."))


def _refuse_if_minutes_approved(meeting: Meeting) -> None:
    minutes = Minutes.objects.filter(meeting=meeting).only("status").first()
    if minutes is not None and minutes.is_approved:
        raise ValidationError(_("Notulen rapat ini sudah disetujui dan tidak dapat diubah lagi."))


# --- Meetings ---------------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    team: Team,
    title: str,
    start: datetime.datetime,
    end: datetime.datetime,
    venue: str,
    kind: str = Meeting.Kind.RAKOR,
    venue_city: str = "Pangkalpinang",
    chair: Person | None = None,
    opener: Person | None = None,
    description: str = "",
    letter_number: str = "",
    letter_date: datetime.date | None = None,
    letter_nature: str = "Penting",
    letter_attachment: str = "-",
    signatory: Person | None = None,
    copies: str = "",
    agenda: Iterable[dict] = (),
    linked_incidents: Iterable = (),
    created_by=None,
) -> Meeting:
    """A new planned meeting with its agenda items (in the given order). Nobody is invited yet.
    Emits ``meeting.scheduled`` (``kesbang.core.events``) inside the transaction."""
    if not team.is_active:
        raise ValidationError({"team": _("Tim ini sudah berakhir; rapat diselenggarakan oleh tim yang aktif.")})
    meeting = validated_save(
        Meeting(
            team=team, title=title.strip(), kind=kind, start=start, end=end, venue=venue.strip(),
            venue_city=venue_city.strip(), chair=chair, opener=opener, description=description,
            letter_number=letter_number.strip(), letter_date=letter_date or timezone.localdate(),
            letter_nature=letter_nature, letter_attachment=letter_attachment, signatory=signatory or chair,
            copies=copies, created_by=created_by,
        )
    )
    for order, item in enumerate(agenda, start=1):
        agenda_item_add(meeting=meeting, order=order, **item)
    if linked_incidents:
        meeting.linked_incidents.set(linked_incidents)
    events.emit(events.MEETING_SCHEDULED, object_id=meeting.pk)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, editor=None, **changes) -> Meeting:
    """Change a planned meeting. A change of time or venue raises the calendar revision (.ics SEQUENCE)
    and, after commit, emails every invitee the change with an updated .ics.

    With ``editor`` (the login behind a form), ``linked_incidents`` replaces only the incidents the
    editor may read: the links to incidents it may not read are kept (the classification policy)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)  # one revision per change
    _refuse_if_cancelled(meeting)
    if meeting.status == Meeting.Status.SELESAI:
        raise ValidationError(_("Rapat yang sudah selesai tidak dapat dijadwal ulang."))
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update: unknown fields {sorted(unknown)}")
    before = {name: getattr(meeting, name) for name in CALENDAR_FIELDS}
    incidents = changes.pop("linked_incidents", None)
    for name, value in changes.items():
        setattr(meeting, name, value.strip() if isinstance(value, str) and name != "description" else value)
    if "team" in changes and not meeting.team.is_active:
        raise ValidationError({"team": _("Tim ini sudah berakhir; rapat diselenggarakan oleh tim yang aktif.")})
    moved = any(getattr(meeting, name) != old for name, old in before.items())
    if moved:
        meeting.sequence += 1
    validated_save(meeting)
    if incidents is not None:
        if editor is not None:
            incidents = classification.keep_unreadable(editor, meeting.linked_incidents.all(), incidents)
        meeting.linked_incidents.set(incidents)
    if moved and meeting.invitations.exists():
        _enqueue("meeting_change_notify", meeting.pk, meeting.sequence)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str) -> Meeting:
    """Cancel with a reason; every invitee is emailed a cancellation (.ics METHOD:CANCEL) after commit."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("Rapat ini sudah dibatalkan."))
    if meeting.status == Meeting.Status.SELESAI:
        raise ValidationError(_("Rapat yang sudah selesai tidak dapat dibatalkan."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan pembatalan.")})
    meeting.status = Meeting.Status.DIBATALKAN
    meeting.cancel_reason = reason
    meeting.sequence += 1
    validated_save(meeting)
    if meeting.invitations.exists():
        _enqueue("meeting_cancel_notify", meeting.pk)
    return meeting


@transaction.atomic
def meeting_set_status(*, meeting: Meeting, status: str) -> Meeting:
    """Start (berlangsung) or finish (selesai) a meeting. Cancelling has its own service."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_cancelled(meeting)
    allowed = {
        Meeting.Status.BERLANGSUNG: {Meeting.Status.DIRENCANAKAN},
        Meeting.Status.SELESAI: {Meeting.Status.DIRENCANAKAN, Meeting.Status.BERLANGSUNG},
    }
    if status not in allowed:
        raise ValidationError(_("Perubahan status ini tidak dikenal."))
    if meeting.status not in allowed[status]:
        raise ValidationError(
            _("Rapat berstatus %(status)s tidak dapat diubah menjadi %(new)s.")
            % {"status": meeting.get_status_display(), "new": Meeting.Status(status).label}
        )
    if timezone.localdate(meeting.start) > timezone.localdate():
        raise ValidationError(_("Rapat belum dimulai: status dapat diubah pada hari pelaksanaan."))
    meeting.status = status
    return validated_save(meeting)


# --- Agenda -----------------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, title: str, order: int | None = None, presenter: Person | None = None,
    presenter_name: str = "", duration_minutes: int = 30, discussion: str = "",
) -> AgendaItem:
    _refuse_if_cancelled(meeting)
    if order is None:
        order = (meeting.agenda_items.aggregate(m=Max("order"))["m"] or 0) + 1
    return validated_save(
        AgendaItem(
            meeting=meeting, order=order, title=title.strip(), presenter=presenter,
            presenter_name=presenter_name.strip(), duration_minutes=duration_minutes, discussion=discussion,
        )
    )


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, **changes) -> AgendaItem:
    _refuse_if_cancelled(item.meeting)
    for name in ("title", "presenter", "presenter_name", "duration_minutes", "discussion"):
        if name in changes:
            setattr(item, name, changes[name])
    return validated_save(item)


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem) -> None:
    """Remove one item and close the gap in the numbering."""
    meeting = item.meeting
    _refuse_if_cancelled(meeting)
    item.delete()
    for order, other in enumerate(meeting.agenda_items.order_by("order", "id"), start=1):
        if other.order != order:
            AgendaItem.objects.filter(pk=other.pk).update(order=order)


# --- Invitations ------------------------------------------------------------------------------------


def _invite(meeting: Meeting, people: Iterable[Person], source: str, label: str) -> list[Invitation]:
    _refuse_if_cancelled(meeting)
    if meeting.status == Meeting.Status.SELESAI:
        raise ValidationError(_("Rapat sudah selesai; tidak dapat mengundang lagi."))
    already = set(meeting.invitations.filter(person__isnull=False).values_list("person_id", flat=True))
    new = []
    seen = set()
    for person in people:
        if person.pk in already or person.pk in seen:
            continue
        seen.add(person.pk)
        new.append(Invitation(meeting=meeting, person=person, source=source, source_label=label[:200]))
    created = Invitation.objects.bulk_create(new)
    if created:
        _enqueue("meeting_invitations_send", meeting.pk)
    return created


@transaction.atomic
def invite_people(*, meeting: Meeting, people: Iterable[Person]) -> list[Invitation]:
    """Invite single people. Someone already invited is skipped (never invited twice)."""
    return _invite(meeting, people, Invitation.Source.PERSON, "")


@transaction.atomic
def invite_team(*, meeting: Meeting, team: Team, roles: Iterable[str] = ()) -> list[Invitation]:
    """Invite the active members of a team, or only those in ``roles`` (Ketua, Sekretaris ...)."""
    roles = [r for r in roles if r]
    memberships = Membership.objects.filter(team=team, end_date__isnull=True).select_related("person")
    if roles:
        memberships = memberships.filter(role__in=roles)
        labels = ", ".join(str(Membership.Role(r).label) for r in roles)
        label = f"{team.name} ({labels})"
        source = Invitation.Source.ROLE
    else:
        label, source = team.name, Invitation.Source.TEAM
    return _invite(meeting, [m.person for m in memberships.order_by("id")], source, label)


@transaction.atomic
def invite_guest(
    *, meeting: Meeting, name: str, institution: str = "", position: str = "", email: str = ""
) -> Invitation:
    """A guest who is not in the register (name and institution), once per meeting: a second guest with
    the same name and institution is refused, so a double-clicked walk-in or guest form does not count one
    person twice in the headcount."""
    _refuse_if_cancelled(meeting)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # serialise two concurrent submissions
    if meeting.invitations.filter(person__isnull=True, guest_name__iexact=name.strip(),
                                  guest_institution__iexact=institution.strip()).exists():
        raise ValidationError({"name": _("Tamu dengan nama dan instansi ini sudah terdaftar di rapat ini.")})
    invitation = validated_save(
        Invitation(
            meeting=meeting, guest_name=name.strip(), guest_institution=institution.strip(),
            guest_position=position.strip(), guest_email=email.strip(), source=Invitation.Source.GUEST,
        )
    )
    if invitation.guest_email:
        _enqueue("meeting_invitations_send", meeting.pk)
    return invitation


@transaction.atomic
def invitation_remove(*, invitation: Invitation) -> None:
    if hasattr(invitation, "attendance"):
        raise ValidationError(_("Kehadiran undangan ini sudah dicatat; undangan tidak dapat dihapus."))
    invitation.delete()


@transaction.atomic
def invitation_respond(
    *, invitation: Invitation, response: str, delegate_name: str = "", note: str = ""
) -> Invitation:
    """The invitee's answer (hadir / tidak hadir / diwakilkan oleh ...); may be changed until the meeting starts."""
    invitation = Invitation.objects.select_related("meeting").select_for_update(of=("self",)).get(pk=invitation.pk)
    meeting = invitation.meeting
    if meeting.is_cancelled:
        raise ValidationError(_("Rapat ini sudah dibatalkan; jawaban tidak diperlukan lagi."))
    if meeting.start <= timezone.now():
        raise ValidationError(_("Rapat sudah dimulai; jawaban tidak dapat diubah lagi."))
    if response not in Invitation.Response.values or response == Invitation.Response.PENDING:
        raise ValidationError({"response": _("Pilih hadir, tidak hadir, atau diwakilkan.")})
    delegate_name = (delegate_name or "").strip()
    if response == Invitation.Response.DELEGATE and not delegate_name:
        raise ValidationError({"delegate_name": _("Sebutkan nama yang mewakili.")})
    invitation.response = response
    invitation.delegate_name = delegate_name if response == Invitation.Response.DELEGATE else ""
    invitation.response_note = (note or "").strip()[:500]
    invitation.responded_at = timezone.now()
    return validated_save(invitation)


# --- Attendance -------------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *, invitation: Invitation, status: str, representative_name: str = "", user=None
) -> Attendance:
    """Check one invitee in (or correct the record). Allowed from the meeting's day on, never for a
    cancelled meeting, and not after the minutes are approved."""
    meeting = invitation.meeting
    _refuse_if_cancelled(meeting)
    if timezone.localdate(meeting.start) > timezone.localdate():
        raise ValidationError(_("Kehadiran dicatat pada hari rapat, bukan sebelumnya."))
    _refuse_if_minutes_approved(meeting)
    if status not in Attendance.Status.values:
        raise ValidationError({"status": _("Pilih status kehadiran.")})
    representative_name = (representative_name or "").strip()
    attendance = Attendance.objects.filter(invitation=invitation).first() or Attendance(invitation=invitation)
    attendance.status = status
    attendance.representative_name = representative_name if status == Attendance.Status.REPRESENTED else ""
    now = timezone.now()
    on_the_day = meeting.start - datetime.timedelta(hours=3) <= now <= meeting.end + datetime.timedelta(hours=1)
    if status in (Attendance.Status.PRESENT, Attendance.Status.LATE, Attendance.Status.REPRESENTED):
        # the arrival time only when checked in during the meeting; a sheet typed in later has none
        attendance.arrived_at = attendance.arrived_at or (now if on_the_day else None)
    else:
        attendance.arrived_at = None
    attendance.recorded_by = user
    return validated_save(attendance)


@transaction.atomic
def attendance_walk_in(
    *, meeting: Meeting, name: str, institution: str = "", position: str = "", user=None
) -> Attendance:
    """A guest who came without an invitation: invited as a guest and checked in as present."""
    invitation = invite_guest(meeting=meeting, name=name, institution=institution, position=position)
    return attendance_record(invitation=invitation, status=Attendance.Status.PRESENT, user=user)


# --- Minutes and resolutions ------------------------------------------------------------------------


@transaction.atomic
def minutes_save(
    *, meeting: Meeting, note_taker: str = "", opening: str = "", discussion: str = "", conclusions: str = ""
) -> Minutes:
    """Create or change the draft minutes. Approved minutes are read-only."""
    _refuse_if_cancelled(meeting)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first() or Minutes(meeting=meeting)
    if minutes.is_approved:
        raise ValidationError(_("Notulen rapat ini sudah disetujui dan tidak dapat diubah lagi."))
    minutes.note_taker = note_taker.strip()
    minutes.opening = opening
    minutes.discussion = discussion
    minutes.conclusions = conclusions
    return validated_save(minutes)


def minutes_can_approve(user, meeting: Meeting) -> bool:
    """The chair approves. When the chair has no login, a login that manages the meeting records the
    chair's approval (signed on paper) on their behalf."""
    if meeting.chair_id is None or not getattr(user, "is_authenticated", False):
        return False
    if meeting.chair.user_id is not None:
        return meeting.chair.user_id == user.pk or user.is_superuser
    return Meeting.objects.restrict(user, "change").filter(pk=meeting.pk).exists()


@transaction.atomic
def minutes_approve(*, meeting: Meeting, user, approved_at=None) -> Minutes:
    """The chair approves the minutes; afterwards they, the resolutions and action-item list are read-only.

    ``approved_at`` records a past approval (e.g. archive minutes entered later); it must lie between the
    start of the meeting and now. Default: now."""
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        raise ValidationError(_("Notulen belum ditulis."))
    if minutes.is_approved:
        raise ValidationError(_("Notulen ini sudah disetujui."))
    if meeting.chair_id is None:
        raise ValidationError(_("Tentukan pimpinan rapat terlebih dahulu: notulen disetujui oleh pimpinan rapat."))
    if not minutes_can_approve(user, meeting):
        raise ValidationError(_("Hanya pimpinan rapat yang dapat menyetujui notulen."))
    if meeting.start > timezone.now():
        raise ValidationError(_("Rapat belum berlangsung; notulen belum dapat disetujui."))
    if not (minutes.opening or minutes.discussion or minutes.conclusions):
        raise ValidationError(_("Notulen masih kosong."))
    now = timezone.now()
    if approved_at is not None and not (meeting.start <= approved_at <= now):
        raise ValidationError(_("Tanggal persetujuan harus di antara mulainya rapat dan hari ini."))
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_by = meeting.chair
    minutes.approved_at = approved_at or now
    minutes.approval_recorded_by = user
    validated_save(minutes)
    if meeting.status in (Meeting.Status.DIRENCANAKAN, Meeting.Status.BERLANGSUNG):
        meeting.status = Meeting.Status.SELESAI
        validated_save(meeting)
    return minutes


@transaction.atomic
def resolution_add(*, meeting: Meeting, text: str, kind: str = Resolution.Kind.RUMUSAN) -> Resolution:
    """The next numbered resolution. Numbers follow each other without gaps."""
    _refuse_if_cancelled(meeting)
    _refuse_if_minutes_approved(meeting)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # serialise numbering
    number = (Resolution.objects.filter(meeting=meeting).aggregate(m=Max("number"))["m"] or 0) + 1
    return validated_save(Resolution(meeting=meeting, number=number, kind=kind, text=text.strip()))


@transaction.atomic
def resolution_update(*, resolution: Resolution, text: str, kind: str | None = None) -> Resolution:
    _refuse_if_minutes_approved(resolution.meeting)
    resolution.text = text.strip()
    if kind:
        resolution.kind = kind
    return validated_save(resolution)


@transaction.atomic
def resolution_delete(*, resolution: Resolution) -> None:
    meeting = resolution.meeting
    _refuse_if_minutes_approved(meeting)
    resolution.delete()
    for number, other in enumerate(meeting.resolutions.order_by("number"), start=1):
        if other.number != number:
            Resolution.objects.filter(pk=other.pk).update(number=number)


# --- Action items -----------------------------------------------------------------------------------


@transaction.atomic
def action_item_create(
    *, meeting: Meeting, description: str, due_date: datetime.date, owner_person: Person | None = None,
    owner_institution: Institution | None = None, resolution: Resolution | None = None,
) -> ActionItem:
    _refuse_if_cancelled(meeting)
    _refuse_if_minutes_approved(meeting)
    if resolution is not None and resolution.meeting_id != meeting.pk:
        raise ValidationError({"resolution": _("Rumusan ini bukan dari rapat yang sama.")})
    if owner_person is not None and owner_institution is None:
        owner_institution = owner_person.institution
    return validated_save(
        ActionItem(
            meeting=meeting, description=description.strip(), due_date=due_date, owner_person=owner_person,
            owner_institution=owner_institution, resolution=resolution,
        )
    )


@atomic_with_files()
def action_item_progress(*, item: ActionItem, text: str, status: str = "", user=None, evidence=None) -> ActionItemNote:
    """A progress note, optionally moving the status; ``selesai`` records the completion time.
    ``evidence``: an uploaded file, checked by the core upload checks (content, name, size)."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Tuliskan catatan kemajuan.")})
    if item.is_closed:
        raise ValidationError(
            _("Tindak lanjut ini sudah ditutup (%(status)s).") % {"status": item.get_status_display()}
        )
    if status and status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Status tidak dikenal.")})
    if status and status != item.status:
        item.status = status
        if status == ActionItem.Status.DONE:
            item.completed_at = timezone.now()
            item.completion_note = text
        validated_save(item)
    note = validated_save(ActionItemNote(action_item=item, text=text, status_after=status or "", author=user))
    if evidence is not None:
        proof = ActionItemEvidence(action_item=item)
        proof.take_upload(evidence, user=user, field="evidence")
        proof.save_upload()
    return note


@atomic_with_files()
def document_add(*, meeting: Meeting, title: str, file, user=None) -> MeetingDocument:
    """A meeting document; ``file`` is checked by the core upload checks (content, name, size)."""
    _refuse_if_cancelled(meeting)
    document = MeetingDocument(meeting=meeting)
    document.take_upload(file, user=user, field="file")
    document.title = (title or document.original_name).strip()[:255]
    return document.save_upload()
