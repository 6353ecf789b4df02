"""Incident pages: list (filters, sort, pages, exports), map, quick entry, detail, edit, workflow,
follow-ups, Status Keadaan Konflik, attachments, and two small JSON endpoints.

Thin adapters (house style 1) on the core bases: the permission first (403), the object through
``Incident.objects.restrict`` (404 outside the scope; 403 when visible but not changeable), one
service per write.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views import View
from django.views.generic import TemplateView

from incidents import access, classification, exports, selectors, services
from incidents.filters import IncidentFilter
from incidents.forms import AttachmentForm, ConflictStatusForm, FollowUpForm, IncidentForm, RejectForm
from incidents.models import Attachment, Incident
from incidents.tables import IncidentTable, occurred_label
from kesbang.core.forms import add_service_errors, unbound_form_html
from kesbang.core.history import HistorySpec, change_log
from kesbang.core.ids import parse_id
from kesbang.core.views import (
    FilteredQuerysetMixin,
    ListTableView,
    ProtectedView,
    ScopedObjectMixin,
    ServiceActionView,
    ServiceFormView,
)
from teams.models import Person, Region

TRANSITION_LABELS = {
    "submit": _l("Kirim laporan"), "verify": _l("Verifikasi"), "handle": _l("Mulai ditangani"),
    "recover": _l("Masuk pemulihan"), "close": _l("Selesaikan"), "reject": _l("Tolak"),
}


class VisibleIncidentsMixin(FilteredQuerysetMixin):
    """The incidents the login may see, narrowed by the list's filter (``IncidentFilter``): the list, its
    exports and the map read the same rows."""

    filterset_class = IncidentFilter

    def get_queryset(self):
        return Incident.objects.restrict(self.request.user, "view")


class IncidentListView(VisibleIncidentsMixin, ListTableView):
    permission_required = "incidents.view_incident"
    template_name = "incidents/incident_list.html"
    table_class = IncidentTable

    def get_queryset(self):
        return selectors.incident_list_queryset(super().get_queryset())

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        for key in ("page", "sort", "per_page"):
            query.pop(key, None)
        return super().get_context_data(export_query=query.urlencode(), **kwargs)


class IncidentExportView(ProtectedView, VisibleIncidentsMixin, View):
    permission_required = "incidents.view_incident"

    def get(self, request, fmt):
        if fmt not in ("csv", "xlsx"):  # ekspor.pdf, ekspor.CSV ...: not an export we make (was an .xlsx)
            raise Http404
        qs = self.filtered_queryset().order_by("-occurred_on", "-id")
        if fmt == "csv":
            return exports.incidents_csv(qs)
        return exports.incidents_xlsx(qs, filters=self.filterset.active_filters())


class IncidentMapView(ProtectedView, VisibleIncidentsMixin, TemplateView):
    permission_required = "incidents.view_incident"
    template_name = "incidents/incident_map.html"

    def get_context_data(self, **kwargs):
        from django.conf import settings
        from django.templatetags.static import static

        query = self.request.GET.urlencode()
        config = {
            "dataUrl": self.request.path + "data/" + (f"?{query}" if query else ""),
            "regenciesUrl": static("incidents/geo/batas-kabkota-19.geojson"),
            "kecamatanUrl": static("incidents/geo/batas-kecamatan-19.geojson"),
            "tilesUrl": settings.INCIDENT_MAP_TILES_URL,
            "tilesAttribution": settings.INCIDENT_MAP_TILES_ATTRIBUTION,
            "detailUrl": "/insiden/{id}/",
            "labels": {
                "incidents": _("insiden"), "withPoint": _("dengan koordinat"),
                "severity": {k: str(v) for k, v in Incident.Severity.choices},
                "kind": {k: str(v) for k, v in Incident.Kind.choices},
                "status": {k: str(v) for k, v in Incident.Status.choices},
                "none": _("Tidak ada insiden"),
            },
        }
        return super().get_context_data(filter=self.filterset, is_filtered=self.is_filtered,
                                        map_config=config, **kwargs)


class IncidentMapDataView(ProtectedView, VisibleIncidentsMixin, View):
    permission_required = "incidents.view_incident"

    def get(self, request):
        data = selectors.map_data_cached(self.filtered_queryset(), codes=self.filterset.region_codes)
        response = JsonResponse(data)
        response["Cache-Control"] = "private, no-store"
        return response


# --- Entry and edit ---------------------------------------------------------------------------------


class OfflineMessagesMixin:
    def get_context_data(self, **kwargs):
        messages_ = {
            "offline": _("Tidak ada sinyal. Laporan tersimpan di perangkat ini dan akan dikirim sekali begitu "
                         "koneksi kembali."),
            "sending": _("Koneksi kembali: mengirim laporan yang tersimpan..."),
            "restored": _("Isian yang belum terkirim dipulihkan dari perangkat ini."),
            "duplicate": _("Kemungkinan duplikat: sudah ada laporan di desa yang sama dalam 3 hari:"),
        }
        return super().get_context_data(offline_messages=messages_, **kwargs)


class IncidentCreateView(OfflineMessagesMixin, ServiceFormView):
    """Quick entry: the minimum fields first; ``action=draft`` keeps a draft, otherwise it is reported.
    The browser keeps what was typed (static/js/incident-form.js) and resubmits with the same
    ``client_key`` when the connection returns, which never makes a duplicate."""

    permission_required = "incidents.add_incident"
    template_name = "incidents/incident_form.html"
    form_class = IncidentForm

    def get_form_kwargs(self):
        user = self.request.user
        return {**super().get_form_kwargs(), "regions": access.reportable_regions(user),
                "teams": access.assignable_teams(user), "collapse_details": True}

    def get_initial(self):
        import uuid

        from django.utils import timezone

        regions = access.reportable_regions(self.request.user)
        initial = {"occurred_on": timezone.localdate(), "client_key": uuid.uuid4()}
        if len(regions) == 1:
            initial["region"] = regions[0]
        return initial

    @transaction.atomic
    def perform(self, form):
        submit = self.request.POST.get("action") != "draft"
        incident, created = services.incident_create_once(
            reporter=self.request.user, submit=submit, client_key=form.cleaned_data.get("client_key"),
            **form.service_fields(),
        )
        self.was_duplicate = not created
        if created:
            for uploaded in form.cleaned_data.get("attachments") or []:
                services.attachment_add(incident=incident, user=self.request.user, uploaded_file=uploaded)
        return incident

    def get_success_message(self, incident):
        if self.was_duplicate:
            return _("Laporan %(ref)s sudah diterima sebelumnya; tidak dibuat dua kali.") % {"ref": incident.reference}
        if incident.status == Incident.Status.DRAF:
            return _("Draf %(ref)s tersimpan. Kirim bila sudah lengkap.") % {"ref": incident.reference}
        return _("Laporan %(ref)s terkirim.") % {"ref": incident.reference}

    def get_context_data(self, **kwargs):
        from incidents.intake_views import location_config

        return super().get_context_data(is_create=True, location_config=location_config(), **kwargs)

    def render_to_response(self, context, **response_kwargs):
        from incidents.intake_views import GEOLOCATION

        response = super().render_to_response(context, **response_kwargs)
        response["Permissions-Policy"] = GEOLOCATION  # "use my location" on this form only
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.headers.get("X-Requested-With") == "fetch" and response.status_code == 302:
            # The offline outbox (incident-form.js) sent it: answer where to go, keep the message for that page.
            return JsonResponse({"url": response["Location"]})
        return response


class IncidentUpdateView(OfflineMessagesMixin, ScopedObjectMixin, ServiceFormView):
    permission_required = "incidents.view_incident"
    template_name = "incidents/incident_form.html"
    form_class = IncidentForm
    model = Incident
    scope_action = "change"

    def get_scoped_queryset(self):
        return Incident.objects.select_related("region", "kecamatan", "desa", "category")

    def get_form_kwargs(self):
        user = self.request.user
        regions = access.reportable_regions(user) | Region.objects.filter(pk=self.object.region_id)
        return {**super().get_form_kwargs(), "regions": regions.distinct(), "instance": self.object,
                "teams": access.assignable_teams(user)}

    def get_initial(self):
        from incidents.forms import DETAIL_FIELDS, QUICK_FIELDS

        initial = {name: getattr(self.object, name) for name in QUICK_FIELDS + DETAIL_FIELDS}
        initial["version"] = self.object.version
        return initial

    def perform(self, form):
        version = form.cleaned_data.get("version") or 0
        return services.incident_update(incident=self.object, user=self.request.user, expected_version=version,
                                        **form.service_fields())

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            if getattr(exc, "code", None) == "stale":
                form.stale = True
            return self.form_invalid(form)
        messages.success(self.request, _("Perubahan %(ref)s tersimpan.") % {"ref": result.reference})
        return redirect(result)


# --- Detail -------------------------------------------------------------------------------------------

HISTORY = HistorySpec(
    label=lambda record: record.reference,
    exclude=("id", "reference", "reporter", "created_at", "reported_at", "escalated_from", "version", "updated_at",
             "client_key"),
)


IMPACT_FIELDS = ("killed", "injured", "missing", "displaced", "buildings_damaged", "buildings_destroyed",
                 "women_victims", "children_victims")


def _point_config(incident) -> dict | None:
    from django.conf import settings

    if incident.latitude is None:
        return None
    return {"point": {"lat": float(incident.latitude), "lng": float(incident.longitude)},
            "tilesUrl": settings.INCIDENT_MAP_TILES_URL, "tilesAttribution": settings.INCIDENT_MAP_TILES_ATTRIBUTION,
            "regenciesUrl": _static("incidents/geo/batas-kabkota-19.geojson"), "title": incident.title}


def _static(path):
    from django.templatetags.static import static

    return static(path)


class IncidentDetailView(ProtectedView, ScopedObjectMixin, TemplateView):
    permission_required = "incidents.view_incident"
    template_name = "incidents/incident_detail.html"
    model = Incident
    joins_in_written_order = True  # 12 tables (places, category, team, handler, links): planning 12 -> 3 ms

    def get_scoped_queryset(self):
        from django.db.models import Exists, OuterRef

        changeable = Incident.objects.restrict(self.request.user, "change").filter(pk=OuterRef("pk"))
        return selectors.incident_detail_queryset(Incident.objects.annotate(can_change=Exists(changeable)))

    def get_context_data(self, **kwargs):
        user = self.request.user
        incident = self.object
        can_change = incident.can_change
        transitions = [
            (name, TRANSITION_LABELS[name]) for name in services.TRANSITIONS
            if can_change and services.transition_allowed(incident, user, name)
        ]
        duplicates = []
        if incident.status in (Incident.Status.DRAF, Incident.Status.DILAPORKAN):
            duplicates = list(selectors.possible_duplicates(
                Incident.objects.restrict(user, "view"), desa_id=incident.desa_id, occurred_on=incident.occurred_on,
                exclude_pk=incident.pk,
            ))
        is_manager = can_change and services._is_manager(user)
        escalated_to = getattr(incident, "escalated_to", None)
        # The other end of an escalation is named only to those who may read it (classification policy).
        linked_readable = classification.readable_ids(
            user, [incident.escalated_from_id, escalated_to.pk if escalated_to else None])
        return super().get_context_data(
            incident=incident,
            classification_note=classification.reader_note(incident.classification),
            escalated_from=incident.escalated_from if incident.escalated_from_id in linked_readable else None,
            escalated_to=escalated_to if escalated_to and escalated_to.pk in linked_readable else None,
            timeline=selectors.timeline(incident.pk),
            attachments=list(incident.attachments.all()),
            conflict_statuses=list(incident.conflict_statuses.all()),
            can_change=can_change,
            can_edit=can_change and incident.status not in (Incident.Status.SELESAI, Incident.Status.DITOLAK),
            is_manager=is_manager,
            transitions=[t for t in transitions if t[0] != "reject"],
            can_reject=any(t[0] == "reject" for t in transitions),
            can_escalate=is_manager and incident.kind == Incident.Kind.POTENSI
            and incident.status not in (Incident.Status.DRAF, Incident.Status.DITOLAK)
            and not hasattr(incident, "escalated_to"),
            can_declare=is_manager and incident.kind == Incident.Kind.PERISTIWA
            and incident.status not in (Incident.Status.DRAF, Incident.Status.DITOLAK),
            duplicates=duplicates,
            attachment_form_html=unbound_form_html(AttachmentForm),  # always empty here: errors on its page
            reject_form=RejectForm(),
            map_point=bool(incident.latitude is not None),
            map_config=_point_config(incident),
            impact=[(Incident._meta.get_field(name).verbose_name.capitalize(), getattr(incident, name))
                    for name in IMPACT_FIELDS],
            occurred_label=occurred_label(incident),
            public_reports=self.public_reports(incident),
            **kwargs,
        )

    def public_reports(self, incident) -> list:
        """The public reports this incident came from or absorbed, with the reporter's contact: only for
        a verifier who may see those reports (``PublicReport.objects.restrict``); nobody else gets them
        (and no query is made for them)."""
        if not self.request.user.has_perm("incidents.view_publicreport"):
            return []
        return list(incident.public_reports.restrict(self.request.user, "view").order_by("submitted_at"))


class IncidentHistoryView(ProtectedView, ScopedObjectMixin, TemplateView):
    """Every change of the report's data: who, when, old → new (django-simple-history, core change_log)."""

    permission_required = "incidents.view_incident"
    template_name = "incidents/incident_history.html"
    model = Incident

    def get_context_data(self, **kwargs):
        records = self.object.history.all()
        redact = classification.history_redactor(self.request.user, self.object)
        return super().get_context_data(change_log=change_log(records, HISTORY, limit=200, redact=redact), **kwargs)


