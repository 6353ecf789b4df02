"""The API's resources: thin adapters over the apps' own reads and writes (house style 1).

Every read starts from the model's ``restrict(user, "view")`` (the pages' authorisation: a row outside
the login's scope is a 404 like a missing one), narrowed by the list page's own filter set and cut
into keyset pages; details carry an ETag and answer 304 to a matching ``If-None-Match``. Every write
calls the service the page calls, and a service's ``ValidationError`` is a 400 with its Indonesian
messages per field (``kesbang.api.exceptions``).
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from incidents.models import Attachment, FollowUp, Incident
from kesbang.api import filters, serializers
from kesbang.api.models import AccessToken
from kesbang.api.pagination import KeysetPagination
from kesbang.integrations.models import NationalPackage
from kesbang.office.models import Report
from meetings.models import ActionItem, ActionItemNote, AgendaItem, Invitation, Meeting
from teams.models import ActionPlan, Institution, Membership, Person, Region, Team

FILE_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description=_("Berkas apa adanya."))


class ResourceViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only resource: ``required_perm`` (the list page's permission), ``ordering`` (indexed,
    unique last field) for the keyset pages, ``serializer_class`` for rows and ``detail_serializer_class``."""

    required_perm: str | None = None
    ordering: tuple[str, ...] = ("id",)
    pagination_class = KeysetPagination
    filter_backends = [DjangoFilterBackend]
    detail_serializer_class = None
    lookup_value_converter = "id"  # kesbang.core.ids: more than 19 digits or beyond a bigint is a 404

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "user": self.request.user}

    def restricted(self):
        """The rows the login may read (``Model.objects.restrict``)."""
        return self.queryset.model.objects.restrict(self.request.user, "view")

    def get_queryset(self):
        return self.restricted()

    def get_object(self):
        """The row of the URL among the login's rows (404 otherwise); the list's filters do not apply."""
        obj = self.get_queryset().filter(pk=self.kwargs[self.lookup_field]).first()
        if obj is None:
            raise Http404
        self.check_object_permissions(self.request, obj)
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        token = isinstance(getattr(request, "auth", None), AccessToken)
        # Pages of a login are never stored (kesbang.accounts.security); a machine client may keep a
        # private copy and revalidate it with the ETag.
        response["Cache-Control"] = "private, no-cache" if token else "private, no-store"
        patch_vary_headers(response, ("Authorization", "Cookie"))
        if request.method in ("GET", "HEAD") and response.status_code == 200 and self.action == "retrieve":
            response.render()
            etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
            response["ETag"] = etag
            wanted = request.headers.get("If-None-Match", "")
            if wanted and (etag in parse_etags(wanted) or wanted.strip() == "*"):
                unchanged = HttpResponseNotModified()
                for header in ("ETag", "Cache-Control", "Vary"):
                    unchanged[header] = response[header]
                return unchanged
        return response


# --- teams --------------------------------------------------------------------------------------------


class RegionViewSet(ResourceViewSet):
    """Regions (Kemendagri codes): province, regencies/cities, kecamatan, desa/kelurahan."""

    queryset = Region.objects.all()
    serializer_class = serializers.RegionSerializer
    filterset_class = filters.RegionFilter
    required_perm = "teams.view_region"
    ordering = ("code",)

    def restricted(self):
        return Region.objects.all()  # reference data every role reads (the forms' region choices)


class InstitutionViewSet(ResourceViewSet):
    queryset = Institution.objects.all()
    serializer_class = serializers.InstitutionSerializer
    filterset_class = filters.InstitutionFilter
    required_perm = "teams.view_institution"
    ordering = ("name", "id")

    def restricted(self):
        return Institution.objects.select_related("region")  # reference data every role reads


class TeamViewSet(ResourceViewSet):
    """Tim Terpadu teams (``/tim/``); the detail with its current members as the team page lists them."""

    queryset = Team.objects.all()
    serializer_class = serializers.TeamSerializer
    detail_serializer_class = serializers.TeamDetailSerializer
    filterset_class = filters.TeamFilter
    required_perm = "teams.view_team"
    ordering = ("name", "id")

    def get_queryset(self):
        from teams import selectors

        teams = selectors.team_list(self.restricted())
        if self.action == "retrieve":
            current = Membership.objects.filter(end_date__isnull=True).select_related("person__institution")
            teams = teams.prefetch_related(Prefetch("memberships", queryset=current),
                                           Prefetch("action_plans", queryset=ActionPlan.objects.order_by("-year")))
        return teams


