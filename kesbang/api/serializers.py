"""The API's representations, one per resource (list rows) and per detail.

Importable without a request: the national submission package and the webhooks build their JSON with
these serializers (``kesbang.integrations.payloads``), so a webhook body, the package and an API response
describe a record alike and validate against the same OpenAPI components.
The context key is ``"user"``, the login whose view is represented (or ``"readable_ids"``, a callable
``ids -> readable ids`` for a channel with a declared clearance instead of a login). It decides only what the
classification policy (``incidents.classification``) says about incidents *other* than the rows
given: an escalation's other end is named only when that login may read it, and a meeting's linked
incidents are shown as its pages show them (read / named / only counted). Without a user those
links are left out, never shown. The rows themselves must already be the ones the login may read
(``Model.objects.restrict(user, "view")``); serializers never widen a queryset.

Contact fields (phone, email) appear where the pages show them: people (person register and detail)
and a team's current members (team detail). Invitations, handlers, chairs and owners are named only,
as on the meeting and incident pages.

For a reader of the JSON without a login, use ``incident_rows(incidents)``: the list representation of
each incident, without links to other incidents; ``IncidentReferenceSerializer`` is an incident a channel
may name by its number only.
"""

from __future__ import annotations

import functools

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from incidents.models import Attachment, Category, ConflictStatus, FollowUp, Incident, IncidentTransition
from kesbang.integrations.models import NationalPackage
from kesbang.office.models import Report
from meetings.models import ActionItem, ActionItemNote, Invitation, Meeting, Resolution
from teams.models import ActionPlan, Institution, Membership, Person, Region, Team


@functools.cache
def _choices(field) -> dict:
    """A model field's choices, value → (lazy) label, built once per field."""
    return dict(field.flatchoices)


class ChoiceLabelField(serializers.CharField):
    """The translated label of a model field's choice, as ``get_<field>_display`` gives it (Indonesian
    unless the language cookie says English), without rebuilding the whole choice list per row and
    field as ``get_<field>_display`` does (translating every label of it: a third of a 50-row page)."""

    def __init__(self, field_name: str, **kwargs):
        self.choice_field = field_name
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        field = instance._meta.get_field(self.choice_field)
        value = getattr(instance, field.attname)
        return _choices(field).get(value, value)

    def to_representation(self, value) -> str:
        return str(value)


