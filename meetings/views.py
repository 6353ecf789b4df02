"""Pages of the meetings app. Thin adapters (house style 1): bind a form, call one service or selector,
add a message, redirect or render.

Authorisation: the permission first (403 before any lookup), then the meeting through
``Meeting.objects.restrict(user, "view")`` (outside the login's scope: 404, exactly like a missing one),
then for writes ``meeting_can_change`` (403). Action items: ``ActionItem.objects.restrict``.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from kesbang.core.ids import parse_id
from kesbang.core.tables import paginate
from kesbang.core.views import ProtectedView, ScopedObjectMixin
from meetings import selectors, services
from meetings.forms import (
    ActionItemForm,
    AgendaItemForm,
    AttendanceForm,
    DocumentForm,
    GuestForm,
    InvitePeopleForm,
    InviteTeamForm,
    MeetingCancelForm,
    MeetingFilterForm,
    MeetingForm,
    MinutesForm,
    ProgressForm,
    ResolutionForm,
    RsvpForm,
    WalkInForm,
    add_service_errors,
)
from meetings.models import ActionItem, AgendaItem, Invitation, Meeting, MeetingDocument, Resolution
from meetings.querysets import meeting_can_change

_paginate = paginate


class MeetingMixin(ProtectedView, ScopedObjectMixin):
    """The meeting of the URL through ``restrict`` (core ``ScopedObjectMixin``: permission 403 first,
    outside the scope 404, visible but not changeable 403)."""

    permission_required = "meetings.view_meeting"
    model = Meeting
    scope_action = "view"

    def get_scoped_queryset(self):
        return Meeting.objects.select_related("team__region", "chair", "opener")

    @property
    def meeting(self) -> Meeting:
        return self.get_object()

    @cached_property
    def can_change(self) -> bool:
        return meeting_can_change(self.request.user, self.meeting)

    def back(self, tab: str = ""):
        return redirect(self.meeting.get_absolute_url() + (f"?tab={tab}" if tab else ""))

    def run(self, fn, *, ok: str, tab: str = "", form=None):
        """Call a service; its ValidationError becomes a message (or form errors) and we go back."""
        try:
            result = fn()
        except ValidationError as exc:
            if form is not None:
                add_service_errors(form, exc)
                return None
            for message in exc.messages:
                messages.error(self.request, message)
            return self.back(tab)
        messages.success(self.request, ok)
        return result


# --- List and calendar ------------------------------------------------------------------------------


class MeetingListView(ProtectedView, TemplateView):
    permission_required = "meetings.view_meeting"
    template_name = "meetings/meeting_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = MeetingFilterForm(self.request.GET or None, teams=selectors.teams_for_filter(user))
        qs = form.apply(Meeting.objects.restrict(user, "view")) if form.is_bound else Meeting.objects.restrict(user)
        page = _paginate(self.request, selectors.meeting_list(qs))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_form=form, page_obj=page, meetings=page.object_list,
            query=query.urlencode(),
            is_filtered=form.is_bound and any(v for k, v in self.request.GET.items() if k != "page"),
            can_add=user.has_perm("meetings.add_meeting"), **kwargs,
        )


# Years the calendar accepts in ?bulan= / ?minggu=: outside, the previous/next links would overflow the date type.
CALENDAR_YEARS = (1900, 2100)


class MeetingCalendarView(ProtectedView, TemplateView):
    """Month (``?bulan=2017-05``) or week (``?minggu=2017-05-08``) view; bad values fall back to today."""

    permission_required = "meetings.view_meeting"
    template_name = "meetings/meeting_calendar.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        data = {k: v for k, v in self.request.GET.items() if k in ("team", "kind", "status")}
        form = MeetingFilterForm(data or None, teams=selectors.teams_for_filter(user), with_dates=False)
        base = Meeting.objects.restrict(user, "view")
        if form.is_bound:
            base = form.apply(base)
        today = timezone.localdate()
        week = self.request.GET.get("minggu")
        month = self.request.GET.get("bulan")
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
        weekdays = [_("Senin"), _("Selasa"), _("Rabu"), _("Kamis"), _("Jumat"), _("Sabtu"), _("Minggu")]
        return super().get_context_data(filter_form=form, grid=grid, today=today, query=query.urlencode(), keep=keep,
                                        weekdays=weekdays, **kwargs)


# --- Detail -----------------------------------------------------------------------------------------

TABS = [
    ("acara", _("Acara")), ("undangan", _("Undangan")), ("kehadiran", _("Kehadiran")),
    ("notulen", _("Notulen")), ("tindak-lanjut", _("Tindak lanjut")), ("dokumen", _("Dokumen")),
    ("riwayat", _("Riwayat")),
]


class MeetingDetailView(MeetingMixin, TemplateView):
    template_name = "meetings/meeting_detail.html"

    def get_scoped_queryset(self):
        return selectors.with_counts(
            Meeting.objects.select_related("team__region", "chair", "opener", "minutes__approved_by")
        )

    def get_context_data(self, **kwargs):
        meeting = self.meeting
        tab = self.request.GET.get("tab", "acara")
        if tab not in dict(TABS):
            tab = "acara"
        user = self.request.user
        ctx = {"meeting": meeting, "tab": tab, "tabs": TABS, "can_change": self.can_change,
               "minutes": getattr(meeting, "minutes", None) if _has_minutes(meeting) else None,
               "can_approve": services.minutes_can_approve(user, meeting)}
        ctx["headcount"] = {
            "members": meeting.present_count, "guests": meeting.guest_count,
            "total": meeting.present_count + meeting.guest_count, "invited": meeting.invited_count,
        }
        ctx.update(selectors.meeting_tab(meeting, tab, user=self.request.user))
        return super().get_context_data(**ctx, **kwargs)


def _has_minutes(meeting) -> bool:
    from meetings.models import Minutes

    try:
        return meeting.minutes is not None
    except Minutes.DoesNotExist:
        return False


# --- Schedule, change, cancel, status -------------------------------------------------------------


class MeetingCreateView(ProtectedView, TemplateView):
    permission_required = "meetings.add_meeting"
    template_name = "meetings/meeting_form.html"

    def form(self, data=None):
        user = self.request.user
        return MeetingForm(data, teams=selectors.teams_for_organising(user), people=selectors.people_for(user),
                           incidents=selectors.incidents_for(user), initial={"letter_date": timezone.localdate()})

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                meeting = services.meeting_schedule(created_by=request.user, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Rapat %(title)s telah dijadwalkan. Undang pesertanya.") % {
                    "title": meeting.title})
                return redirect(reverse("meetings:meeting_invite", args=[meeting.pk]))
        return self.render_to_response(self.get_context_data(form=form))


class MeetingUpdateView(MeetingMixin, TemplateView):
    permission_required = "meetings.change_meeting"
    scope_action = "change"
    template_name = "meetings/meeting_form.html"

    def form(self, data=None):
        user, m = self.request.user, self.meeting
        initial = {name: getattr(m, name) for name in services.MEETING_FIELDS if name != "linked_incidents"}
        linked = list(m.linked_incidents.values_list("pk", flat=True))
        readable = selectors.incidents_for(user).filter(pk__in=linked).values_list("pk", flat=True)
        initial["linked_incidents"] = list(readable)
        initial["start"] = timezone.localtime(m.start)
        initial["end"] = timezone.localtime(m.end)
        return MeetingForm(data, teams=selectors.teams_for_organising(user), people=selectors.people_for(user),
                           incidents=selectors.incidents_for(user), initial=initial, with_agenda=False,
                           hidden_linked=len(linked) - len(initial["linked_incidents"]))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                meeting = services.meeting_update(meeting=self.meeting, editor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Perubahan rapat tersimpan.") + (
                    " " + _("Semua undangan akan menerima pemberitahuan perubahan.") if meeting.sequence
                    != self.meeting.sequence else ""))
                return redirect(meeting)
        return self.render_to_response(self.get_context_data(form=form))


class MeetingCancelView(MeetingMixin, TemplateView):
    permission_required = "meetings.change_meeting"
    scope_action = "change"
    template_name = "meetings/meeting_cancel.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", MeetingCancelForm())
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def post(self, request, *args, **kwargs):
        form = MeetingCancelForm(request.POST)
        if form.is_valid():
            try:
                services.meeting_cancel(meeting=self.meeting, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Rapat dibatalkan; semua undangan menerima pemberitahuan."))
                return self.back()
        return self.render_to_response(self.get_context_data(form=form))


class MeetingStatusView(MeetingMixin, View):
    permission_required = "meetings.change_meeting"
    scope_action = "change"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        status = request.POST.get("status", "")
        result = self.run(lambda: services.meeting_set_status(meeting=self.meeting, status=status),
                          ok=_("Status rapat diperbarui."))
        return result if isinstance(result, HttpResponse) else self.back()


# --- Agenda ---------------------------------------------------------------------------------------


class AgendaAddView(MeetingMixin, TemplateView):
    permission_required = "meetings.change_meeting"
    scope_action = "change"
    template_name = "meetings/agenda_form.html"

    def form(self, data=None):
        return AgendaItemForm(data, people=selectors.people_for(self.request.user))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        return super().get_context_data(meeting=self.meeting, items=list(
            self.meeting.agenda_items.select_related("presenter")), **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            result = self.run(lambda: services.agenda_item_add(meeting=self.meeting, **form.cleaned_data),
                              ok=_("Mata acara ditambahkan."), form=form)
            if result is not None:
                return redirect(reverse("meetings:agenda_add", args=[self.meeting.pk]))
        return self.render_to_response(self.get_context_data(form=form))


class AgendaDeleteView(MeetingMixin, View):
    permission_required = "meetings.change_meeting"
    scope_action = "change"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        item = AgendaItem.objects.filter(meeting=self.meeting, pk=kwargs["item"]).first()
        if item is None:
            raise Http404
        result = self.run(lambda: services.agenda_item_delete(item=item), ok=_("Mata acara dihapus."))
        return result if isinstance(result, HttpResponse) else redirect(
            reverse("meetings:agenda_add", args=[self.meeting.pk]))


# --- Invitations ------------------------------------------------------------------------------------


class InviteView(MeetingMixin, TemplateView):
    permission_required = "meetings.change_meeting"
    scope_action = "change"
    template_name = "meetings/invite.html"

    def forms(self, data=None, which=None):
        user = self.request.user
        return {
            "team_form": InviteTeamForm(data if which == "tim" else None, teams=selectors.teams_for_filter(user)),
            "people_form": InvitePeopleForm(data if which == "orang" else None, people=selectors.people_for(user)),
            "guest_form": GuestForm(data if which == "tamu" else None),
        }

    def get_context_data(self, **kwargs):
        for key, form in self.forms().items():
            kwargs.setdefault(key, form)
        return super().get_context_data(meeting=self.meeting, invited=self.meeting.invitations.count(), **kwargs)

    def post(self, request, *args, **kwargs):
        which = request.POST.get("which")
        forms_ = self.forms(request.POST, which)
        form = {"tim": forms_["team_form"], "orang": forms_["people_form"], "tamu": forms_["guest_form"]}.get(which)
        if form is None:
            messages.error(request, _("Formulir tidak dikenal."))
            return redirect(request.path)
        if form.is_valid():
            data = form.cleaned_data
            if which == "tim":
                call = lambda: services.invite_team(meeting=self.meeting, team=data["team"], roles=data["roles"])  # noqa: E731
            elif which == "orang":
                call = lambda: services.invite_people(meeting=self.meeting, people=data["people"])  # noqa: E731
            else:
                call = lambda: [services.invite_guest(meeting=self.meeting, **data)]  # noqa: E731
            try:
                created = call()
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(n)s undangan baru dibuat; email undangan dikirim kepada yang memiliki "
                                            "alamat email.") % {"n": len(created)})
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(**forms_))


class InvitationRemoveView(MeetingMixin, View):
    permission_required = "meetings.change_meeting"
    scope_action = "change"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        invitation = Invitation.objects.filter(meeting=self.meeting, pk=kwargs["invitation"]).first()
        if invitation is None:
            raise Http404
        result = self.run(lambda: services.invitation_remove(invitation=invitation), ok=_("Undangan dihapus."),
                          tab="undangan")
        return result if isinstance(result, HttpResponse) else self.back("undangan")


@method_decorator([login_not_required, never_cache], name="dispatch")
class RsvpView(View):
    """The invitee's personal answer page: no login; the signed token is the only key (see ``rsvp``).
    Never cached (it shows the invitee's name and answer); every answer is written to the audit log,
    without the token (it is the key)."""

    template_name = "meetings/rsvp.html"

    def invitation(self):
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

    def render(self, request, status=200, **ctx):
        return render(request, self.template_name, ctx, status=status)

    def get(self, request, *args, **kwargs):
        invitation, error = self.invitation()
        if error:
            return self.render(request, status=400 if invitation is None else 200, error=error)
        return self.render(request, invitation=invitation, meeting=invitation.meeting, form=RsvpForm(
            initial={"response": invitation.response if invitation.response != "belum" else "hadir",
                     "delegate_name": invitation.delegate_name}))

    def post(self, request, *args, **kwargs):
        invitation, error = self.invitation()
        if error:
            return self.render(request, status=400, error=error)
        form = RsvpForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.invitation_respond(
                    invitation=invitation, response=form.cleaned_data["response"],
                    delegate_name=form.cleaned_data["delegate_name"], note=form.cleaned_data["note"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                _audit_rsvp(request, invitation)
                return self.render(request, invitation=invitation, meeting=invitation.meeting, saved=True)
        return self.render(request, invitation=invitation, meeting=invitation.meeting, form=form)


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


class CheckInView(MeetingMixin, TemplateView):
    permission_required = "meetings.change_meeting"
    scope_action = "change"
    template_name = "meetings/checkin.html"

    def get_context_data(self, **kwargs):
        invitations = selectors.invitations_with_attendance(self.meeting)
        kwargs.setdefault("walk_in_form", WalkInForm())
        minutes = selectors.minutes_of(self.meeting)
        if self.meeting.is_cancelled:
            locked = _("Rapat ini dibatalkan; kehadiran tidak dicatat.")
        elif minutes is not None and minutes.is_approved:
            locked = _("Notulen sudah disetujui; daftar hadir hanya dapat dibaca.")
        elif timezone.localdate(self.meeting.start) > timezone.localdate():
            locked = _("Kehadiran dicatat pada hari rapat, mulai %(date)s.") % {
                "date": date_format(timezone.localtime(self.meeting.start), "j F Y")}
        else:
            locked = ""
        return super().get_context_data(
            meeting=self.meeting, invitations=invitations, locked=locked,
            headcount=selectors.meeting_headcount(self.meeting, invitations),
            statuses=AttendanceForm.base_fields["status"].choices, **kwargs)

    def post(self, request, *args, **kwargs):
        if "walk_in" in request.POST:
            form = WalkInForm(request.POST)
            if form.is_valid():
                try:
                    services.attendance_walk_in(meeting=self.meeting, user=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("%(name)s dicatat hadir sebagai tamu.") % {
                        "name": form.cleaned_data["name"]})
                    return redirect(request.path)
            return self.render_to_response(self.get_context_data(walk_in_form=form))
        pk = parse_id(request.POST.get("invitation"))
        invitation = Invitation.objects.filter(meeting=self.meeting, pk=pk).first() if pk else None
        if invitation is None:
            messages.error(request, _("Undangan tidak ditemukan."))
            return redirect(request.path)
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, f"{invitation.name}: {message}")
            return redirect(request.path + f"#undangan-{invitation.pk}")
        invitation.meeting = self.meeting
        try:
            services.attendance_record(invitation=invitation, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Kehadiran %(name)s dicatat.") % {"name": invitation.name})
        return redirect(request.path + f"#undangan-{invitation.pk}")


# --- Minutes, resolutions, action items --------------------------------------------------------------


class MinutesView(MeetingMixin, TemplateView):
    permission_required = "meetings.change_meeting"
    scope_action = "change"
    template_name = "meetings/minutes_form.html"

    def forms(self, data=None, which=None):
        user = self.request.user
        minutes = selectors.minutes_of(self.meeting)
        initial = {k: getattr(minutes, k) for k in ("note_taker", "opening", "discussion", "conclusions")} if minutes \
            else {"note_taker": ""}
        return {
            "minutes_form": MinutesForm(data if which == "notulen" else None, initial=initial),
            "resolution_form": ResolutionForm(data if which == "rumusan" else None),
            "action_form": ActionItemForm(data if which == "tl" else None, people=selectors.people_for(user),
                                          resolutions=self.meeting.resolutions.all()),
        }

    def get_context_data(self, **kwargs):
        for key, form in self.forms().items():
            kwargs.setdefault(key, form)
        minutes = selectors.minutes_of(self.meeting)
        if minutes is not None and minutes.is_approved:
            kwargs["read_only"] = True
        return super().get_context_data(
            meeting=self.meeting, minutes=minutes, resolutions=list(self.meeting.resolutions.all()),
            action_items=list(selectors.action_items_of(self.meeting)),
            can_approve=services.minutes_can_approve(self.request.user, self.meeting), **kwargs)

    def post(self, request, *args, **kwargs):
        which = request.POST.get("which")
        minutes = selectors.minutes_of(self.meeting)
        if minutes is not None and minutes.is_approved:
            messages.error(request, _("Notulen rapat ini sudah disetujui dan tidak dapat diubah lagi."))
            return redirect(request.path)
        forms_ = self.forms(request.POST, which)
        form = {"notulen": forms_["minutes_form"], "rumusan": forms_["resolution_form"],
                "tl": forms_["action_form"]}.get(which)
        if which == "hapus-rumusan":
            raw = request.POST.get("resolution", "")
            resolution = (Resolution.objects.filter(meeting=self.meeting, pk=parse_id(raw)).first()
                          if parse_id(raw) else None)
            if resolution is None:
                raise Http404
            result = self.run(lambda: services.resolution_delete(resolution=resolution), ok=_("Rumusan dihapus."))
            return redirect(request.path)
        if form is None:
            messages.error(request, _("Formulir tidak dikenal."))
            return redirect(request.path)
        if form.is_valid():
            data = form.cleaned_data
            calls = {
                "notulen": (lambda: services.minutes_save(meeting=self.meeting, **data), _("Notulen tersimpan.")),
                "rumusan": (lambda: services.resolution_add(meeting=self.meeting, **data), _("Rumusan ditambahkan.")),
                "tl": (lambda: services.action_item_create(meeting=self.meeting, **data),
                       _("Tindak lanjut ditambahkan.")),
            }
            call, ok = calls[which]
            result = self.run(call, ok=ok, form=form)
            if result is not None:
                return redirect(request.path + {"notulen": "", "rumusan": "#rumusan", "tl": "#tindak-lanjut"}[which])
        return self.render_to_response(self.get_context_data(**forms_))


class MinutesApproveView(MeetingMixin, View):
    """The chair (or, when the chair has no login, a manager recording the chair's signature) approves."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not services.minutes_can_approve(request.user, self.meeting):
            raise PermissionDenied
        result = self.run(lambda: services.minutes_approve(meeting=self.meeting, user=request.user),
                          ok=_("Notulen disetujui; sekarang hanya dapat dibaca."), tab="notulen")
        return result if isinstance(result, HttpResponse) else self.back("notulen")


class ActionItemMixin(ProtectedView):
    permission_required = "meetings.view_meeting"

    @cached_property
    def item(self) -> ActionItem:
        item = (
            ActionItem.objects.restrict(self.request.user, "view")
            .select_related("meeting__team__region", "owner_person", "owner_institution", "resolution")
            .filter(pk=self.kwargs["pk"]).first()
        )
        if item is None:
            raise Http404(_("Tindak lanjut tidak ditemukan."))
        return item

    @cached_property
    def can_update(self) -> bool:
        user = self.request.user
        if self.item.owner_person_id and self.item.owner_person.user_id == user.pk:
            return True
        return meeting_can_change(user, self.item.meeting)


class ActionItemDetailView(ActionItemMixin, TemplateView):
    template_name = "meetings/action_item_detail.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ProgressForm(item=self.item) if self.can_update else None)
        return super().get_context_data(
            item=self.item, notes=list(self.item.notes.select_related("author")),
            evidence=list(self.item.evidence.all()), can_update=self.can_update,
            overdue=self.item.is_overdue(), **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.can_update:
            raise PermissionDenied
        form = ProgressForm(request.POST, request.FILES, item=self.item)
        if form.is_valid():
            data = form.cleaned_data
            try:
                kind = selectors.checked_upload(data["evidence"]) if data.get("evidence") else ""
                services.action_item_progress(item=self.item, text=data["text"], status=data["status"],
                                              user=request.user, evidence=data.get("evidence"), evidence_kind=kind)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Catatan kemajuan tersimpan."))
                return redirect(self.item)
        return self.render_to_response(self.get_context_data(form=form))


class MyActionItemsView(ProtectedView, TemplateView):
    permission_required = "meetings.view_meeting"
    template_name = "meetings/action_items_mine.html"

    def get_context_data(self, **kwargs):
        items = selectors.action_items_of_user(self.request.user)
        page = _paginate(self.request, items)
        return super().get_context_data(page_obj=page, items=page.object_list, today=timezone.localdate(), **kwargs)


class OverdueActionItemsView(ProtectedView, TemplateView):
    """Overdue action items of the meetings the login manages or whose team it is Sekretaris of."""

    permission_required = "meetings.view_meeting"
    template_name = "meetings/action_items_overdue.html"

    def get_context_data(self, **kwargs):
        items = selectors.overdue_for_secretary(self.request.user, timezone.localdate())
        page = _paginate(self.request, items)
        return super().get_context_data(page_obj=page, items=page.object_list, today=timezone.localdate(), **kwargs)


# --- Documents --------------------------------------------------------------------------------------


class DocumentAddView(MeetingMixin, TemplateView):
    permission_required = "meetings.change_meeting"
    scope_action = "change"
    template_name = "meetings/document_form.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", DocumentForm())
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def post(self, request, *args, **kwargs):
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                kind = selectors.checked_upload(form.cleaned_data["file"])
                services.document_add(meeting=self.meeting, title=form.cleaned_data["title"],
                                      file=form.cleaned_data["file"], kind=kind, user=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Dokumen diunggah."))
                return self.back("dokumen")
        return self.render_to_response(self.get_context_data(form=form))


class DocumentDownloadView(ProtectedView, View):
    permission_required = "meetings.view_meeting"

    def get(self, request, *args, **kwargs):
        doc = MeetingDocument.objects.filter(
            pk=kwargs["pk"], meeting__in=Meeting.objects.restrict(request.user, "view").values("pk")).first()
        if doc is None:
            raise Http404
        return selectors.file_response(doc.file, doc.original_name)


class EvidenceDownloadView(ProtectedView, View):
    permission_required = "meetings.view_meeting"

    def get(self, request, *args, **kwargs):
        from meetings.models import ActionItemEvidence

        ev = ActionItemEvidence.objects.filter(
            pk=kwargs["pk"], action_item__in=ActionItem.objects.restrict(request.user, "view").values("pk")).first()
        if ev is None:
            raise Http404
        return selectors.file_response(ev.file, ev.original_name)