class PersonViewSet(ResourceViewSet):
    """The person register (``/tim/orang/``); the detail with the memberships on teams the login sees."""

    queryset = Person.objects.all()
    serializer_class = serializers.PersonSerializer
    detail_serializer_class = serializers.PersonDetailSerializer
    filterset_class = filters.PersonFilter
    required_perm = "teams.view_person"
    ordering = ("name", "id")

    def get_queryset(self):
        from teams import selectors

        if self.action == "retrieve":
            visible = Membership.objects.restrict(self.request.user, "view").select_related("team")
            return selectors.person_with_memberships(self.restricted(), visible)
        return selectors.person_list(self.restricted())


class ActionPlanViewSet(ResourceViewSet):
    """Rencana Aksi Terpadu; the detail is the plan page's structure: phases, activities, targets and
    realisation per period (B04/B08/B12) with achievement, deadlines."""

    queryset = ActionPlan.objects.all()
    serializer_class = serializers.ActionPlanSerializer
    detail_serializer_class = serializers.ActionPlanDetailSerializer
    filterset_class = filters.ActionPlanFilter
    required_perm = "teams.view_actionplan"
    ordering = ("-year", "id")

    def get_queryset(self):
        return self.restricted().select_related("team__region")

    def retrieve(self, request, *args, **kwargs):
        from teams.plan_selectors import plan_summary

        plan = self.get_object()
        return Response(self.get_serializer(plan_summary(plan)).data)


# --- incidents ----------------------------------------------------------------------------------------