class LoginNameField(serializers.SlugRelatedField):
    """A login's username (who reported, wrote, changed), or null. With ``without_logins`` in the
    serializer context (the national package, which leaves the office) it is always null: another
    government body gets the officials' names where the record holds them, never our login names."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", read_only=True, allow_null=True, **kwargs)

    def get_attribute(self, instance):
        # None here is written as null by the serializer without calling to_representation.
        if self.context.get("without_logins"):
            return None
        return super().get_attribute(instance)


def _label(source: str, **kwargs) -> serializers.CharField:
    """The translated label of a choice field (Indonesian unless the language cookie says English)."""
    return ChoiceLabelField(source, **kwargs)


def _api_url(name: str, *args) -> str:
    return reverse(f"api:{name}", args=args)


# --- teams --------------------------------------------------------------------------------------------


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name"]


class RegionSerializer(serializers.ModelSerializer):
    level_label = _label("level")

    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "level_label", "parent"]


class InstitutionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "name", "short_name"]


class InstitutionSerializer(serializers.ModelSerializer):
    """An institution as the pages name it (its office address and numbers are kept for the admin)."""

    kind_label = _label("kind")
    region = RegionBriefSerializer(allow_null=True)

    class Meta:
        model = Institution
        fields = ["id", "name", "short_name", "kind", "kind_label", "region"]


class PersonBriefSerializer(serializers.ModelSerializer):
    """A person named on a page that does not show contacts (meetings, incidents, action items)."""

    class Meta:
        model = Person
        fields = ["id", "name"]


class TeamBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]


class PersonSerializer(serializers.ModelSerializer):
    """A row of the person register (``/tim/orang/``), contacts included as that page shows them."""

    institution = InstitutionBriefSerializer()
    region = RegionBriefSerializer()
    active_memberships = serializers.IntegerField(read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "nip", "position", "institution", "region", "phone", "email", "active_memberships"]


class PersonMembershipSerializer(serializers.ModelSerializer):
    team = TeamBriefSerializer()
    role_label = _label("role")

    class Meta:
        model = Membership
        fields = ["id", "team", "role", "role_label", "start_date", "end_date", "decree_number", "end_reason"]


class PersonDetailSerializer(serializers.ModelSerializer):
    """The person page: data, login name, and the memberships on teams the reader may see."""

    institution = InstitutionBriefSerializer()
    region = RegionBriefSerializer()
    username = serializers.SerializerMethodField()
    memberships = PersonMembershipSerializer(many=True)

    class Meta:
        model = Person
        fields = ["id", "name", "nip", "position", "institution", "region", "phone", "email", "username",
                  "memberships"]

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="Nama akun, bila orang ini punya akun."))
    def get_username(self, person) -> str | None:
        return person.user.get_username() if person.user_id else None


class TeamSerializer(serializers.ModelSerializer):
    level_label = _label("level")
    status_label = _label("status")
    region = RegionBriefSerializer()
    active_members = serializers.IntegerField(read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "level", "level_label", "region", "decree_number", "decree_date", "decree_signed_by",
                  "period_start", "period_end", "status", "status_label", "active_members"]


class MemberPersonSerializer(serializers.ModelSerializer):
    """A current member as the team page shows them: with position, institution and contacts."""

    institution = InstitutionBriefSerializer()

    class Meta:
        model = Person
        fields = ["id", "name", "position", "institution", "phone", "email"]


class MemberSerializer(serializers.ModelSerializer):
    person = MemberPersonSerializer()
    role_label = _label("role")

    class Meta:
        model = Membership
        fields = ["id", "role", "role_label", "start_date", "decree_number", "person"]


class TeamDetailSerializer(TeamSerializer):
    members = serializers.SerializerMethodField()
    action_plans = serializers.SerializerMethodField()

    class Meta(TeamSerializer.Meta):
        fields = [*TeamSerializer.Meta.fields, "notes", "members", "action_plans"]

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, team):
        order = {role: i for i, role in enumerate(Membership.ROLE_ORDER)}
        active = sorted((m for m in team.memberships.all() if m.end_date is None),
                        key=lambda m: (order.get(m.role, 99), m.person.name, m.pk))
        return MemberSerializer(active, many=True, context=self.context).data

    @extend_schema_field(inline_serializer("TeamPlan", {"id": serializers.IntegerField(),
                                                        "year": serializers.IntegerField()}, many=True))
    def get_action_plans(self, team):
        return [{"id": plan.pk, "year": plan.year} for plan in team.action_plans.all()]


# --- action plans ---------------------------------------------------------------------------------------


class ActionPlanSerializer(serializers.ModelSerializer):
    team = TeamBriefSerializer()

    class Meta:
        model = ActionPlan
        fields = ["id", "team", "year", "legal_basis_number", "legal_basis_date"]


class PeriodCellSerializer(serializers.Serializer):
    period = serializers.CharField()
    target = serializers.DecimalField(max_digits=12, decimal_places=2)
    realisation = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    achievement = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True,
                                           help_text="Realisasi / target × 100, paling tinggi 100.")
    narrative = serializers.CharField(allow_blank=True)
    reported_at = serializers.DateTimeField(allow_null=True)
    evidence_count = serializers.IntegerField()
    due = serializers.BooleanField(help_text="Periode sudah berakhir: realisasinya sudah ditunggu.")


class PlanActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="activity.pk")
    number = serializers.IntegerField(source="activity.number")
    name = serializers.CharField(source="activity.name")
    indicator = serializers.CharField(source="activity.indicator")
    unit = serializers.CharField(source="activity.unit")
    responsible_institution = InstitutionBriefSerializer(source="activity.responsible_institution")
    budget = serializers.DecimalField(source="activity.budget", max_digits=16, decimal_places=2, allow_null=True)
    budget_source = serializers.CharField(source="activity.budget_source")
    achievement = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    evidence_count = serializers.IntegerField()
    periods = PeriodCellSerializer(source="cells", many=True)


class PlanPhaseSerializer(serializers.Serializer):
    phase = serializers.CharField(source="code")
    label = serializers.CharField()
    achievement = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    activities = PlanActivitySerializer(source="rows", many=True)


class PlanDeadlineSerializer(serializers.Serializer):
    period = serializers.CharField()
    due_date = serializers.DateField()
    missing = serializers.IntegerField(help_text="Kegiatan yang realisasinya belum dilaporkan.")


class ActionPlanDetailSerializer(serializers.Serializer):
    """``teams.plan_selectors.plan_summary`` (the plan page and its Kemendagri export) as JSON."""

    id = serializers.IntegerField(source="plan.pk")
    team = TeamBriefSerializer(source="plan.team")
    year = serializers.IntegerField(source="plan.year")
    legal_basis_number = serializers.CharField(source="plan.legal_basis_number")
    legal_basis_date = serializers.DateField(source="plan.legal_basis_date", allow_null=True)
    notes = serializers.CharField(source="plan.notes")
    overall_achievement = serializers.DecimalField(source="overall", max_digits=5, decimal_places=1, allow_null=True)
    activity_count = serializers.IntegerField()
    phases = PlanPhaseSerializer(many=True)
    deadlines = PlanDeadlineSerializer(many=True)


# --- incidents ----------------------------------------------------------------------------------------


class CategoryBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CategorySerializer(CategoryBriefSerializer):
    """A category with its parent (the SNPK category of an issue sub-type) and its SNPK code
    (``incidents.taxonomy.snpk_code``; empty for a category added after the codebook)."""

    parent = CategoryBriefSerializer(allow_null=True)
    snpk_code = serializers.SerializerMethodField()
    social_conflict = serializers.BooleanField(help_text="Sumber konflik menurut UU 7/2012.")

    def get_snpk_code(self, category) -> str:
        from incidents.taxonomy import snpk_code

        parent = category.parent
        return snpk_code(category.name, parent.name if parent is not None else None)


class IncidentSerializer(serializers.ModelSerializer):
    """A row of the incident list (``/insiden/``)."""

    kind_label = _label("kind")
    status_label = _label("status")
    severity_label = _label("severity")
    classification_label = _label("classification")
    source_label = _label("source")
    region = RegionBriefSerializer()
    kecamatan = RegionBriefSerializer(allow_null=True)
    desa = RegionBriefSerializer(allow_null=True)
    category = CategoryBriefSerializer()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id", "reference", "title", "kind", "kind_label", "status", "status_label", "severity", "severity_label",
            "classification", "classification_label", "occurred_on", "occurred_time", "date_precision",
            "reported_at", "region", "kecamatan", "desa", "latitude", "longitude", "source", "source_label",
            "category", "handling_team", "updated_at", "url",
        ]
        extra_kwargs = {"handling_team": {"help_text": "Id tim penanganan."}}

    @extend_schema_field(OpenApiTypes.URI_REF)
    def get_url(self, incident) -> str:
        return _api_url("incident-detail", incident.pk)


class FollowUpSerializer(serializers.ModelSerializer):
    kind_label = _label("kind")
    institution = InstitutionBriefSerializer(allow_null=True)
    created_by = LoginNameField()

    class Meta:
        model = FollowUp
        fields = ["id", "date", "kind", "kind_label", "institution", "description", "created_by", "created_at"]


class TransitionSerializer(serializers.ModelSerializer):
    by = LoginNameField()

    class Meta:
        model = IncidentTransition
        fields = ["id", "from_status", "to_status", "at", "by", "note"]


class ConflictStatusSerializer(serializers.ModelSerializer):
    scale_label = _label("scale")
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = ConflictStatus
        fields = ["id", "scale", "scale_label", "decree_number", "decree_date", "start_date", "end_date",
                  "dprd_consulted_on", "in_force"]

    def get_in_force(self, status) -> bool:
        return status.is_active_on(timezone.localdate())


class AttachmentSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "kind", "size", "description", "uploaded_at", "download"]

    @extend_schema_field(OpenApiTypes.URI_REF)
    def get_download(self, attachment) -> str:
        return _api_url("incident-attachment-file", attachment.incident_id, attachment.pk)


class IncidentLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    url = serializers.CharField()


def _readable_ids(context, ids) -> set[int]:
    """The ids among ``ids`` the context's reader may read: ``context["readable_ids"]`` (a callable, for a
    channel with a declared clearance rather than a login, e.g. a webhook), else the context's user."""
    from incidents import classification

    ids = [i for i in ids if i is not None]
    if "readable_ids" in context:
        return set(context["readable_ids"](ids))
    user = context.get("user")
    if user is None:
        return set()
    return classification.readable_ids(user, ids)


