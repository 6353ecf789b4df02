"""factory_boy factories; setup that has rules goes through the services."""

import datetime as _dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone as _tz

from teams import services as team_services
from teams.models import Institution, Person, Region

PASSWORD = "rahasia-uji-123"


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Instansi Uji {n}")
    short_name = factory.Sequence(lambda n: f"IU{n}")
    kind = Institution.Kind.LAINNYA


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name", locale="id_ID")
    position = "Anggota"
    institution = factory.SubFactory(InstitutionFactory)
    region = factory.LazyFunction(lambda: Region.objects.get(code="19"))
    phone = "0812-0000-0000"
    email = factory.Sequence(lambda n: f"orang{n}@example.go.id")


def ensure_reference_data() -> None:
    """Regions and roles come from data migrations; a transactional test's flush can remove them
    (Django's serialized rollback does not restore them reliably once a live server has run), so
    load them again through the very code the migrations use."""
    import importlib

    from incidents.models import Category

    has_regions = Region.objects.filter(code="19").exists() and Group.objects.filter(name="Anggota Tim").exists()
    has_taxonomy = Category.objects.exists()
    if has_regions and has_taxonomy:
        return
    from django.apps import apps

    if not has_regions:
        from kesbang.accounts.roles import sync_roles
        from teams import regions

        regions.load_into(Region, regions.province_rows("19", regions.read_rows(regions.PROVINCE_FILE)))
        sync_roles(apps)
    if not has_taxonomy:  # the SNPK categories, by the data migration's own function
        importlib.import_module("incidents.migrations.0002_seed_categories").seed(apps, None)


def region(code: str) -> Region:
    ensure_reference_data()
    return Region.objects.get(code=code)


def make_user(role: str | None, *, username: str, region_code: str = "19", superuser: bool = False):
    """A login with a person in ``region_code`` and the given role (None: no role at all)."""
    person = PersonFactory(region=region(region_code))
    if role is None:
        user = get_user_model().objects.create_user(username=username, password=PASSWORD)
        person.user = user
        person.save(update_fields=["user"])
        return user
    user = team_services.account_create(username=username, password=PASSWORD, role=role, person=person)
    if superuser:
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    Group.objects.get(name=role)
    return user


def make_team(region_code: str = "19", *, name: str | None = None, start=None, **kwargs):
    """A team through the service (level follows from the region)."""
    import datetime

    r = region(region_code)
    return team_services.team_create(
        region=r,
        name=name or f"Tim Terpadu PKS {r.name}",
        decree_number=kwargs.pop("decree_number", f"188.44/{r.code}/2025"),
        decree_date=kwargs.pop("decree_date", datetime.date(2025, 1, 10)),
        period_start=start or datetime.date(2025, 1, 1),
        **kwargs,
    )


def make_member(team, role: str = "anggota", *, person=None, start=None, **person_kwargs):
    import datetime

    person = person or PersonFactory(region=team.region, **person_kwargs)
    return team_services.membership_start(
        team=team, person=person, role=role, start_date=start or datetime.date(2025, 2, 1)
    )


# --- Incidents ------------------------------------------------------------------------------------


def incident_category(name: str = "Lahan"):
    from incidents.models import Category

    return Category.objects.filter(name=name).first() or Category.objects.create(name=name)


def incident_data(region_code: str = "19.01", **overrides) -> dict:
    """Valid keyword arguments for ``incidents.services.incident_create``."""
    import datetime

    data = {
        "title": "Sengketa lahan tambang timah",
        "chronology": "Warga menolak aktivitas tambang di lahan kebun.",
        "kind": "potensi",
        "occurred_on": datetime.date(2026, 3, 2),
        "region": region(region_code),
        "source": "sda",
        "category": incident_category(),
        "severity": "sedang",
    }
    data.update(overrides)
    return data