class IncidentViewSet(ResourceViewSet):
    """Incidents and conflict potentials (``/insiden/``): the list's filters, keyset pages in the list's
    order (newest occurrence first), the detail with its timeline; report, follow-up and workflow steps
    through ``incidents.services``."""

    queryset = Incident.objects.all()
    serializer_class = serializers.IncidentSerializer
    detail_serializer_class = serializers.IncidentDetailSerializer
    filterset_class = filters.IncidentFilter
    required_perm = "incidents.view_incident"
    ordering = ("-occurred_on", "-id")  # the list page's order, index incident_date_id
    http_method_names = ["get", "post", "head", "options"]

    def get_permissions(self):
        if self.action == "create":
            self.required_perm = "incidents.add_incident"
        return super().get_permissions()

    def get_queryset(self):
        from incidents import selectors

        incidents = self.restricted()
        if self.action == "retrieve":
            return serializers.incident_detail_queryset(incidents)
        if self.action == "list":
            return selectors.incident_list_queryset(incidents).select_related("desa")
        return incidents

    def detail_response(self, incident_pk: int, *, status_code=status.HTTP_200_OK) -> Response:
        incident = self.get_queryset_for_detail().get(pk=incident_pk)
        data = serializers.IncidentDetailSerializer(incident, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def get_queryset_for_detail(self):
        action_name, self.action = self.action, "retrieve"
        try:
            return self.get_queryset()
        finally:
            self.action = action_name

    @extend_schema(request=serializers.IncidentCreateSerializer,
                   responses={201: serializers.IncidentDetailSerializer,
                              200: OpenApiResponse(serializers.IncidentDetailSerializer,
                                                   description=_("Kunci idempotensi yang sama: laporan yang sudah "
                                                                 "dibuat sebelumnya."))})
    def create(self, request, *args, **kwargs):
        """Report an incident (the quick entry): draft or reported at once, with an idempotency key."""
        from incidents import services

        body = serializers.IncidentCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            incident, created = services.incident_create_once(
                reporter=request.user, submit=body.validated_data["submit"],
                client_key=body.validated_data.get("client_key"), **body.service_fields())
        return self.detail_response(incident.pk, status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def changeable(self) -> Incident:
        """The incident of the URL: visible (else 404) and in the login's "change" scope (else 403)."""
        incident = self.get_object()
        if not Incident.objects.restrict(self.request.user, "change").filter(pk=incident.pk).exists():
            raise PermissionDenied
        return incident

    @extend_schema(request=serializers.FollowUpCreateSerializer, responses={201: serializers.FollowUpSerializer})
    @action(detail=True, methods=["post"], url_path="follow-ups", url_name="follow-ups")
    def follow_ups(self, request, pk=None):
        """Add a follow-up to the handling timeline (optionally moving the status in the same step)."""
        from incidents import services

        incident = self.changeable()
        body = serializers.FollowUpCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if data["transition"] and not services.transition_allowed(incident, request.user, data["transition"]):
            return Response({"transition": [_("Langkah ini tidak dapat dilakukan pada status laporan sekarang.")]},
                            status=status.HTTP_400_BAD_REQUEST)
        entry = services.follow_up_add(incident=incident, user=request.user, **data)
        entry = FollowUp.objects.select_related("institution", "created_by").get(pk=entry.pk)
        return Response(serializers.FollowUpSerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.TransitionCreateSerializer,
                   responses={200: serializers.IncidentDetailSerializer})
    @action(detail=True, methods=["post"], url_path="transitions", url_name="transitions")
    def transitions(self, request, pk=None):
        """A workflow step: submit, verify, reject (with a reason), handle, recover, close."""
        from incidents import services

        incident = self.get_object()
        user = request.user
        if not (user.has_perm("incidents.change_incident") or incident.reporter_id == user.pk):
            raise PermissionDenied  # before reading the body: no step is open to this login (the service decides)
        body = serializers.TransitionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.incident_transition(incident=incident, user=request.user, **body.validated_data)
        return self.detail_response(incident.pk)

    @extend_schema(responses={200: FILE_RESPONSE}, parameters=[
        OpenApiParameter("attachment_pk", OpenApiTypes.INT, OpenApiParameter.PATH)])
    @action(detail=True, methods=["get"], url_path="attachments/<id:attachment_pk>/file",
            url_name="attachment-file", filter_backends=[], pagination_class=None)
    def attachment_file(self, request, pk=None, attachment_pk=None):
        """An attachment's file, to whoever may read its incident (the page's download)."""
        incident = self.get_object()
        attachment = Attachment.objects.filter(pk=attachment_pk, incident=incident).first()
        if attachment is None:
            raise Http404
        return attachment.file_response()


# --- meetings -----------------------------------------------------------------------------------------


class MeetingViewSet(ResourceViewSet):
    """Meetings (``/rapat/``) with invitations, attendance, minutes, resolutions, action items and the
    linked incidents as the meeting page shows them to this login."""

    queryset = Meeting.objects.all()
    serializer_class = serializers.MeetingSerializer
    detail_serializer_class = serializers.MeetingDetailSerializer
    filterset_class = filters.MeetingFilter
    required_perm = "meetings.view_meeting"
    ordering = ("-start", "-id")  # the list page's order, index meeting_start

    def get_queryset(self):
        from meetings import selectors

        meetings = selectors.with_counts(self.restricted().select_related("team"))
        if self.action != "retrieve":
            return meetings
        from incidents.models import Incident as LinkedIncident

        invitations = Invitation.objects.select_related("person__institution", "attendance").order_by("pk")
        items = ActionItem.objects.select_related("owner_person", "owner_institution", "resolution").order_by(
            "due_date", "pk")
        return meetings.select_related("chair", "opener", "minutes__approved_by").prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("presenter").order_by("order")),
            Prefetch("invitations", queryset=invitations), "resolutions",
            Prefetch("action_items", queryset=items),
            Prefetch("linked_incidents", queryset=LinkedIncident.objects.only(
                "pk", "reference", "title", "classification").order_by("pk")),
        )