class IncidentObjectActionView(ScopedObjectMixin, ServiceActionView):
    permission_required = "incidents.view_incident"
    model = Incident

    def get_failure_url(self):
        return self.object.get_absolute_url()


class IncidentTransitionView(IncidentObjectActionView):
    def perform(self):
        name = self.kwargs["name"]
        if name not in services.TRANSITIONS:
            raise Http404
        return services.incident_transition(
            incident=self.object, user=self.request.user, name=name,
            note=self.request.POST.get("note", ""), reason=self.request.POST.get("reason", ""),
        )

    def get_success_message(self, incident):
        return _("Status %(ref)s sekarang: %(status)s.") % {"ref": incident.reference,
                                                            "status": incident.get_status_display()}


class IncidentEscalateView(IncidentObjectActionView):
    def perform(self):
        return services.incident_escalate(potential=self.object, user=self.request.user)

    def get_success_message(self, incident):
        return _("Potensi konflik dieskalasi menjadi peristiwa konflik %(ref)s. Lengkapi datanya.") % {
            "ref": incident.reference
        }


class IncidentSubFormView(ScopedObjectMixin, ServiceFormView):
    """A form on one incident the login may change (follow-up, Status Keadaan Konflik, attachment)."""

    permission_required = "incidents.view_incident"
    model = Incident
    scope_action = "change"

    def get_success_url_for(self, result):
        return self.object.get_absolute_url()