def make_incident(reporter=None, *, region_code: str = "19.01", status: str = "dilaporkan", **overrides):
    """An incident created through the services and moved to ``status`` (as a superuser would)."""
    from incidents import services as incident_services

    superuser = get_user_model().objects.filter(username="incident.factory").first() or make_user(
        "Administrator", username="incident.factory", superuser=True
    )
    reporter = reporter or superuser
    handling_team = overrides.pop("handling_team", None)
    incident = incident_services.incident_create(reporter=reporter, **incident_data(region_code, **overrides))
    path = {
        "draf": [], "dilaporkan": ["submit"], "terverifikasi": ["submit", "verify"],
        "ditangani": ["submit", "verify", "handle"], "pemulihan": ["submit", "verify", "handle", "recover"],
        "selesai": ["submit", "verify", "handle", "close"], "ditolak": ["submit", "reject"],
    }[status]
    if "handle" in path and handling_team is None and incident.handling_team_id is None:
        from teams.models import Team

        handling_team = Team.objects.filter(region=incident.region).first() or make_team(region_code)
    if handling_team is not None:
        incident = incident_services.incident_assign(incident=incident, user=superuser, handling_team=handling_team)
    for name in path:
        user = reporter if name == "submit" else superuser
        incident = incident_services.incident_transition(
            incident=incident, user=user, name=name, reason="Bukan konflik sosial." if name == "reject" else ""
        )
    incident.refresh_from_db()
    return incident
# --- Meetings ----------------------------------------------------------------------------------------


def make_meeting(team=None, *, days_ahead: int = 7, hours: int = 3, **kwargs):
    """A planned meeting through the service, ``days_ahead`` days from now at 09:00 WIB."""
    import datetime

    from django.utils import timezone

    from meetings import services as meeting_services

    team = team or make_team("19")
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    start = kwargs.pop("start", None) or timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    return meeting_services.meeting_schedule(
        team=team,
        title=kwargs.pop("title", "Rapat Koordinasi Tim Terpadu"),
        start=start,
        end=kwargs.pop("end", None) or start + datetime.timedelta(hours=hours),
        venue=kwargs.pop("venue", "Ruang Rapat Kesbangpol"),
        **kwargs,
    )


def _meeting_team():
    """The province's team, made once (a second team in the same region and years would overlap)."""
    from teams.models import Team

    return Team.objects.filter(region__code="19").order_by("pk").first() or make_team("19")


class MeetingFactory(factory.django.DjangoModelFactory):
    """Plain rows for volume (bench, query counts); rules are exercised through ``make_meeting``."""

    class Meta:
        model = "meetings.Meeting"

    title = factory.Sequence(lambda n: f"Rapat uji {n}")
    team = factory.LazyFunction(lambda: _meeting_team())
    start = factory.LazyFunction(_tz.now)
    end = factory.LazyAttribute(lambda o: o.start + _dt.timedelta(hours=2))
    venue = "Ruang Rapat"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Invitation"

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Attendance"

    invitation = factory.SubFactory(InvitationFactory)
    status = "hadir"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Acara {n}")


class MinutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Minutes"

    meeting = factory.SubFactory(MeetingFactory)
    opening = "Rapat dibuka pukul 09.00 WIB."


class ResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Resolution"

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Rumusan uji {n}")


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.ActionItem"

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Tindak lanjut uji {n}")
    owner_person = factory.SubFactory(PersonFactory)
    due_date = factory.LazyFunction(_tz.localdate)


class ActionItemNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.ActionItemNote"

    action_item = factory.SubFactory(ActionItemFactory)
    text = "Sedang dikerjakan."


# --- teams: a factory for every model (the make_* helpers above stay for readable setup) ------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_TEAM_REGIONS = ["19", "19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"]


class RegionFactory(factory.django.DjangoModelFactory):
    """A kecamatan of Kabupaten Bangka (the real regions come from a migration)."""

    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"19.01.{50 + n % 49:02d}")
    name = factory.Sequence(lambda n: f"Kecamatan Uji {n}")
    level = Region.Level.KECAMATAN
    parent = factory.LazyFunction(lambda: region("19.01"))