class IncidentDetailSerializer(IncidentSerializer):
    """The incident page: every field, the timeline (follow-ups and status changes), Status Keadaan
    Konflik, attachments; the escalation's other end only when the context's user may read it."""

    violence_form_label = _label("violence_form")
    phase_label = _label("phase")
    info_source_label = _label("info_source")
    category = CategorySerializer()
    handling_team = TeamBriefSerializer(allow_null=True)
    handler = PersonBriefSerializer(allow_null=True)
    reporter = LoginNameField()
    follow_ups = FollowUpSerializer(many=True)
    transitions = TransitionSerializer(many=True)
    conflict_statuses = ConflictStatusSerializer(many=True)
    attachments = AttachmentSerializer(many=True)
    escalated_from = serializers.SerializerMethodField()
    escalated_to = serializers.SerializerMethodField()

    class Meta(IncidentSerializer.Meta):
        fields = [
            *IncidentSerializer.Meta.fields, "chronology", "violence_form", "violence_form_label", "phase",
            "phase_label", "party_a_type", "party_a_name", "party_a_size", "party_b_type", "party_b_name",
            "party_b_size", "killed", "injured", "missing", "displaced", "buildings_damaged", "buildings_destroyed",
            "women_victims", "children_victims", "estimated_loss", "info_source", "info_source_label", "handler",
            "rejection_reason", "reporter", "created_at", "version", "escalated_from", "escalated_to",
            "follow_ups", "transitions", "conflict_statuses", "attachments",
        ]

    def _links(self, incident) -> set[int]:
        key = ("readable_links", incident.pk)
        if key not in self.context:
            to = getattr(incident, "escalated_to", None) if incident.pk else None
            self.context[key] = _readable_ids(self.context, [incident.escalated_from_id, to.pk if to else None])
        return self.context[key]

    def _link(self, other):
        if other is None:
            return None
        return {"id": other.pk, "reference": other.reference, "url": _api_url("incident-detail", other.pk)}

    @extend_schema_field(IncidentLinkSerializer(allow_null=True))
    def get_escalated_from(self, incident):
        if incident.escalated_from_id and incident.escalated_from_id in self._links(incident):
            return self._link(incident.escalated_from)
        return None

    @extend_schema_field(IncidentLinkSerializer(allow_null=True))
    def get_escalated_to(self, incident):
        other = getattr(incident, "escalated_to", None)
        if other is not None and other.pk in self._links(incident):
            return self._link(other)
        return None