class FollowUpCreateView(IncidentSubFormView):
    template_name = "incidents/follow_up_form.html"
    form_class = FollowUpForm

    def get_form_kwargs(self):
        user = self.request.user
        choices = [(name, TRANSITION_LABELS[name]) for name in ("handle", "recover", "close")
                   if services.transition_allowed(self.object, user, name)]
        return {**super().get_form_kwargs(), "transitions": choices}

    def get_initial(self):
        from django.utils import timezone

        return {"date": timezone.localdate()}

    def perform(self, form):
        return services.follow_up_add(incident=self.object, user=self.request.user, **form.cleaned_data)

    def get_success_message(self, result):
        return _("Tindak lanjut tercatat.")


class ConflictStatusCreateView(IncidentSubFormView):
    template_name = "incidents/conflict_status_form.html"
    form_class = ConflictStatusForm

    def perform(self, form):
        return services.conflict_status_declare(incident=self.object, user=self.request.user, **form.cleaned_data)

    def get_success_message(self, result):
        return _("Status Keadaan Konflik tercatat; pengingat dikirim 14 dan 3 hari sebelum berakhir.")


class AttachmentUploadView(IncidentSubFormView):
    template_name = "incidents/attachment_form.html"
    form_class = AttachmentForm

    def perform(self, form):
        return services.attachment_add(incident=self.object, user=self.request.user,
                                       uploaded_file=form.cleaned_data["file"],
                                       description=form.cleaned_data["description"])

    def get_success_message(self, result):
        return _("Lampiran %(name)s tersimpan.") % {"name": result.original_name}


