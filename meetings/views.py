"""Pages of the meetings app: thin class-based views on the core bases (house style 1, DESIGN.md §5).

Authorisation: the permission first (403 before any lookup), then the meeting through
``Meeting.objects.restrict(user, "view")`` (core ``ScopedObjectMixin``: outside the login's scope 404,
exactly like a missing one), then for writes ``meeting_can_change`` (403). Action items:
``ActionItem.objects.restrict``. Each form is a ``ServiceFormView`` (or one form of a ``MultiFormView``
page) calling ONE service; each button a ``ServiceActionView``; lists are ``ListTableView``.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from kesbang.core.forms import add_service_errors
from kesbang.core.ids import parse_id
from kesbang.core.views import (
    FilteredQuerysetMixin,
    ListTableView,
    MultiFormView,
    ProtectedView,
    ScopedObjectMixin,
    ServiceActionView,
    ServiceFormView,
)
from meetings import selectors, services
from meetings.filters import MeetingCalendarFilter, MeetingFilter
from meetings.forms import (
    ActionItemForm,
    AgendaItemForm,
    AttendanceForm,
    DocumentForm,
    GuestForm,
    InvitePeopleForm,
    InviteTeamForm,
    MeetingCancelForm,
    MeetingForm,
    MinutesForm,
    ProgressForm,
    ResolutionDeleteForm,
    ResolutionForm,
    RsvpForm,
    WalkInForm,
)
from meetings.models import ActionItem, AgendaItem, Invitation, Meeting, MeetingDocument, Minutes, Resolution
from meetings.querysets import meeting_can_change
from meetings.tables import ActionItemTable, CheckInRows, InvitationRows, MeetingTable, OverdueActionItemTable


class MeetingScopedMixin(ScopedObjectMixin):
    """The meeting of the URL through ``restrict`` (visible, else 404); ``scope_action = "change"``:
    changeable by the login (else 403), decided in memory by ``meeting_can_change``."""

    permission_required = "meetings.view_meeting"
    model = Meeting
    context_object_name = "meeting"

    def get_scoped_queryset(self):
        return Meeting.objects.select_related("team__region", "chair", "opener")

    def may_change(self, obj) -> bool:
        return meeting_can_change(self.request.user, obj)

    @property
    def meeting(self) -> Meeting:
        return self.get_object()

    def meeting_url(self, tab: str = "") -> str:
        return self.meeting.get_absolute_url() + (f"?tab={tab}" if tab else "")


class MeetingChangeMixin(MeetingScopedMixin):
    permission_required = "meetings.change_meeting"
    scope_action = "change"


class MeetingActionView(MeetingScopedMixin, ServiceActionView):
    """A button on a meeting; success and refusal both go back to ``back_tab`` of the meeting."""

    back_tab = ""

    def get_success_url_for(self, result) -> str:
        return self.meeting_url(self.back_tab)


# --- List and calendar ------------------------------------------------------------------------------


class MeetingListView(ListTableView):
    permission_required = "meetings.view_meeting"
    template_name = "meetings/meeting_list.html"
    table_class = MeetingTable
    filterset_class = MeetingFilter
    strict = False

    def get_queryset(self):
        return selectors.meeting_list(Meeting.objects.restrict(self.request.user, "view"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_add=self.request.user.has_perm("meetings.add_meeting"), **kwargs)


# Years the calendar accepts in ?bulan= / ?minggu=: outside, the previous/next links would overflow the date type.
CALENDAR_YEARS = (1900, 2100)
WEEKDAYS = (_l("Senin"), _l("Selasa"), _l("Rabu"), _l("Kamis"), _l("Jumat"), _l("Sabtu"), _l("Minggu"))


class MeetingCalendarView(ProtectedView, FilteredQuerysetMixin, TemplateView):
    """Month (``?bulan=2017-05``) or week (``?minggu=2017-05-08``) of the list's filter (without dates);
    bad values fall back to today with a message."""

    permission_required = "meetings.view_meeting"
    template_name = "meetings/meeting_calendar.html"
    filterset_class = MeetingCalendarFilter
    strict = False

    def get_queryset(self):
        return Meeting.objects.restrict(self.request.user, "view")

    def get_context_data(self, **kwargs):
        base = self.filtered_queryset()
        today = timezone.localdate()
        week, month = self.request.GET.get("minggu"), self.request.GET.get("bulan")
        error = None
        if week:
            try:
                day = datetime.date.fromisoformat(week)
                if not CALENDAR_YEARS[0] <= day.year <= CALENDAR_YEARS[1]:
                    raise ValueError(week)
            except ValueError:
                error, day = _("Tanggal minggu tidak sah; menampilkan minggu ini."), today
            grid = selectors.calendar_week(base, day)
        else:
            try:
                year, mon = (int(x) for x in (month or today.strftime("%Y-%m")).split("-"))
                if not CALENDAR_YEARS[0] <= year <= CALENDAR_YEARS[1]:
                    raise ValueError(month)
                first = datetime.date(year, mon, 1)
            except (ValueError, TypeError, OverflowError):  # "?bulan=99999999999999999999-1": OverflowError
                error, first = _("Bulan tidak sah; menampilkan bulan ini."), today.replace(day=1)
            grid = selectors.calendar_month(base, first)
        if error:
            messages.warning(self.request, error)
        query = self.request.GET.copy()
        for key in ("bulan", "minggu"):
            query.pop(key, None)
        keep = [("minggu", grid["first"].isoformat())] if grid["mode"] == "week" else [
            ("bulan", grid["first"].strftime("%Y-%m"))]
        return super().get_context_data(filter=self.filterset, grid=grid, today=today, query=query.urlencode(),
                                        keep=keep, weekdays=[str(d) for d in WEEKDAYS], **kwargs)


# --- Detail -----------------------------------------------------------------------------------------

TABS = [
    ("acara", _l("Acara")), ("undangan", _l("Undangan")), ("kehadiran", _l("Kehadiran")),
    ("notulen", _l("Notulen")), ("tindak-lanjut", _l("Tindak lanjut")), ("dokumen", _l("Dokumen")),
    ("riwayat", _l("Riwayat")),
]


class MeetingDetailView(MeetingScopedMixin, ProtectedView, TemplateView):
    template_name = "meetings/meeting_detail.html"

    def get_scoped_queryset(self):
        return Meeting.objects.select_related("team__region", "chair", "opener", "minutes__approved_by")

    def get_context_data(self, **kwargs):
        meeting, user = self.meeting, self.request.user
        tab = self.request.GET.get("tab", "acara")
        if tab not in dict(TABS):
            tab = "acara"
        can_change = self.may_change(meeting)
        tab_data = selectors.meeting_tab(meeting, tab, user=user)
        headcount = selectors.meeting_detail_counts(meeting, tab_data.get("invitations"))
        if tab == "undangan":
            tab_data["invitation_rows"] = InvitationRows(
                meeting, csrf_token=get_token(self.request), can_change=can_change).html(tab_data["invitations"])
        return super().get_context_data(
            tab=tab, tabs=TABS, can_change=can_change, minutes=_minutes_or_none(meeting),
            can_approve=services.minutes_can_approve(user, meeting), headcount=headcount, **tab_data, **kwargs)


def _minutes_or_none(meeting) -> Minutes | None:
    try:
        return meeting.minutes
    except Minutes.DoesNotExist:
        return None


# --- Schedule, change, cancel, status -------------------------------------------------------------


def _meeting_form_kwargs(user) -> dict:
    return {"teams": selectors.teams_for_organising(user), "people": selectors.people_for(user),
            "incidents": selectors.incidents_for(user)}


class MeetingCreateView(ServiceFormView):
    permission_required = "meetings.add_meeting"
    template_name = "meetings/meeting_form.html"
    form_class = MeetingForm

    def get_initial(self):
        return {"letter_date": timezone.localdate()}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **_meeting_form_kwargs(self.request.user)}

    def perform(self, form):
        return services.meeting_schedule(created_by=self.request.user, **form.service_kwargs())

    def get_success_message(self, meeting):
        return _("Rapat %(title)s telah dijadwalkan. Undang pesertanya.") % {"title": meeting.title}

    def get_success_url_for(self, meeting):
        return reverse("meetings:meeting_invite", args=[meeting.pk])


class MeetingUpdateView(MeetingChangeMixin, ServiceFormView):
    template_name = "meetings/meeting_form.html"
    form_class = MeetingForm

    @cached_property
    def readable_linked(self) -> tuple[list[int], int]:
        """The linked incidents the login may read, and how many others are linked (kept, not shown)."""
        linked = list(self.meeting.linked_incidents.values_list("pk", flat=True))
        readable = list(selectors.incidents_for(self.request.user).filter(pk__in=linked).values_list("pk", flat=True))
        return readable, len(linked) - len(readable)

    def get_initial(self):
        m = self.meeting
        initial = {name: getattr(m, name) for name in services.MEETING_FIELDS if name != "linked_incidents"}
        initial.update(linked_incidents=self.readable_linked[0], start=timezone.localtime(m.start),
                       end=timezone.localtime(m.end))
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **_meeting_form_kwargs(self.request.user), "with_agenda": False,
                "hidden_linked": self.readable_linked[1]}

    def perform(self, form):
        return services.meeting_update(meeting=self.meeting, editor=self.request.user, **form.service_kwargs())

    def get_success_message(self, meeting):
        if meeting.sequence != self.meeting.sequence:
            return _("Perubahan rapat tersimpan.") + " " + _("Semua undangan akan menerima pemberitahuan perubahan.")
        return _("Perubahan rapat tersimpan.")


class MeetingCancelView(MeetingChangeMixin, ServiceFormView):
    template_name = "meetings/meeting_cancel.html"
    form_class = MeetingCancelForm
    success_message = _l("Rapat dibatalkan; semua undangan menerima pemberitahuan.")

    def perform(self, form):
        return services.meeting_cancel(meeting=self.meeting, reason=form.cleaned_data["reason"])

    def get_success_url_for(self, result):
        return self.meeting_url()


class MeetingStatusView(MeetingActionView):
    permission_required = "meetings.change_meeting"
    scope_action = "change"
    success_message = _l("Status rapat diperbarui.")

    def perform(self):
        return services.meeting_set_status(meeting=self.meeting, status=self.request.POST.get("status", ""))


# --- Agenda ---------------------------------------------------------------------------------------


class AgendaAddView(MeetingChangeMixin, ServiceFormView):
    template_name = "meetings/agenda_form.html"
    form_class = AgendaItemForm
    success_message = _l("Mata acara ditambahkan.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "people": selectors.people_for(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(items=list(self.meeting.agenda_items.select_related("presenter")), **kwargs)

    def perform(self, form):
        return services.agenda_item_add(meeting=self.meeting, **form.cleaned_data)

    def get_success_url_for(self, result):
        return reverse("meetings:agenda_add", args=[self.meeting.pk])


class AgendaDeleteView(MeetingActionView):
    permission_required = "meetings.change_meeting"
    scope_action = "change"
    success_message = _l("Mata acara dihapus.")

    def perform(self):
        item = AgendaItem.objects.filter(meeting=self.meeting, pk=self.kwargs["item"]).first()
        if item is None:
            raise Http404
        return services.agenda_item_delete(item=item)

    def get_success_url_for(self, result):
        return reverse("meetings:agenda_add", args=[self.meeting.pk])

    def get_failure_url(self):
        return self.meeting_url()


# --- Invitations ------------------------------------------------------------------------------------


class InviteView(MeetingChangeMixin, MultiFormView):
    """Three ways to invite (a team or some of its roles, people, a guest): one form each."""

    template_name = "meetings/invite.html"
    form_names = {"tim": "team_form", "orang": "people_form", "tamu": "guest_form"}

    def make_form(self, which, data=None, files=None):
        user = self.request.user
        if which == "tim":
            return InviteTeamForm(data, teams=selectors.teams_for_filter(user))
        if which == "orang":
            return InvitePeopleForm(data, people=selectors.people_for(user))
        return GuestForm(data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(invited=self.meeting.invitations.count(), **kwargs)

    def perform_tim(self, form):
        return services.invite_team(meeting=self.meeting, team=form.cleaned_data["team"],
                                    roles=form.cleaned_data["roles"])

    def perform_orang(self, form):
        return services.invite_people(meeting=self.meeting, people=form.cleaned_data["people"])

    def perform_tamu(self, form):
        return [services.invite_guest(meeting=self.meeting, **form.cleaned_data)]

    def get_success_message(self, created):
        return _("%(n)s undangan baru dibuat; email undangan dikirim kepada yang memiliki alamat email.") % {
            "n": len(created)}


class InvitationRemoveView(MeetingActionView):
    permission_required = "meetings.change_meeting"
    scope_action = "change"
    success_message = _l("Undangan dihapus.")
    back_tab = "undangan"

    def perform(self):
        invitation = Invitation.objects.filter(meeting=self.meeting, pk=self.kwargs["invitation"]).first()
        if invitation is None:
            raise Http404
        return services.invitation_remove(invitation=invitation)


@method_decorator([login_not_required, never_cache], name="dispatch")
class RsvpView(FormView):
    """The invitee's personal answer page: no login; the signed token is the only key (see ``rsvp``).
    Never cached (it shows the invitee's name and answer); every answer is written to the audit log,
    without the token (it is the key). A bad or expired link is a 400 page with the reason."""

    template_name = "meetings/rsvp.html"
    form_class = RsvpForm

    def dispatch(self, request, *args, **kwargs):
        self.invitation, error = self.find_invitation()
        if error:
            return self.render_to_response({"error": error}, status=400)
        return super().dispatch(request, *args, **kwargs)

    def find_invitation(self):
        from meetings import rsvp

        try:
            inv_id, meeting_id = rsvp.read_token(self.kwargs["token"])
        except signing.SignatureExpired:
            return None, _("Tautan jawaban ini sudah kedaluwarsa. Hubungi sekretariat penyelenggara rapat.")
        except signing.BadSignature:
            return None, _("Tautan jawaban ini tidak sah atau telah diubah. Gunakan tautan persis seperti di email "
                           "undangan.")
        invitation = (
            Invitation.objects.select_related("meeting__team", "person__institution")
            .filter(pk=inv_id, meeting_id=meeting_id).first()
        )
        if invitation is None:
            return None, _("Undangan ini sudah tidak berlaku.")
        return invitation, None

    def get_initial(self):
        inv = self.invitation
        return {"response": inv.response if inv.response != "belum" else "hadir", "delegate_name": inv.delegate_name}

    def get_context_data(self, **kwargs):
        return super().get_context_data(invitation=self.invitation, meeting=self.invitation.meeting, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            self.invitation = services.invitation_respond(
                invitation=self.invitation, response=data["response"], delegate_name=data["delegate_name"],
                note=data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        _audit_rsvp(self.request, self.invitation)
        return self.render_to_response(self.get_context_data(form=None, saved=True))


def _audit_rsvp(request, invitation) -> None:
    from kesbang.accounts import audit

    who = invitation.person.name if invitation.person_id else invitation.guest_name
    delegate = f", diwakili {invitation.delegate_name}" if invitation.delegate_name else ""
    audit.record(
        "rsvp_answered", request=request, username=f"(undangan) {who}"[:150],
        path=request.path.rstrip("/").rsplit("/", 1)[0] + "/…",  # the token is the key: never logged
        detail=f"rapat #{invitation.meeting_id}, undangan #{invitation.pk}: {invitation.response}{delegate}",
    )


# --- Attendance (check-in on a tablet) ---------------------------------------------------------------


class CheckInView(MeetingChangeMixin, MultiFormView):
    """One row button per invitation (``hadir``: its attendance) and the walk-in guest form (``tamu``,
    posted with ``walk_in``). A row's errors come back as messages at that row."""

    template_name = "meetings/checkin.html"
    form_names = {"tamu": "walk_in_form", "hadir": ""}
    button_forms = frozenset({"hadir"})

    def get_which(self) -> str:
        return "tamu" if "walk_in" in self.request.POST else "hadir"

    @cached_property
    def invitation(self) -> Invitation | None:
        pk = parse_id(self.request.POST.get("invitation"))
        return Invitation.objects.filter(meeting=self.meeting, pk=pk).first() if pk else None

    def post(self, request, *args, **kwargs):
        if self.which == "hadir" and self.invitation is None:
            messages.error(request, _("Undangan tidak ditemukan."))
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def make_form(self, which, data=None, files=None):
        return WalkInForm(data) if which == "tamu" else AttendanceForm(data)

    def get_context_data(self, **kwargs):
        meeting = self.meeting
        invitations = selectors.invitations_with_attendance(meeting)
        minutes = selectors.minutes_of(meeting)
        if meeting.is_cancelled:
            locked = _("Rapat ini dibatalkan; kehadiran tidak dicatat.")
        elif minutes is not None and minutes.is_approved:
            locked = _("Notulen sudah disetujui; daftar hadir hanya dapat dibaca.")
        elif timezone.localdate(meeting.start) > timezone.localdate():
            locked = _("Kehadiran dicatat pada hari rapat, mulai %(date)s.") % {
                "date": date_format(timezone.localtime(meeting.start), "j F Y")}
        else:
            locked = ""
        rows = CheckInRows(csrf_token=get_token(self.request), locked=bool(locked)).html(invitations)
        return super().get_context_data(
            invitations=invitations, checkin_rows=rows, locked=locked,
            headcount=selectors.meeting_headcount(meeting, invitations),
            statuses=AttendanceForm.base_fields["status"].choices, **kwargs)

    def perform_tamu(self, form):
        return services.attendance_walk_in(meeting=self.meeting, user=self.request.user, **form.cleaned_data)

    def perform_hadir(self, form):
        self.invitation.meeting = self.meeting
        return services.attendance_record(invitation=self.invitation, user=self.request.user, **form.cleaned_data)

    def get_success_message(self, result):
        if self.which == "tamu":
            return _("%(name)s dicatat hadir sebagai tamu.") % {"name": result.invitation.name}
        return _("Kehadiran %(name)s dicatat.") % {"name": self.invitation.name}

    def get_success_url_for(self, result):
        return self.get_failure_url()

    def get_failure_url(self):
        return self.request.path + (f"#undangan-{self.invitation.pk}" if self.which == "hadir" else "")

    def error_message(self, form, message):
        return f"{self.invitation.name}: {message}"


# --- Minutes, resolutions, action items --------------------------------------------------------------


class MinutesView(MeetingChangeMixin, MultiFormView):
    """The minutes (notulen), the numbered resolutions (rumusan, each with a delete button) and the
    action items (tindak lanjut): read-only once the minutes are approved."""

    template_name = "meetings/minutes_form.html"
    form_names = {"notulen": "minutes_form", "rumusan": "resolution_form", "tl": "action_form", "hapus-rumusan": ""}
    button_forms = frozenset({"hapus-rumusan"})
    success_messages = {"notulen": _l("Notulen tersimpan."), "rumusan": _l("Rumusan ditambahkan."),
                        "tl": _l("Tindak lanjut ditambahkan."), "hapus-rumusan": _l("Rumusan dihapus.")}
    success_anchors = {"rumusan": "#rumusan", "tl": "#tindak-lanjut"}

    @cached_property
    def minutes(self) -> Minutes | None:
        return selectors.minutes_of(self.meeting)

    @property
    def read_only(self) -> bool:
        return self.minutes is not None and self.minutes.is_approved

    def post(self, request, *args, **kwargs):
        if self.read_only:
            messages.error(request, _("Notulen rapat ini sudah disetujui dan tidak dapat diubah lagi."))
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def make_form(self, which, data=None, files=None):
        if which == "notulen":
            fields = ("note_taker", "opening", "discussion", "conclusions")
            initial = {k: getattr(self.minutes, k) for k in fields} if self.minutes else {"note_taker": ""}
            return MinutesForm(data, initial=initial)
        if which == "rumusan":
            return ResolutionForm(data)
        if which == "tl":
            return ActionItemForm(data, people=selectors.people_for(self.request.user),
                                  resolutions=self.meeting.resolutions.all())
        return ResolutionDeleteForm(data)

    def get_context_data(self, **kwargs):
        if self.read_only:
            kwargs["read_only"] = True
        return super().get_context_data(
            minutes=self.minutes, resolutions=list(self.meeting.resolutions.all()),
            action_items=list(selectors.action_items_of(self.meeting)),
            can_approve=services.minutes_can_approve(self.request.user, self.meeting), **kwargs)

    def perform_notulen(self, form):
        return services.minutes_save(meeting=self.meeting, **form.cleaned_data)

    def perform_rumusan(self, form):
        return services.resolution_add(meeting=self.meeting, **form.cleaned_data)

    def perform_tl(self, form):
        return services.action_item_create(meeting=self.meeting, **form.cleaned_data)

    def perform_hapus_rumusan(self, form):
        pk = parse_id(form.cleaned_data["resolution"])
        resolution = Resolution.objects.filter(meeting=self.meeting, pk=pk).first() if pk else None
        if resolution is None:
            raise Http404
        return services.resolution_delete(resolution=resolution)


class MinutesApproveView(MeetingActionView):
    """The chair (or, when the chair has no login, a manager recording the chair's signature) approves."""

    success_message = _l("Notulen disetujui; sekarang hanya dapat dibaca.")
    back_tab = "notulen"

    def perform(self):
        if not services.minutes_can_approve(self.request.user, self.meeting):
            raise PermissionDenied
        return services.minutes_approve(meeting=self.meeting, user=self.request.user)


class ActionItemDetailView(ScopedObjectMixin, ServiceFormView):
    """An action item and its progress notes; its owner or a manager of its meeting adds progress
    (POST by anyone else: 403)."""

    permission_required = "meetings.view_meeting"
    template_name = "meetings/action_item_detail.html"
    form_class = ProgressForm
    model = ActionItem
    context_object_name = "item"
    success_message = _l("Catatan kemajuan tersimpan.")

    @property
    def scope_action(self) -> str:
        return "change" if self.request.method == "POST" else "view"

    def get_scoped_queryset(self):
        return ActionItem.objects.select_related(
            "meeting__team__region", "owner_person", "owner_institution", "resolution")

    def may_change(self, obj) -> bool:
        user = self.request.user
        if obj.owner_person_id and obj.owner_person.user_id == user.pk:
            return True
        return meeting_can_change(user, obj.meeting)

    @cached_property
    def can_update(self) -> bool:
        return self.may_change(self.object)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "item": self.object}

    def get_context_data(self, **kwargs):
        item = self.object
        if not self.can_update:
            kwargs["form"] = None
        return super().get_context_data(
            notes=list(item.notes.select_related("author")), evidence=list(item.evidence.all()),
            can_update=self.can_update, overdue=item.is_overdue(), **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        return services.action_item_progress(item=self.object, text=data["text"], status=data["status"],
                                             user=self.request.user, evidence=data.get("evidence"))

    def get_success_url_for(self, result):
        return self.object.get_absolute_url()


class MyActionItemsView(ListTableView):
    permission_required = "meetings.view_meeting"
    template_name = "meetings/action_items_mine.html"
    table_class = ActionItemTable

    def get_queryset(self):
        return selectors.action_items_of_user(self.request.user)


class OverdueActionItemsView(ListTableView):
    """Overdue action items of the meetings the login manages or whose team it is Sekretaris of."""

    permission_required = "meetings.view_meeting"
    template_name = "meetings/action_items_overdue.html"
    table_class = OverdueActionItemTable

    def get_queryset(self):
        return selectors.overdue_for_secretary(self.request.user, timezone.localdate())


# --- Documents --------------------------------------------------------------------------------------


class DocumentAddView(MeetingChangeMixin, ServiceFormView):
    template_name = "meetings/document_form.html"
    form_class = DocumentForm
    success_message = _l("Dokumen diunggah.")

    def perform(self, form):
        return services.document_add(meeting=self.meeting, title=form.cleaned_data["title"],
                                     file=form.cleaned_data["file"], user=self.request.user)

    def get_success_url_for(self, result):
        return self.meeting_url("dokumen")


class DocumentDownloadView(ProtectedView, View):
    permission_required = "meetings.view_meeting"

    def get(self, request, *args, **kwargs):
        doc = MeetingDocument.objects.filter(
            pk=kwargs["pk"], meeting__in=Meeting.objects.restrict(request.user, "view").values("pk")).first()
        if doc is None:
            raise Http404
        return doc.file_response()


class EvidenceDownloadView(ProtectedView, View):
    permission_required = "meetings.view_meeting"

    def get(self, request, *args, **kwargs):
        from meetings.models import ActionItemEvidence

        ev = ActionItemEvidence.objects.filter(
            pk=kwargs["pk"], action_item__in=ActionItem.objects.restrict(request.user, "view").values("pk")).first()
        if ev is None:
            raise Http404
        return ev.file_response()