def incident_rows(incidents, *, context=None) -> list[dict]:
    """The list representation of ``incidents`` (a queryset or list the caller already restricted),
    for a channel without a reader (e.g. a meeting's linked incidents in a webhook)."""
    return IncidentSerializer(incidents, many=True, context=context or {}).data


def incident_detail_queryset(incidents):
    """The joins and prefetches ``IncidentDetailSerializer`` reads (a fixed number of queries for any
    number of incidents): the API's detail, the webhooks and the national package."""
    from incidents import selectors

    return selectors.incident_detail_queryset(incidents).prefetch_related(
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("institution", "created_by")),
        Prefetch("transitions", queryset=IncidentTransition.objects.select_related("by")),
    )


class IncidentReferenceSerializer(serializers.ModelSerializer):
    """An incident a channel may name by its reference only (classification policy ``reference``, e.g.
    ``terbatas`` in the national package): number, kind, severity, class and regency/city; never its
    title, chronology or place below the regency/city."""

    kind_label = _label("kind")
    severity_label = _label("severity")
    classification_label = _label("classification")
    region = RegionBriefSerializer()

    class Meta:
        model = Incident
        fields = ["reference", "kind", "kind_label", "severity", "severity_label", "classification",
                  "classification_label", "region"]


class IncidentCreateSerializer(serializers.Serializer):
    """The quick entry (``/insiden/lapor/``) as JSON: the same fields, the same service
    (``incidents.services.incident_create_once``) and its Indonesian messages. ``client_key`` is the
    idempotency key: sending the same report again with the same key returns the first (200), never a
    second incident. ``submit`` false keeps a draft."""

    client_key = serializers.UUIDField(required=False, allow_null=True,
                                       help_text="Kunci idempotensi dari klien (UUID); kirim ulang dengan kunci yang "
                                                 "sama tidak membuat laporan kedua.")
    submit = serializers.BooleanField(default=True, help_text="false: simpan sebagai draf.")
    title = serializers.CharField(max_length=200)
    chronology = serializers.CharField()
    kind = serializers.ChoiceField(choices=Incident.Kind.choices, default=Incident.Kind.POTENSI)
    occurred_on = serializers.DateField()
    occurred_time = serializers.TimeField(required=False, allow_null=True)
    date_precision = serializers.ChoiceField(choices=Incident.Precision.choices, default=Incident.Precision.EXACT)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.none(), help_text="Id kabupaten/kota.")
    kecamatan = serializers.PrimaryKeyRelatedField(queryset=Region.objects.filter(level=Region.Level.KECAMATAN),
                                                   required=False, allow_null=True)
    desa = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.filter(level__in=[Region.Level.DESA, Region.Level.KELURAHAN]), required=False,
        allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False,
                                        allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180,
                                         required=False, allow_null=True)
    source = serializers.ChoiceField(choices=Incident.Source.choices)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.none())
    violence_form = serializers.ChoiceField(choices=Incident.ViolenceForm.choices,
                                            default=Incident.ViolenceForm.TANPA_KEKERASAN)
    phase = serializers.ChoiceField(choices=Incident._meta.get_field("phase").choices, default="pencegahan")
    severity = serializers.ChoiceField(choices=Incident.Severity.choices, default=Incident.Severity.RENDAH)
    party_a_type = serializers.ChoiceField(choices=Incident.ActorType.choices, required=False, allow_blank=True)
    party_a_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    party_a_size = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False, allow_null=True)
    party_b_type = serializers.ChoiceField(choices=Incident.ActorType.choices, required=False, allow_blank=True)
    party_b_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    party_b_size = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False, allow_null=True)
    killed = serializers.IntegerField(min_value=0, max_value=2_147_483_647, default=0)
    injured = serializers.IntegerField(min_value=0, max_value=2_147_483_647, default=0)
    missing = serializers.IntegerField(min_value=0, max_value=2_147_483_647, default=0)
    displaced = serializers.IntegerField(min_value=0, max_value=2_147_483_647, default=0)
    buildings_damaged = serializers.IntegerField(min_value=0, max_value=2_147_483_647, default=0)
    buildings_destroyed = serializers.IntegerField(min_value=0, max_value=2_147_483_647, default=0)
    women_victims = serializers.IntegerField(min_value=0, max_value=2_147_483_647, default=0)
    children_victims = serializers.IntegerField(min_value=0, max_value=2_147_483_647, default=0)
    estimated_loss = serializers.DecimalField(max_digits=16, decimal_places=0, min_value=0, default=0)
    info_source = serializers.ChoiceField(choices=Incident.InfoSource.choices, default=Incident.InfoSource.ANGGOTA_TIM)
    classification = serializers.ChoiceField(choices=Incident.Classification.choices,
                                             default=Incident.Classification.BIASA)
    handling_team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none(), required=False, allow_null=True)
    handler = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from incidents import access
        from incidents.forms import category_choices

        user = self.context.get("user")
        self.fields["region"].queryset = access.reportable_regions(user)
        self.fields["handling_team"].queryset = access.assignable_teams(user)
        self.fields["category"].queryset = category_choices()

    def service_fields(self) -> dict:
        """The validated data as the service's keyword arguments (idempotency key and submit apart)."""
        return {k: v for k, v in self.validated_data.items() if k not in ("client_key", "submit")}