class AttachmentDownloadView(ProtectedView, ScopedObjectMixin, View):
    """Serves a private file to whoever may see its incident (404 otherwise, like a missing file)."""

    permission_required = "incidents.view_incident"
    model = Incident

    def get(self, request, pk, attachment_pk):
        try:
            attachment = Attachment.objects.get(pk=attachment_pk, incident=self.object)
        except (Attachment.DoesNotExist, ValueError):
            raise Http404 from None
        inline = request.GET.get("lihat") == "1" and attachment.is_image
        return attachment.file_response(inline=inline)


class AttachmentDeleteView(IncidentObjectActionView):
    permission_required = "incidents.delete_attachment"
    def perform(self):
        try:
            attachment = Attachment.objects.get(pk=self.kwargs["attachment_pk"], incident=self.object)
        except Attachment.DoesNotExist:
            raise Http404 from None
        services.attachment_delete(attachment=attachment, user=self.request.user)
        return self.object

    def get_success_message(self, result):
        return _("Lampiran dihapus.")


# --- JSON endpoints ---------------------------------------------------------------------------------


class RegionChildrenView(ProtectedView, View):
    """Kecamatan of a regency or desa of a kecamatan, for the dependent selects; only inside regencies
    the login may report in or see (404 otherwise)."""

    permission_required = "incidents.view_incident"

    def get(self, request, region_pk):
        from teams.access import scope_of

        parent = Region.objects.filter(pk=region_pk).first()
        if parent is None or parent.level not in (Region.Level.KABUPATEN, Region.Level.KOTA, Region.Level.KECAMATAN):
            raise Http404
        if not (scope_of(request.user).covers(parent.code) or access.region_allowed(request.user, parent.code)):
            raise Http404
        children = list(parent.children.order_by("code").values("id", "code", "name"))
        return JsonResponse({"parent": {"id": parent.pk, "code": parent.code, "name": parent.name},
                             "children": children})


