"""The objects the URL suite requests: one login per actor and, per region (Bangka = own, Belitung =
other), one object of every kind the permission table names. Apps register builders for their own
kinds with ``@builder("kind")`` (tests/security/permissions.py explains how)."""

from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import PersonFactory, make_member, make_team, make_user, region
from tests.security.permissions import ACTORS, BUILDERS, LAZY, REGIONS, BuildContext, builder

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    users: dict = field(default_factory=dict)  # actor → user (None for "anonim")
    objects: dict = field(default_factory=dict)  # region key → kind → object


@builder("team")
def _team(ctx):
    team = make_team(ctx.region_code)
    if ctx.region_key == "own":  # the Anggota Tim login sits on the Bangka team
        make_member(team, person=ctx.world.users["anggota_tim"].person)
    return team


@builder("membership")
def _membership(ctx):
    return make_member(ctx.objects["team"])


@builder("person")
def _person(ctx):
    person = PersonFactory(region=region(ctx.region_code))
    make_member(ctx.objects["team"], person=person)  # a person on the region's team
    return person


@builder("plan")
def _plan(ctx):
    from tests.teams.test_plans import make_plan

    return make_plan(team=ctx.objects["team"], activities=1)


@builder("activity")
def _activity(ctx):
    return ctx.objects["plan"].activities.get()


@builder("evidence")
def _evidence(ctx):
    from teams import services

    period = ctx.objects["activity"].periods.get(period="B04")
    return services.evidence_add(activity_period=period, uploaded_file=SimpleUploadedFile("bukti.pdf", PDF), user=None)


class Objects(dict):
    """A region's objects; a kind not built yet (a lazy one) is built on first use."""

    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx

    def __missing__(self, kind):
        value = self[kind] = BUILDERS[kind](self.ctx)
        return value


def build_world() -> World:
    world = World()
    for actor, (_label, role, region_code) in ACTORS.items():
        if actor == "anonim":
            world.users[actor] = None
        else:
            world.users[actor] = make_user(role, username=f"sec.{actor}", region_code=region_code,
                                           superuser=False)
    for key, code in REGIONS.items():
        ctx = BuildContext(world=world, region_key=key, region_code=code)
        ctx.objects = Objects(ctx)
        for kind in BUILDERS:
            if kind not in LAZY:
                ctx.objects[kind]  # noqa: B018 - builds it
        world.objects[key] = ctx.objects
    return world


# --- incidents ---------------------------------------------------------------------------------


@builder("incident")
def _incident(ctx):
    from tests.factories import make_incident

    return make_incident(region_code=ctx.region_code, status="dilaporkan")


@builder("attachment")
def _attachment(ctx):
    from django.contrib.auth import get_user_model

    from incidents import services as incident_services

    superuser = get_user_model().objects.get(username="incident.factory")
    return incident_services.attachment_add(incident=ctx.objects["incident"], user=superuser,
                                            uploaded_file=SimpleUploadedFile("kronologi.pdf", PDF))


@builder("public_report")
def _public_report(ctx):
    from tests.factories import make_public_report

    return make_public_report(ctx.region_code)


@builder("public_report_photo")
def _public_report_photo(ctx):
    from tests.factories import PublicReportPhotoFactory

    return PublicReportPhotoFactory(report=ctx.objects["public_report"])


# --- meetings ----------------------------------------------------------------------------------


@builder("meeting")
def _meeting(ctx):
    from tests.factories import make_meeting

    return make_meeting(team=ctx.objects["team"])


@builder("agenda_item")
def _agenda_item(ctx):
    from meetings import services as meeting_services

    return meeting_services.agenda_item_add(meeting=ctx.objects["meeting"], title="Pembukaan")


@builder("invitation")
def _invitation(ctx):
    from meetings import services as meeting_services

    return meeting_services.invite_people(meeting=ctx.objects["meeting"], people=[ctx.objects["person"]])[0]


@builder("document")
def _document(ctx):
    from meetings import services as meeting_services

    return meeting_services.document_add(meeting=ctx.objects["meeting"], title="Bahan rapat",
                                         file=SimpleUploadedFile("bahan.pdf", PDF))


@builder("action_item")
def _action_item(ctx):
    import datetime

    from meetings import services as meeting_services

    return meeting_services.action_item_create(meeting=ctx.objects["meeting"], description="Koordinasi lanjutan",
                                               due_date=datetime.date(2026, 1, 15), owner_person=ctx.objects["person"])


@builder("action_evidence")
def _action_evidence(ctx):
    from meetings import services as meeting_services

    item = ctx.objects["action_item"]
    meeting_services.action_item_progress(item=item, text="Sudah dilaksanakan",
                                          evidence=SimpleUploadedFile("bukti.pdf", PDF))
    return item.evidence.get()


# --- reports -------------------------------------------------------------------------------------


@builder("report", lazy=True)
def _report(ctx):
    """A caturwulan report of the region, generated (PDF and xlsx) as the worker would."""
    from kesbang.office.models import Report
    from kesbang.office.reports import services as report_services

    report = report_services.report_request(kind="caturwulan", period="2026-B08", region=region(ctx.region_code))
    report_services.report_generate(report_id=report.pk)  # on_commit does not run inside the test
    return Report.objects.get(pk=report.pk)


# --- integrations ----------------------------------------------------------------------------------


@builder("webhook_delivery")
def _webhook_delivery(ctx):
    """One biasa endpoint (the Administrator may see it) with one logged delivery, for the admin pages."""
    from kesbang.integrations.models import WebhookDelivery
    from tests.factories import WebhookDeliveryFactory

    return WebhookDelivery.objects.order_by("pk").first() or WebhookDeliveryFactory(
        body='{"event": "incident.reported"}', response_status=200, status="sent")


@builder("package", lazy=True)
def _package(ctx):
    """A built national package of the province (the same one for both regions: it is the province's)."""
    from kesbang.integrations import package as package_services
    from kesbang.integrations.models import NationalPackage

    existing = NationalPackage.objects.filter(status="selesai").order_by("pk").first()
    if existing is not None:
        return existing
    package = package_services.package_request(kind="caturwulan", period="2026-B08",
                                               user=ctx.world.users["staf_provinsi"], enqueue=False)
    return package_services.package_build(package_id=package.pk)
# --- the API ---------------------------------------------------------------------------------------


@builder("api_token")
def _api_token(ctx):
    """A token of the region's regional login: the Staf Kabupaten/Kota's (Bangka), the Anggota Tim's (other)."""
    from kesbang.api import services as api_services

    owner = ctx.world.users["staf_kabkota" if ctx.region_key == "own" else "anggota_tim"]
    return api_services.token_create(user=owner, name="Uji", scope="read", days=30, second_factor=False)[0]