class FollowUpCreateSerializer(serializers.Serializer):
    """The follow-up form (``/insiden/<id>/tindak-lanjut/``): ``transition`` optionally moves the status
    in the same step (handle, recover or close, as the login may)."""

    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=FollowUp.Kind.choices)
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), required=False,
                                                     allow_null=True)
    description = serializers.CharField()
    transition = serializers.ChoiceField(choices=[("handle", "handle"), ("recover", "recover"), ("close", "close")],
                                         required=False, allow_blank=True, default="")


class TransitionCreateSerializer(serializers.Serializer):
    """A workflow step (``incidents.services.TRANSITIONS``); ``reason`` is required to reject."""

    name = serializers.ChoiceField(choices=[(n, n) for n in ("submit", "verify", "reject", "handle", "recover",
                                                             "close")])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


# --- meetings -----------------------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    kind_label = _label("kind")
    status_label = _label("status")
    team = TeamBriefSerializer()
    invited_count = serializers.IntegerField(read_only=True)
    present_count = serializers.IntegerField(read_only=True, help_text="Anggota yang hadir, terlambat atau diwakili.")
    guest_count = serializers.IntegerField(read_only=True, help_text="Tamu yang hadir.")

    class Meta:
        model = Meeting
        fields = ["id", "title", "kind", "kind_label", "team", "start", "end", "venue", "venue_city", "status",
                  "status_label", "invited_count", "present_count", "guest_count"]


class AgendaItemSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    title = serializers.CharField()
    presenter = serializers.CharField(source="presenter_label")
    duration_minutes = serializers.IntegerField()
    discussion = serializers.CharField()


class AttendanceSerializer(serializers.Serializer):
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    representative_name = serializers.CharField()
    arrived_at = serializers.DateTimeField(allow_null=True)


class InvitationSerializer(serializers.ModelSerializer):
    """An invitee as the meeting page lists them: name, institution, answer and attendance (no contacts)."""

    name = serializers.CharField(read_only=True)
    institution = serializers.CharField(source="institution_label", read_only=True)
    position = serializers.CharField(source="position_label", read_only=True)
    is_guest = serializers.BooleanField(read_only=True)
    source_label = _label("source")
    response_label = _label("response")
    attendance = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = ["id", "person", "name", "institution", "position", "is_guest", "source", "source_label",
                  "response", "response_label", "delegate_name", "responded_at", "attendance"]

    @extend_schema_field(AttendanceSerializer(allow_null=True))
    def get_attendance(self, invitation):
        try:
            attendance = invitation.attendance
        except Invitation.attendance.RelatedObjectDoesNotExist:
            return None
        return AttendanceSerializer(attendance).data


class MinutesSerializer(serializers.Serializer):
    status = serializers.CharField()
    note_taker = serializers.CharField()
    opening = serializers.CharField()
    discussion = serializers.CharField()
    conclusions = serializers.CharField()
    approved_by = serializers.CharField(source="approved_by.name", allow_null=True, default=None)
    approved_at = serializers.DateTimeField(allow_null=True)


