"""Drill: the mail server is down for a while, then back. Every reminder, alert and summary is
delivered exactly once after it returns, by a real worker process retrying on its own."""

import datetime
import email
import email.policy
from decimal import Decimal

import pytest
from aiosmtpd.controller import Controller

from teams import services
from teams.models import PlanReminderLog
from tests.drills.conftest import free_port, send, wait_until
from tests.factories import InstitutionFactory, PersonFactory, make_member, make_team
from tests.teams.test_plans import make_plan

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
D = Decimal
H14 = datetime.date(2026, 4, 26)  # 14 days before B04 2026 is due (10 May 2026)


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def recipients(self) -> list[tuple[str, ...]]:
        return sorted(tuple(sorted(a.addr_spec for a in m["To"].addresses)) for m in self.messages)


def sent_reminders() -> int:
    return PlanReminderLog.objects.filter(status="sent").count()


def reminder_plan():
    """A Bangka plan with open B04 activities for two institutions (Polres: two members; Kodim: an
    institution address) and one for an institution without any address (skipped, not retried)."""
    team = make_team("19.01")
    polres = InstitutionFactory(name="Kepolisian Resor Bangka", short_name="Polres Bangka")
    kodim = InstitutionFactory(name="Kodim 0413/Bangka", short_name="Kodim 0413", email="kodim0413@example.go.id")
    kejari = InstitutionFactory(name="Kejaksaan Negeri Bangka", short_name="Kejari Bangka")
    make_member(team, person=PersonFactory(institution=polres, region=team.region, email="kasat@polres.example"))
    make_member(team, person=PersonFactory(institution=polres, region=team.region, email="kanit@polres.example"))
    make_member(team, person=PersonFactory(institution=kejari, region=team.region, email=""))
    plan = make_plan(team=team)
    for name, institution in (("Patroli dialogis", polres), ("Apel siaga", kodim), ("Penyuluhan hukum", kejari)):
        services.activity_create(plan=plan, phase="pencegahan", name=name, unit="kali",
                                 responsible_institution=institution, targets={"B04": D(1)})
    return plan


def test_reminders_survive_a_mail_server_outage_and_arrive_once(drill_worker):
    reminder_plan()
    smtp_port = free_port()  # nothing listens there yet: the mail server is down
    worker = drill_worker(smtp_port=smtp_port)
    send(worker.broker_url, "teams.tasks.action_plan_reminders_send", today=H14.isoformat())

    # Down: the task fails, records nothing as sent and schedules its own retry (more than once).
    wait_until(lambda: worker.text().count("Retry in") >= 2, timeout=45, what="two retries while SMTP is down")
    assert PlanReminderLog.objects.filter(status="sent").count() == 0  # rows claimed, none marked sent

    # Back: the next retry delivers each reminder once.
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        wait_until(lambda: sent_reminders() == 2 and len(mailbox.messages) == 2, timeout=45,
                   what="both reminders after SMTP returned")
        assert mailbox.recipients() == [("kanit@polres.example", "kasat@polres.example"), ("kodim0413@example.go.id",)]
        # The beat's next run (and any late retry) sends nothing again.
        send(worker.broker_url, "teams.tasks.action_plan_reminders_send", today=H14.isoformat())
        send(worker.broker_url, "teams.tasks.action_plan_reminders_send",
             today=(H14 + datetime.timedelta(days=1)).isoformat())
        wait_until(lambda: worker.text().count("succeeded in") >= 3, timeout=45, what="the repeated runs")
        assert len(mailbox.messages) == 2
        assert PlanReminderLog.objects.filter(status="sent").count() == 2
    finally:
        controller.stop()


def _no_enqueue(monkeypatch):
    """Setup writes through the services, which enqueue on commit to the suite's own broker; the drill
    sends to its throwaway Redis itself (as the beat and the services would)."""
    from celery.app.task import Task

    monkeypatch.setattr(Task, "delay", lambda self, *args, **kwargs: None)
    monkeypatch.setattr(Task, "apply_async", lambda self, *args, **kwargs: None)