class TeamHandlersView(ProtectedView, View):
    """Current members of a handling team, for the handler select that follows the team select; only
    teams the login may assign incidents to (404 otherwise)."""

    permission_required = "incidents.view_incident"

    def get(self, request, team_pk):
        team = access.assignable_teams(request.user).filter(pk=team_pk).first()
        if team is None:
            raise Http404
        people = list(
            Person.objects.filter(memberships__team=team, memberships__end_date__isnull=True)
            .distinct().order_by("name").values("id", "name")
        )
        return JsonResponse({"team": {"id": team.pk, "name": team.name}, "handlers": people})


class DuplicateCheckView(ProtectedView, View):
    """Incidents the login may see in the same desa within 3 days (the form's "possible duplicate")."""

    permission_required = "incidents.view_incident"

    def get(self, request):
        import datetime

        desa_id = parse_id(request.GET.get("desa"))
        exclude = parse_id(request.GET.get("kecuali"))
        try:
            day = datetime.date.fromisoformat(request.GET.get("tanggal", ""))
        except (TypeError, ValueError):
            day = None
        if desa_id is None or day is None or (request.GET.get("kecuali") and exclude is None):
            return JsonResponse({"matches": []})
        qs = selectors.possible_duplicates(Incident.objects.restrict(request.user, "view"), desa_id=desa_id,
                                           occurred_on=day, exclude_pk=exclude)
        from django.utils.formats import date_format

        matches = [{"ref": i.reference, "title": i.title, "date": date_format(i.occurred_on, "j F Y"),
                    "url": i.get_absolute_url()} for i in qs]
        return JsonResponse({"matches": matches})
