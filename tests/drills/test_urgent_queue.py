"""Drill: four report builds keep the heavy worker busy, and an early-warning alert for a `kritis`
incident still reaches the mail server within seconds, through the urgent queue's own worker.

Real processes: a throwaway Redis, one worker on ``heavy`` (real report builds, each section followed
by a pause so they last) and one on ``urgent`` (tests/drills/conftest.py), aiosmtpd on loopback."""

import time

import pytest
from aiosmtpd.controller import Controller

from kesbang import queues
from kesbang.office.models import Report
from kesbang.office.reports import services as report_services
from tests.drills.conftest import free_port, send, wait_until
from tests.drills.test_smtp_outage import Mailbox, _no_enqueue
from tests.factories import ensure_reference_data, make_incident, make_member, make_team, make_user, region

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def alert_recipients_setup():
    """A Staf Provinsi with an address and the Belitung team's chair and secretary: three alerts."""
    staff = make_user("Staf Provinsi", username="staf.alert", region_code="19")
    staff.person.email = "staf.provinsi@kesbangpol.example"
    staff.person.save(update_fields=["email"])
    team = make_team("19.02")
    make_member(team, "ketua", email="ketua.belitung@example.go.id")
    make_member(team, "sekretaris", email="sekretaris.belitung@example.go.id")


def test_an_urgent_alert_is_delivered_while_the_heavy_worker_builds_reports(drill_worker, monkeypatch, settings):
    from tests.office.office_data import build_office_dataset

    with monkeypatch.context() as m:
        _no_enqueue(m)  # the drill sends to its own Redis below, as the services' on_commit would
        ensure_reference_data()
        build_office_dataset()
        alert_recipients_setup()
        reports = [
            report_services.report_request(kind="caturwulan", period="2026-B08", region=region("19"), enqueue=False)
            for _ in range(4)
        ]
    smtp_port = free_port()
    mailbox = Mailbox()
    accepted_at = []
    handle = mailbox.handle_DATA

    async def handle_data(server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        accepted_at.append(time.monotonic())
        return await handle(server, session, envelope)

    mailbox.handle_DATA = handle_data
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    media = {"PRIVATE_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    try:
        heavy = drill_worker(
            smtp_port=smtp_port,
            queue=queues.HEAVY,
            log_name="heavy.log",
            extra_env={**media, "TEST_REPORT_SECTION_PAUSE": "0.75"},
        )
        urgent = drill_worker(smtp_port=smtp_port, queue=queues.URGENT, log_name="urgent.log", extra_env=media)
        for report in reports:  # routed by name to the heavy queue (kesbang/queues.py)
            send(heavy.broker_url, "kesbang.tasks.report_generate", report_id=report.pk)
        wait_until(
            lambda: Report.objects.filter(status=Report.Status.DIPROSES).exists(),
            timeout=60,
            what="the heavy worker building the first report",
        )

        with monkeypatch.context() as m:
            _no_enqueue(m)
            incident = make_incident(region_code="19.02", status="dilaporkan", severity="kritis")
        committed = time.monotonic()
        send(urgent.broker_url, "incidents.tasks.incident_alert_send", incident_id=incident.pk)
        wait_until(lambda: len(mailbox.messages) >= 3, timeout=30, what="three alert emails")
        delay = accepted_at[2] - committed
        print(f"alert: last of three emails accepted {delay:.2f} s after the incident's commit")

        building = list(Report.objects.exclude(status=Report.Status.SELESAI).values_list("status", flat=True))
        assert len(building) >= 3, f"the heavy worker should still be busy, reports left: {building}"
        assert delay < 10, f"the last alert email was accepted {delay:.1f} s after the commit"
        assert sorted(a for m in mailbox.messages for a in (x.addr_spec for x in m["To"].addresses)) == [
            "ketua.belitung@example.go.id",
            "sekretaris.belitung@example.go.id",
            "staf.provinsi@kesbangpol.example",
        ]
        assert all("Peringatan dini" in str(m["Subject"]) for m in mailbox.messages)
        # Each worker took only its own queue's tasks.
        assert "Task kesbang.tasks.report_generate[" in heavy.text()
        assert "Task incidents.tasks.incident_alert_send[" in urgent.text()
        assert "Task incidents.tasks.incident_alert_send[" not in heavy.text()
        assert "Task kesbang.tasks.report_generate[" not in urgent.text()

        # The builds are real: the first one finishes (the others wait their turn on the heavy queue).
        wait_until(
            lambda: Report.objects.filter(status=Report.Status.SELESAI).exists(),
            timeout=120,
            interval=1,
            what="the first report",
        )
    finally:
        controller.stop()
