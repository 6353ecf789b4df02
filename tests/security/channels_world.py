"""The world the channel × class × role test reads (tests/security/test_classification_channels.py).

Kabupaten Bangka (19.01), one handling team whose Ketua is a person without a login and whose
Sekretaris is the Anggota Tim login; per class (biasa, terbatas, rahasia) a potential (marker
``PENANDA-POTENSI-<KELAS>-k3m``) escalated into a conflict incident (marker ``PENANDA-<KELAS>-x7q``),
reported, severity tinggi, with a Status Keadaan Konflik ending in 3 days; the three incidents linked
to one meeting of the team to which both Anggota Tim logins are invited; a rahasia report downgraded to
biasa (its old title ``PENANDA-TURUN-r9z`` lives only in its history); one province and one Bangka
monthly report built in process; every email sender run once against the locmem backend.

Everything goes through the services (tests/factories.py helpers)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from incidents.classification import BIASA, CLASSES, RAHASIA, TERBATAS
from tests.factories import PersonFactory, make_incident, make_meeting, make_member, make_team, make_user, region

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

MARKERS = {
    BIASA: "PENANDA-BIASA-x7q", TERBATAS: "PENANDA-TERBATAS-x7q", RAHASIA: "PENANDA-RAHASIA-x7q",
    f"potensi-{BIASA}": "PENANDA-POTENSI-BIASA-k3m", f"potensi-{TERBATAS}": "PENANDA-POTENSI-TERBATAS-k3m",
    f"potensi-{RAHASIA}": "PENANDA-POTENSI-RAHASIA-k3m",
    "turun": "PENANDA-TURUN-r9z",  # the downgraded report's title while it was rahasia
}

# key → (README-ish label, role, region code); "anonim" has no login.
ROLES = {
    "administrator": ("Administrator", "Administrator", "19"),
    "pimpinan": ("Pimpinan", "Pimpinan", "19"),
    "staf_provinsi": ("Staf Provinsi", "Staf Provinsi", "19"),
    "staf_bangka": ("Staf Kabupaten/Kota Bangka", "Staf Kabupaten/Kota", "19.01"),
    "staf_belitung": ("Staf Kabupaten/Kota Belitung", "Staf Kabupaten/Kota", "19.02"),
    "anggota_tim": ("Anggota Tim, Sekretaris tim penanganan", "Anggota Tim", "19.01"),
    "anggota_lain": ("Anggota Tim tim lain (Belitung)", "Anggota Tim", "19.02"),
    "pelapor": ("Pelapor (Anggota Tim tanpa tim)", "Anggota Tim", "19.01"),
    "anonim": ("Anonim", None, None),
}


@dataclass
class ChannelWorld:
    users: dict = field(default_factory=dict)  # role key → user (None: anonymous)
    incidents: dict = field(default_factory=dict)  # marker key → incident (refreshed)
    meeting: object = None
    team: object = None
    ketua_email: str = ""
    reports: dict = field(default_factory=dict)  # "provinsi" / "bangka" → Report
    mails: dict = field(default_factory=dict)  # template → [EmailMessage]
    readable: dict = field(default_factory=dict)  # role key → set of marker keys it may read (restrict)
    today: datetime.date = None
    week_code: str = ""
    desa: object = None
    extra: dict = field(default_factory=dict)


def incident_class(world: ChannelWorld, key: str) -> str:
    """The class a marker stands for: the incident's (the downgraded one's old title: rahasia)."""
    if key == "turun":
        return RAHASIA
    return world.incidents[key].classification


def _capture(world: ChannelWorld, template: str, send) -> None:
    before = len(mail.outbox)
    send()
    world.mails.setdefault(template, []).extend(mail.outbox[before:])


def build_channel_world() -> ChannelWorld:
    from incidents import alerts
    from incidents import services as incident_services
    from incidents.models import Incident
    from kesbang.office.models import Recipient, Report
    from kesbang.office.reports import delivery as report_delivery
    from kesbang.office.reports import services as report_services
    from kesbang.office.weekly import services as weekly_services
    from kesbang.office.weekly.weeks import week_of
    from meetings import notifications
    from meetings import services as meeting_services
    from teams.models import Region

    w = ChannelWorld()
    w.today = timezone.localdate()
    for key, (_label, role, code) in ROLES.items():
        w.users[key] = None if role is None else make_user(role, username=f"kanal.{key}", region_code=code)
    superuser = get_user_model().objects.filter(username="incident.factory").first() or make_user(
        "Administrator", username="incident.factory", superuser=True)

    # The handling team: Ketua without a login, Sekretaris the Anggota Tim login; the other Anggota
    # Tim sits on Belitung's team.
    w.team = make_team("19.01")
    ketua = PersonFactory(region=region("19.01"), email="ketua.tanpa.akun@example.go.id")
    w.ketua_email = ketua.email
    make_member(w.team, "ketua", person=ketua)
    make_member(w.team, "sekretaris", person=w.users["anggota_tim"].person)
    make_member(make_team("19.02"), person=w.users["anggota_lain"].person)

    w.desa = Region.objects.filter(code__startswith="19.01.", level=Region.Level.DESA).order_by("code").first()
    place = {"kecamatan": w.desa.parent, "desa": w.desa} if w.desa else {}
    occurred = w.today - datetime.timedelta(days=1)
    for cls in CLASSES:
        pmark = MARKERS[f"potensi-{cls}"]
        potential = make_incident(
            w.users["pelapor"], status="terverifikasi", classification=cls, handling_team=w.team,
            title=f"{pmark} potensi sengketa lahan", chronology=f"Kronologi {pmark}: warga berkumpul.",
            occurred_on=occurred, severity="sedang", **place)
        mark = MARKERS[cls]
        incident = incident_services.incident_escalate(
            potential=potential, user=superuser, title=f"{mark} bentrokan warga",
            chronology=f"Kronologi {mark}: dua kelompok warga bentrok.", severity="tinggi")
        incident_services.conflict_status_declare(
            incident=incident, user=superuser, scale="kabkota", decree_number=f"188.45/{cls}/2026",
            decree_date=w.today - datetime.timedelta(days=10), start_date=w.today - datetime.timedelta(days=10),
            end_date=w.today + datetime.timedelta(days=3))
        incident_services.follow_up_add(incident=incident, user=superuser, date=w.today, kind="koordinasi",
                                        description="Rapat koordinasi Tim Terpadu.")
        incident_services.attachment_add(incident=incident, user=superuser,
                                         uploaded_file=SimpleUploadedFile("kronologi.pdf", PDF))
        w.incidents[f"potensi-{cls}"] = potential
        w.incidents[cls] = incident

    # A rahasia report downgraded to biasa: its earlier title stays in its history only.
    old = MARKERS["turun"]
    downgraded = make_incident(w.users["pelapor"], status="dilaporkan", classification=RAHASIA, handling_team=w.team,
                               title=f"{old} laporan awal", chronology=f"Kronologi {old}.", occurred_on=occurred)
    downgraded = incident_services.incident_update(
        incident=downgraded, user=superuser, expected_version=downgraded.version, classification=BIASA,
        title="Laporan yang diturunkan klasifikasinya", chronology="Kronologi yang boleh dibaca umum.")
    w.incidents["turun"] = downgraded

    # One meeting of the Bangka team, three days ahead, linked to the three incidents; both Anggota Tim
    # logins and the Ketua (no login) are invited; one action item due in three days.
    w.meeting = make_meeting(team=w.team, days_ahead=3, title="Rapat Koordinasi Penanganan Bentrokan",
                             linked_incidents=[w.incidents[c] for c in CLASSES])
    meeting_services.agenda_item_add(meeting=w.meeting, title="Pembahasan situasi terkini")
    invitations = meeting_services.invite_people(
        meeting=w.meeting, people=[ketua, w.users["anggota_tim"].person, w.users["anggota_lain"].person])
    w.extra["ketua_invitation"] = invitations[0]
    meeting_services.action_item_create(meeting=w.meeting, description="Koordinasi lanjutan dengan Polres",
                                        due_date=w.today + datetime.timedelta(days=3), owner_person=ketua)

    # Reports from the public: one waiting in the incidents' desa on their day (its triage page suggests
    # them as possible duplicates), and one merged into each conflict incident (its public status page).
    from incidents import intake
    from tests.factories import make_public_report

    w.extra["public_waiting"] = make_public_report("19.01", occurred_on=occurred, **place)
    w.extra["public_merged"] = {}
    for cls in CLASSES:
        merged = make_public_report("19.01", occurred_on=occurred)
        intake.public_report_merge(report=merged, user=superuser, incident=w.incidents[cls])
        w.extra["public_merged"][cls] = merged

    for key, incident in list(w.incidents.items()):
        w.incidents[key] = Incident.objects.get(pk=incident.pk)

    # Reports: the month of the incidents, for the province and for Bangka, built in this process.
    Recipient.objects.create(email="gubernur.tanpa.akun@example.go.id", weekly_summary=True, reports=True)
    period = occurred.strftime("%Y-%m")
    for key, code in (("provinsi", "19"), ("bangka", "19.01")):
        report = report_services.report_request(kind="bulanan", period=period, region=region(code), enqueue=False)
        assert report_services.report_generate(report_id=report.pk) is not None, \
            Report.objects.get(pk=report.pk).failure_reason
        w.reports[key] = Report.objects.get(pk=report.pk)

    # Every email sender, once.
    mail.outbox = []
    for cls in CLASSES:
        _capture(w, "incident_alert", lambda cls=cls: alerts.incident_alerts_send(incident_id=w.incidents[cls].pk))
    _capture(w, "incident_digest", lambda: alerts.verification_digest_send(day=w.today))
    _capture(w, "conflict_status_reminder", lambda: alerts.conflict_status_reminders_send(today=w.today))
    _capture(w, "meeting_notice", lambda: notifications.invitations_send(w.meeting.pk))
    _capture(w, "meeting_notice", lambda: notifications.reminders_send(w.today))
    week = week_of(w.today)
    w.week_code = week.code

    def weekly():
        summary = weekly_services.weekly_summary_plan(week=week)
        for delivery_id in weekly_services.pending_ids(summary):
            weekly_services.weekly_summary_send(delivery_id=delivery_id)
    _capture(w, "weekly_summary", weekly)

    def reports():
        for report in w.reports.values():
            for delivery_id in report_delivery.report_deliveries_plan(report=report):
                report_delivery.report_send_one(delivery_id=delivery_id)
    _capture(w, "report_ready", reports)

    from incidents import classification

    for key, user in w.users.items():
        if user is None:
            w.readable[key] = set()
            continue
        ids = classification.readable_ids(user, [i.pk for i in w.incidents.values()])
        w.readable[key] = {k for k, i in w.incidents.items() if i.pk in ids}
    return w