def incident_alert_setup():
    """A Staf Provinsi login with an address and the region team's chair and secretary: a high-severity
    incident alerts all three (once per level and address)."""
    from tests.factories import make_incident, make_user

    staff = make_user("Staf Provinsi", username="staf.alert", region_code="19")
    staff.person.email = "staf.provinsi@kesbangpol.example"
    staff.person.save(update_fields=["email"])
    team = make_team("19.02")
    make_member(team, "ketua", email="ketua.belitung@example.go.id")
    make_member(team, "sekretaris", email="sekretaris.belitung@example.go.id")
    return make_incident(region_code="19.02", status="dilaporkan", severity="tinggi")


def meeting_reminder_setup():
    """A meeting in two days with three unanswered invitations (RSVP reminders) and an action item due in
    two days (due reminder)."""
    from meetings.models import ActionItem, Invitation
    from tests.factories import make_meeting

    team = make_team("19.03")
    meeting = make_meeting(team, days_ahead=2)
    for i in range(3):
        person = PersonFactory(region=team.region, email=f"undangan{i}@x.go.id")
        Invitation.objects.create(meeting=meeting, person=person)
    ActionItem.objects.create(meeting=meeting, description="Siapkan peta kerawanan",
                              owner_person=PersonFactory(region=team.region, email="pemilik@x.go.id"),
                              due_date=meeting.start.date())
    return meeting


def sent_rows() -> int:
    """Rows the delivery records say were sent (every kind the drill covers)."""
    from incidents.models import IncidentAlert
    from meetings.models import MeetingDelivery

    return (PlanReminderLog.objects.filter(status="sent").count() + IncidentAlert.objects.filter(status="sent").count()
            + MeetingDelivery.objects.filter(status="sent").count())


def test_every_kind_of_email_survives_a_mail_server_outage_and_arrives_once(drill_worker, monkeypatch):
    """Reminders (action plans, meetings) and early-warning alerts, sent by their own tasks while the mail
    server is down; when it is back each arrives once and later runs send nothing again."""
    from django.utils import timezone

    with monkeypatch.context() as m:
        _no_enqueue(m)
        reminder_plan()
        incident = incident_alert_setup()
        meeting_reminder_setup()
    today = timezone.localdate().isoformat()
    jobs = [
        ("teams.tasks.action_plan_reminders_send", {"today": H14.isoformat()}),
        ("incidents.tasks.incident_alert_send", {"incident_id": incident.pk}),
        ("meetings.tasks.meeting_reminders_send", {"today": today}),
    ]
    smtp_port = free_port()
    worker = drill_worker(smtp_port=smtp_port)
    for name, kwargs in jobs:
        send(worker.broker_url, name, **kwargs)
    wait_until(lambda: worker.text().count("Retry in") >= 3, timeout=45, what="every task retrying while SMTP is down")
    assert sent_rows() == 0

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        # 2 plan reminders, 3 alerts (chair, secretary, Staf Provinsi), 3 RSVP, 3 H-3 and 1 due reminder.
        wait_until(lambda: worker.text().count("succeeded in") >= 3, timeout=60, what="every task succeeding")
        delivered = len(mailbox.messages)
        assert delivered == sent_rows() == 12
        before = worker.text().count("succeeded in")
        for name, kwargs in jobs:  # the beat's next runs, a duplicate alert message
            send(worker.broker_url, name, **kwargs)
        wait_until(lambda: worker.text().count("succeeded in") >= before + 3, timeout=45, what="the repeated runs")
        assert len(mailbox.messages) == sent_rows() == delivered
        subjects = sorted(str(m["Subject"]) for m in mailbox.messages)
        assert sum("Peringatan dini" in s for s in subjects) == 3
        assert sum("Pengingat" in s and "B04" in s for s in subjects) == 2
        assert len({(m["To"], m["Subject"]) for m in mailbox.messages}) == delivered  # no duplicates
    finally:
        controller.stop()