class TeamFactory(factory.django.DjangoModelFactory):
    """A team through ``team_create`` (its rules hold); successive teams take successive regions and
    two-year periods, so they never overlap."""

    class Meta:
        model = "teams.Team"

    region = factory.Sequence(lambda n: region(_TEAM_REGIONS[n % len(_TEAM_REGIONS)]))
    name = factory.LazyAttribute(lambda o: f"Tim Terpadu PKS {o.region.name}")
    decree_number = factory.Sequence(lambda n: f"188.44/{n}/2025")
    decree_date = factory.Sequence(lambda n: _dt.date(2001 + 2 * (n // len(_TEAM_REGIONS)), 1, 2))
    period_start = factory.LazyAttribute(lambda o: o.decree_date)
    period_end = factory.LazyAttribute(lambda o: _dt.date(o.period_start.year + 1, 12, 31))

    @classmethod
    def _create(cls, model_class, **kwargs):
        return team_services.team_create(**kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A seat through ``membership_start``."""

    class Meta:
        model = "teams.Membership"

    team = factory.SubFactory(TeamFactory)
    person = factory.LazyAttribute(lambda o: PersonFactory(region=o.team.region))
    role = "anggota"
    start_date = factory.LazyAttribute(lambda o: o.team.period_start)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return team_services.membership_start(**kwargs)


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "teams.ActionPlan"

    team = factory.SubFactory(TeamFactory)
    year = factory.LazyAttribute(lambda o: o.team.period_start.year)
    legal_basis_number = factory.Sequence(lambda n: f"188.44/RAT/{n}")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return team_services.plan_create(**kwargs)


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity with its three periods (``activity_create``); ``targets`` like {"B04": 2}."""

    class Meta:
        model = "teams.Activity"

    plan = factory.SubFactory(ActionPlanFactory)
    phase = "pencegahan"
    name = factory.Sequence(lambda n: f"Rapat koordinasi {n}")
    unit = "kegiatan"
    responsible_institution = factory.SubFactory(InstitutionFactory)
    targets = factory.LazyFunction(lambda: {"B04": 1, "B08": 1, "B12": 1})

    @classmethod
    def _create(cls, model_class, **kwargs):
        return team_services.activity_create(**kwargs)


class ActivityPeriodFactory(factory.django.DjangoModelFactory):
    """One period of a new activity (the activity's B04 row by default)."""

    class Meta:
        model = "teams.ActivityPeriod"

    activity = factory.SubFactory(ActivityFactory)
    period = "B04"

    @classmethod
    def _create(cls, model_class, activity, period, **kwargs):
        row = activity.periods.get(period=period)
        for name, value in kwargs.items():
            setattr(row, name, value)
        if kwargs:
            row.save()
        return row


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A PDF proof through ``evidence_add`` (private storage, random name)."""

    class Meta:
        model = "teams.Evidence"

    activity_period = factory.SubFactory(ActivityPeriodFactory)
    uploaded_file = factory.LazyFunction(
        lambda: __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile("bukti.pdf", PDF_BYTES)
    )

    @classmethod
    def _create(cls, model_class, **kwargs):
        return team_services.evidence_add(**kwargs)


class ReportingDeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "teams.ReportingDeadline"
        django_get_or_create = ("year", "period")

    year = 2026
    period = "B04"
    due_date = factory.LazyAttribute(lambda o: _dt.date(o.year, 5, 15))


class PlanReminderLogFactory(factory.django.DjangoModelFactory):
    """A reminder already sent (a core Delivery row)."""

    class Meta:
        model = "teams.PlanReminderLog"

    plan = factory.SubFactory(ActionPlanFactory)
    period = "B04"
    institution = factory.SubFactory(InstitutionFactory)
    days_before = 14
    status = "sent"
    attempts = 1
    recipient = "instansi@example.go.id"
    sent_at = factory.LazyFunction(_tz.now)


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "kesbang.AuditEvent"

    kind = "login"
    username = factory.Sequence(lambda n: f"pengguna{n}")
    ip_address = "127.0.0.1"
    method = "POST"
    path = "/akun/login/"


def _account_user():
    return make_user(None, username=f"akun.{get_user_model().objects.count() + 1}")


class EnrolmentCodeFactory(factory.django.DjangoModelFactory):
    """An unused enrolment code (its clear text ``ABCD-EFGH-JKLM-NPQR`` is never stored, only its hash)."""

    class Meta:
        model = "kesbang.EnrolmentCode"

    user = factory.LazyFunction(_account_user)
    code_hash = factory.LazyFunction(lambda: _onetime().make_hash("ABCDEFGHJKLMNPQR"))
    expires_at = factory.LazyFunction(lambda: _tz.now() + _dt.timedelta(hours=24))


class RecoveryCodeDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "kesbang.RecoveryCodeDevice"

    user = factory.LazyFunction(_account_user)
    name = "Kode cadangan"
    confirmed = True


class RecoveryCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "kesbang.RecoveryCode"

    device = factory.SubFactory(RecoveryCodeDeviceFactory)
    code_hash = factory.LazyFunction(lambda: _onetime().make_hash("ABCDEFGHJKLMNPQR"))


def _onetime():
    from kesbang.core import onetime

    return onetime


# --- incidents: a factory for every model (make_incident above stays for readable setup) -----------


def _incident_superuser():
    return get_user_model().objects.filter(username="incident.factory").first() or make_user(
        "Administrator", username="incident.factory", superuser=True
    )


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incidents.Category"
        django_get_or_create = ("name", "parent")

    name = factory.Sequence(lambda n: f"Sub-jenis uji {n}")
    parent = factory.LazyFunction(lambda: __import__("incidents.models", fromlist=["Category"]).Category.objects.filter(
        parent__isnull=True).order_by("sort_order").first())


class IncidentFactory(factory.django.DjangoModelFactory):
    """A report through ``incident_create`` and ``incident_submit`` (status dilaporkan)."""

    class Meta:
        model = "incidents.Incident"

    title = factory.Sequence(lambda n: f"Sengketa lahan uji {n}")
    region_code = "19.01"
    status = "dilaporkan"

    @classmethod
    def _create(cls, model_class, region_code="19.01", status="dilaporkan", **kwargs):
        return make_incident(region_code=region_code, status=status, **kwargs)


class IncidentTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incidents.IncidentTransition"

    incident = factory.SubFactory(IncidentFactory)
    from_status = "dilaporkan"
    to_status = "terverifikasi"
    by = factory.LazyFunction(_incident_superuser)


class FollowUpFactory(factory.django.DjangoModelFactory):
    """A timeline entry through ``follow_up_add``."""

    class Meta:
        model = "incidents.FollowUp"

    incident = factory.SubFactory(IncidentFactory)
    date = factory.LazyAttribute(lambda o: o.incident.occurred_on)
    kind = "koordinasi"
    description = "Rapat koordinasi Tim Terpadu."

    @classmethod
    def _create(cls, model_class, **kwargs):
        from incidents import services as incident_services

        return incident_services.follow_up_add(user=_incident_superuser(), **kwargs)


class ConflictStatusFactory(factory.django.DjangoModelFactory):
    """A Status Keadaan Konflik through ``conflict_status_declare`` on a peristiwa."""

    class Meta:
        model = "incidents.ConflictStatus"

    incident = factory.LazyFunction(lambda: make_incident(kind="peristiwa", status="ditangani"))
    scale = "kabkota"
    decree_number = factory.Sequence(lambda n: f"188.45/{n}/2026")
    decree_date = _dt.date(2026, 3, 1)
    start_date = _dt.date(2026, 3, 2)
    end_date = _dt.date(2026, 5, 30)

    @classmethod
    def _create(cls, model_class, **kwargs):
        from incidents import services as incident_services

        return incident_services.conflict_status_declare(user=_incident_superuser(), **kwargs)


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A PDF through ``attachment_add`` (content checked, private storage, random name)."""

    class Meta:
        model = "incidents.Attachment"

    incident = factory.SubFactory(IncidentFactory)
    uploaded_file = factory.LazyFunction(
        lambda: __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile("berita.pdf", PDF_BYTES)
    )

    @classmethod
    def _create(cls, model_class, **kwargs):
        from incidents import services as incident_services

        return incident_services.attachment_add(user=_incident_superuser(), **kwargs)


class ReferenceCounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incidents.ReferenceCounter"
        django_get_or_create = ("region_code", "year")

    region_code = "19.02"
    year = factory.Sequence(lambda n: 2000 + n % 100)
    last = 0


class IncidentAlertFactory(factory.django.DjangoModelFactory):
    """An early-warning email already sent (a core Delivery row)."""

    class Meta:
        model = "incidents.IncidentAlert"

    incident = factory.SubFactory(IncidentFactory)
    level = "tinggi"
    email = factory.Sequence(lambda n: f"ketua{n}@example.go.id")
    status = "sent"
    attempts = 1
    sent_at = factory.LazyFunction(_tz.now)


class VerificationDigestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incidents.VerificationDigest"

    day = _dt.date(2026, 3, 3)
    email = factory.Sequence(lambda n: f"verifikator{n}@example.go.id")
    count = 1
    status = "sent"
    sent_at = factory.LazyFunction(_tz.now)


class ConflictStatusReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "incidents.ConflictStatusReminder"

    conflict_status = factory.SubFactory(ConflictStatusFactory)
    days_before = 14
    email = factory.Sequence(lambda n: f"sekretaris{n}@example.go.id")
    status = "sent"
    sent_at = factory.LazyFunction(_tz.now)


# --- incidents: reports from the public (/lapor/) ----------------------------------------------------


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real PNG (Pillow), small: what a phone's resized photo is to the upload checks."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(out, format="PNG")
    return out.getvalue()


def public_report_data(region_code: str = "19.01", **overrides) -> dict:
    """Valid keyword arguments for ``incidents.intake.public_report_submit`` (anonymous)."""
    data = {
        "description": "Warga dua dusun bersitegang soal batas kebun sawit; ada ancaman membakar pondok.",
        "situation": "potensi", "occurred_on": _tz.localdate(), "region": region(region_code),
        "anonymous": True,
    }
    data.update(overrides)
    return data


def make_public_report(region_code: str = "19.01", *, photos=(), client_key=None, **overrides):
    """A report from the public form through ``public_report_submit`` (status baru)."""
    from incidents import intake

    return intake.public_report_submit(client_key=client_key, photos=photos,
                                       **public_report_data(region_code, **overrides)).report


class PublicReportFactory(factory.django.DjangoModelFactory):
    """A waiting public report through ``public_report_submit`` (a tracking code of its own)."""

    class Meta:
        model = "incidents.PublicReport"

    region_code = "19.01"

    @classmethod
    def _create(cls, model_class, region_code="19.01", **kwargs):
        return make_public_report(region_code, **kwargs)


class PublicReportPhotoFactory(factory.django.DjangoModelFactory):
    """A PNG photo of a public report (core upload checks, private storage, random name)."""

    class Meta:
        model = "incidents.PublicReportPhoto"

    report = factory.SubFactory(PublicReportFactory)

    @classmethod
    def _create(cls, model_class, report, **kwargs):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from kesbang.core.uploads import atomic_with_files

        with atomic_with_files():
            photo = model_class(report=report)
            photo.take_upload(SimpleUploadedFile("foto.png", png_bytes()), kinds={"jpeg", "png"})
            return photo.save_upload()


# --- meetings: the remaining models (files and exactly-once email records) ---------------------------


def _pdf_upload(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class MeetingDocumentFactory(factory.django.DjangoModelFactory):
    """A PDF through ``document_add`` (private storage, random name)."""

    class Meta:
        model = "meetings.MeetingDocument"

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Bahan rapat {n}")
    file = factory.LazyFunction(lambda: _pdf_upload("bahan-rapat.pdf"))

    @classmethod
    def _create(cls, model_class, **kwargs):
        from meetings import services as meeting_services

        return meeting_services.document_add(**kwargs)


class ActionItemEvidenceFactory(factory.django.DjangoModelFactory):
    """A PDF proof of an action item (private storage, random name)."""

    class Meta:
        model = "meetings.ActionItemEvidence"

    action_item = factory.SubFactory(ActionItemFactory)
    file = factory.LazyFunction(lambda: _pdf_upload("bukti-tindak-lanjut.pdf"))
    original_name = "bukti-tindak-lanjut.pdf"
    kind = "pdf"
    size = len(PDF_BYTES)


class MeetingDeliveryFactory(factory.django.DjangoModelFactory):
    """An invitation email already sent (a core Delivery row)."""

    class Meta:
        model = "meetings.MeetingDelivery"

    invitation = factory.SubFactory(InvitationFactory)
    meeting = factory.SelfAttribute("invitation.meeting")
    kind = "undangan"
    dedupe_key = factory.LazyAttributeSequence(lambda o, n: f"undangan:{o.meeting.pk}:{o.invitation.pk}:{n}")
    recipient = factory.Sequence(lambda n: f"undangan{n}@example.go.id")
    status = "sent"
    attempts = 1
    sent_at = factory.LazyFunction(_tz.now)


# --- kesbang (office layer): periodic reports, recipients, weekly summary ---------------------------


def _report_month(n: int) -> tuple[int, int]:
    return 2020 + n // 12, n % 12 + 1


class ReportFactory(factory.django.DjangoModelFactory):
    """A finished monthly report row of the province (one month per row; generation is the task's job)."""

    class Meta:
        model = "office.Report"

    kind = "bulanan"
    period = factory.Sequence(lambda n: "{:04d}-{:02d}".format(*_report_month(n)))
    period_start = factory.LazyAttribute(lambda o: _dt.date(int(o.period[:4]), int(o.period[5:]), 1))
    period_end = factory.LazyAttribute(
        lambda o: (o.period_start.replace(day=28) + _dt.timedelta(days=4)).replace(day=1) - _dt.timedelta(days=1)
    )
    region = factory.LazyFunction(lambda: region("19"))
    status = "selesai"
    progress = 100
    figures = factory.LazyFunction(dict)


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "office.Recipient"

    email = factory.Sequence(lambda n: f"penerima{n}@example.go.id")
    name = factory.Sequence(lambda n: f"Penerima {n}")


class NonWorkingDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "office.NonWorkingDay"
        django_get_or_create = ("date",)

    date = factory.Sequence(lambda n: _dt.date(2030, 1, 1) + _dt.timedelta(days=n))
    name = "Cuti bersama (SKB 3 Menteri)"
    kind = "libur"


class WeeklySummaryFactory(factory.django.DjangoModelFactory):
    """One ISO week (Monday to Sunday), a different week per row."""

    class Meta:
        model = "office.WeeklySummary"

    start = factory.Sequence(lambda n: _dt.date(2024, 1, 1) + _dt.timedelta(weeks=n))
    end = factory.LazyAttribute(lambda o: o.start + _dt.timedelta(days=6))
    week = factory.LazyAttribute(lambda o: "{:04d}-W{:02d}".format(*o.start.isocalendar()[:2]))
    content = factory.LazyFunction(dict)


class WeeklySummaryDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "office.WeeklySummaryDelivery"

    summary = factory.SubFactory(WeeklySummaryFactory)
    email = factory.Sequence(lambda n: f"pimpinan{n}@example.go.id")
    recipient = factory.SelfAttribute("email")
    status = "sent"
    attempts = 1
    sent_at = factory.LazyFunction(_tz.now)


class ReportDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "office.ReportDelivery"

    report = factory.SubFactory(ReportFactory)
    email = factory.Sequence(lambda n: f"laporan{n}@example.go.id")
    recipient = factory.SelfAttribute("email")
    status = "sent"
    attempts = 1
    sent_at = factory.LazyFunction(_tz.now)


# --- integrations: webhooks and the national package ----------------------------------------------


def _sealed_secret():
    from kesbang.integrations import sealing

    return sealing.seal(sealing.new_secret())


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    """An active endpoint (a public address: registration checks are the service's, not run here)."""

    class Meta:
        model = "integrations.WebhookEndpoint"

    name = factory.Sequence(lambda n: f"Sistem Penerima {n}")
    url = factory.Sequence(lambda n: f"https://penerima{n}.example.go.id/kesbang")
    events = factory.LazyFunction(lambda: ["incident.reported"])
    clearance = "biasa"
    secret_sealed = factory.LazyFunction(_sealed_secret)
    secret_hint = "…abcd"


class WebhookEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "integrations.WebhookEvent"

    name = "incident.reported"
    object_id = factory.Sequence(lambda n: n + 1)
    occurred_at = factory.LazyFunction(_tz.now)


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "integrations.WebhookDelivery"

    event = factory.SubFactory(WebhookEventFactory)
    endpoint = factory.SubFactory(WebhookEndpointFactory)
    recipient = factory.SelfAttribute("endpoint.url")


class NationalPackageFactory(factory.django.DjangoModelFactory):
    """A queued package row of the province (one caturwulan per row; building is the task's job)."""

    class Meta:
        model = "integrations.NationalPackage"

    kind = "caturwulan"
    period = factory.Sequence(lambda n: f"{2020 + n // 3}-{('B04', 'B08', 'B12')[n % 3]}")
    period_start = factory.LazyAttribute(
        lambda o: _dt.date(int(o.period[:4]), {"B04": 1, "B08": 5, "B12": 9}[o.period[5:]], 1))
    period_end = factory.LazyAttribute(
        lambda o: _dt.date(int(o.period[:4]), {"B04": 4, "B08": 8, "B12": 12}[o.period[5:]], 28))
    region = factory.LazyFunction(lambda: region("19"))
# --- api: personal access tokens ------------------------------------------------------------------


class AccessTokenFactory(factory.django.DjangoModelFactory):
    """A read token row (its clear token is not known: use ``kesbang.api.services.token_create`` or
    tests/api/conftest.py ``make_token`` to call the API with one)."""

    class Meta:
        model = "api.AccessToken"

    user = factory.LazyFunction(_account_user)
    name = factory.Sequence(lambda n: f"Token uji {n}")
    prefix = factory.Sequence(lambda n: f"{n:08x}")
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    scope = "read"
    expires_at = factory.LazyFunction(lambda: _tz.now() + _dt.timedelta(days=30))