class ActionItemViewSet(ResourceViewSet):
    """Action items (tindak lanjut) of the meetings the login sees and those it owns; progress notes
    from the owner or a manager of the meeting."""

    queryset = ActionItem.objects.all()
    serializer_class = serializers.ActionItemSerializer
    detail_serializer_class = serializers.ActionItemDetailSerializer
    filterset_class = filters.ActionItemFilter
    required_perm = "meetings.view_meeting"
    ordering = ("due_date", "id")
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        items = self.restricted().select_related("meeting__team__region", "owner_person", "owner_institution",
                                                 "resolution")
        if self.action == "retrieve":
            items = items.prefetch_related(
                Prefetch("notes", queryset=ActionItemNote.objects.select_related("author").order_by("created_at",
                                                                                                     "id")))
        return items

    @extend_schema(request=serializers.ProgressCreateSerializer, responses={201: serializers.ActionItemNoteSerializer})
    @action(detail=True, methods=["post"], url_path="progress", url_name="progress")
    def progress(self, request, pk=None):
        """A progress note (as on the action item's page): its owner or a manager of its meeting."""
        from meetings import services
        from meetings.querysets import meeting_can_change

        item = self.get_object()
        own = item.owner_person_id and item.owner_person.user_id == request.user.pk
        if not own and not meeting_can_change(request.user, item.meeting):
            raise PermissionDenied
        body = serializers.ProgressCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = services.action_item_progress(item=item, text=body.validated_data["text"],
                                             status=body.validated_data["status"], user=request.user)
        note = ActionItemNote.objects.select_related("author").get(pk=note.pk)
        return Response(serializers.ActionItemNoteSerializer(note).data, status=status.HTTP_201_CREATED)


# --- reports --------------------------------------------------------------------------------------------


class ReportViewSet(ResourceViewSet):
    """Periodic reports (``/laporan/``): metadata, figures and the PDF and .xlsx files."""

    queryset = Report.objects.all()
    serializer_class = serializers.ReportSerializer
    detail_serializer_class = serializers.ReportDetailSerializer
    filterset_class = filters.ReportFilter
    required_perm = "office.view_report"
    ordering = ("-requested_at", "-id")

    def get_queryset(self):
        return self.restricted().select_related("region")

    @extend_schema(responses={200: FILE_RESPONSE}, parameters=[
        OpenApiParameter("fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["pdf", "xlsx"])])
    @action(detail=True, methods=["get"], url_path="files/<str:fmt>", url_name="file", filter_backends=[],
            pagination_class=None)
    def file(self, request, pk=None, fmt=None):
        """The report's PDF or .xlsx (a finished version), with its SHA-256 in ``X-Content-SHA256``."""
        report = self.get_object()
        field = {"pdf": report.pdf_file, "xlsx": report.xlsx_file}.get(fmt)
        if field is None or not report.is_done or not field:
            raise Http404(_("Berkas laporan belum tersedia."))
        try:
            handle = field.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("Berkas laporan tidak ditemukan.")) from exc
        content_type = "application/pdf" if fmt == "pdf" else (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response = FileResponse(handle, as_attachment=True, filename=report.download_name(fmt),
                                content_type=content_type)
        response["X-Content-SHA256"] = report.pdf_sha256 if fmt == "pdf" else report.xlsx_sha256
        return response


# --- national submission package --------------------------------------------------------------------------


class NationalPackageViewSet(ResourceViewSet):
    """The national submission packages (``/integrasi/paket-nasional/``): metadata, and the JSON member of
    a finished one as it was sent (the zip itself from the page)."""

    queryset = NationalPackage.objects.all()
    serializer_class = serializers.NationalPackageSerializer
    required_perm = "integrations.view_nationalpackage"
    ordering = ("-requested_at", "-id")

    def get_queryset(self):
        return self.restricted().select_related("region")

    @extend_schema(responses={200: serializers.NationalPackageDocumentSerializer})
    @action(detail=True, methods=["get"], url_path="document", url_name="document", filter_backends=[],
            pagination_class=None)
    def document(self, request, pk=None):
        """The package's JSON member, byte for byte the data of the zip's ``paket-nasional-<periode>.json``."""
        from kesbang.integrations.package import package_document

        package = self.get_object()
        data = package_document(package) if package.is_done else None
        if data is None:
            raise Http404(_("Paket ini belum selesai dibuat."))
        return Response(data)