class ResolutionSerializer(serializers.ModelSerializer):
    kind_label = _label("kind")

    class Meta:
        model = Resolution
        fields = ["id", "number", "kind", "kind_label", "text"]


class MeetingBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "title", "start"]


class ActionItemSerializer(serializers.ModelSerializer):
    status_label = _label("status")
    meeting = MeetingBriefSerializer()
    resolution = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True,
                                              help_text="Nomor rumusan.")
    owner_person = PersonBriefSerializer(allow_null=True)
    owner_institution = InstitutionBriefSerializer(allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = ["id", "meeting", "resolution", "description", "owner_person", "owner_institution", "due_date",
                  "status", "status_label", "overdue", "completed_at", "completion_note"]

    def get_overdue(self, item) -> bool:
        return item.is_overdue()


class ActionItemInMeetingSerializer(ActionItemSerializer):
    class Meta(ActionItemSerializer.Meta):
        fields = [f for f in ActionItemSerializer.Meta.fields if f != "meeting"]


class ActionItemNoteSerializer(serializers.ModelSerializer):
    author = LoginNameField()

    class Meta:
        model = ActionItemNote
        fields = ["id", "text", "status_after", "author", "created_at"]


class ActionItemDetailSerializer(ActionItemSerializer):
    notes = ActionItemNoteSerializer(many=True)

    class Meta(ActionItemSerializer.Meta):
        fields = [*ActionItemSerializer.Meta.fields, "notes"]


class ProgressCreateSerializer(serializers.Serializer):
    """A progress note on an action item (``meetings.services.action_item_progress``); ``status``
    optionally moves it (``selesai`` records the completion)."""

    text = serializers.CharField()
    status = serializers.ChoiceField(choices=ActionItem.Status.choices, required=False, allow_blank=True, default="")


class LinkedIncidentSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="Hanya untuk insiden yang boleh dibaca.")
    reference = serializers.CharField()
    title = serializers.CharField()


class LinkedIncidentsSerializer(serializers.Serializer):
    readable = LinkedIncidentSerializer(many=True, help_text="Insiden yang boleh dibaca akun ini.")
    named = LinkedIncidentSerializer(many=True, help_text="Disebut tanpa boleh dibaca (kebijakan klasifikasi).")
    counted = serializers.DictField(child=serializers.IntegerField(),
                                    help_text="Hanya dihitung, per klasifikasi: {label: jumlah}.")


class MeetingDetailSerializer(MeetingSerializer):
    chair = PersonBriefSerializer(allow_null=True)
    opener = PersonBriefSerializer(allow_null=True)
    agenda = AgendaItemSerializer(source="agenda_items", many=True)
    invitations = InvitationSerializer(many=True)
    minutes = serializers.SerializerMethodField()
    resolutions = ResolutionSerializer(many=True)
    action_items = ActionItemInMeetingSerializer(many=True)
    linked_incidents = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "description", "chair", "opener", "letter_number", "letter_date",
                  "cancel_reason", "agenda", "invitations", "minutes", "resolutions", "action_items",
                  "linked_incidents"]

    @extend_schema_field(MinutesSerializer(allow_null=True))
    def get_minutes(self, meeting):
        from meetings.models import Minutes

        try:
            return MinutesSerializer(meeting.minutes).data
        except Minutes.DoesNotExist:
            return None

    @extend_schema_field(LinkedIncidentsSerializer)
    def get_linked_incidents(self, meeting):
        """As the meeting page's agenda tab shows them to this login (``classification.linked_incidents``)."""
        from incidents import classification

        user = self.context.get("user")
        linked = list(meeting.linked_incidents.all())
        if user is None:
            return {"readable": [], "named": [], "counted": {}}
        shown = classification.linked_incidents(user, linked)
        return {
            "readable": [{"id": i.pk, "reference": i.reference, "title": i.title} for i in shown.readable],
            "named": [{"id": None, "reference": i.reference, "title": i.title} for i in shown.named],
            "counted": {str(label): n for label, n in shown.counted.items()},
        }


# --- reports --------------------------------------------------------------------------------------------


class ReportSerializer(serializers.ModelSerializer):
    kind_label = _label("kind")
    status_label = _label("status")
    region = RegionBriefSerializer()
    files = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "kind", "kind_label", "period", "period_start", "period_end", "region", "version", "status",
                  "status_label", "progress", "requested_at", "finished_at", "finalised_at", "sent_at",
                  "pdf_sha256", "xlsx_sha256", "files"]

    @extend_schema_field(inline_serializer("ReportFiles", {
        "pdf": serializers.CharField(allow_null=True), "xlsx": serializers.CharField(allow_null=True)}))
    def get_files(self, report):
        done = report.status == Report.Status.SELESAI
        return {fmt: (_api_url("report-file", report.pk, fmt) if done and getattr(report, f"{fmt}_file") else None)
                for fmt in ("pdf", "xlsx")}


class ReportDetailSerializer(ReportSerializer):
    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "narrative", "figures", "failure_reason"]


# --- national submission package (kesbang.integrations.package) ----------------------------------------


class NationalPackageSerializer(serializers.ModelSerializer):
    """One version of the national submission package (``/integrasi/paket-nasional/``): its metadata; the
    JSON member at ``document``, the zip from the page."""

    kind_label = _label("kind")
    status_label = _label("status")
    region = RegionBriefSerializer()
    document = serializers.SerializerMethodField()

    class Meta:
        model = NationalPackage
        fields = ["id", "kind", "kind_label", "period", "period_start", "period_end", "region", "version", "status",
                  "status_label", "progress", "requested_at", "finished_at", "sha256", "size", "document"]

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="Alamat dokumen JSON paket (bila selesai)."))
    def get_document(self, package) -> str | None:
        return _api_url("national-package-document", package.pk) if package.is_done else None


class PackagePeriodSerializer(serializers.Serializer):
    kind = serializers.CharField()
    code = serializers.CharField()
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    action_plan_periods = serializers.ListField(child=serializers.CharField(),
                                                help_text="Periode rencana aksi (B04/B08/B12) dalam periode ini.")


class PackageCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Insiden dalam periode (semua klasifikasi yang dihitung).")
    full = serializers.IntegerField(help_text="Dirinci lengkap (`incidents`).")
    reference = serializers.IntegerField(help_text="Hanya nomor (`incidents_by_reference`).")
    counted = serializers.IntegerField(help_text="Hanya dihitung, tidak disebut.")
    by_classification = serializers.DictField(child=serializers.IntegerField())


class PackageFileSerializer(serializers.Serializer):
    sha256 = serializers.CharField()
    size = serializers.IntegerField()


class NationalPackageDocumentSerializer(serializers.Serializer):
    """The package's JSON member (``paket-nasional-<periode>.json``), built from the API's own
    representations: ``incidents`` as ``IncidentDetail`` (the classes the package's audience sees in
    full), ``incidents_by_reference`` as ``IncidentReference`` (seen by number only), ``action_plans``
    as ``ActionPlanDetail``; the others only counted. Escalation links name only incidents also shown in
    full (context ``readable_ids``)."""

    schema_version = serializers.CharField()
    generated_at = serializers.DateTimeField()
    audience = serializers.CharField(help_text="Audiens kebijakan klasifikasi (`external`).")
    province = RegionBriefSerializer()
    period = PackagePeriodSerializer()
    package = inline_serializer("PackageVersion", {"id": serializers.IntegerField(),
                                                   "version": serializers.IntegerField()})
    counts = PackageCountsSerializer()
    incidents = IncidentDetailSerializer(many=True)
    incidents_by_reference = IncidentReferenceSerializer(many=True)
    action_plans = ActionPlanDetailSerializer(many=True)
    files = serializers.DictField(child=PackageFileSerializer(), help_text="Dua buku kerja dalam zip: SHA-256, ukuran.")
    notes = serializers.CharField()
