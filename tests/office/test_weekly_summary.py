"""Weekly summary: week boundaries at Monday 00:00 Asia/Jakarta, exactly once per (week, recipient)
when the planner and sender run twice and concurrently, a temporary SMTP 451 retried then accepted
(aiosmtpd on loopback), the sweeper, the command and the administrator pages."""

import datetime
import threading
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from kesbang.office.models import Recipient, WeeklySummary, WeeklySummaryDelivery
from kesbang.office.recipients import recipients_for
from kesbang.office.tasks import weekly_summary_plan as plan_task
from kesbang.office.tasks import weekly_summary_send as send_task
from kesbang.office.weekly import services
from kesbang.office.weekly.weeks import Week, last_complete_week, parse_week
from teams.models import ActivityPeriod
from tests.factories import make_user
from tests.office.office_data import build_office_dataset
from tests.teams.test_reminders import Collector, free_port, use_smtp

pytestmark = pytest.mark.django_db
WEEK = Week(2026, 47)  # Monday 16 - Sunday 22 November 2026
JKT = timezone.get_fixed_timezone(7 * 60)


@pytest.fixture
def recipients(db):
    """Default recipients: one Pimpinan and one Staf Provinsi with email; a regency staffer is not one."""
    p = make_user("Pimpinan", username="pimpinan.a", region_code="19")
    p.email = "pimpinan@kesbang.example"
    p.save()
    s = make_user("Staf Provinsi", username="staf.a", region_code="19")
    s.email = "staf@kesbang.example"
    s.save()
    k = make_user("Staf Kabupaten/Kota", username="staf.kab", region_code="19.01")
    k.email = "kab@kesbang.example"
    k.save()
    return ["pimpinan@kesbang.example", "staf@kesbang.example"]


def test_week_parsing_and_last_complete_week():
    assert (WEEK.start, WEEK.end) == (datetime.date(2026, 11, 16), datetime.date(2026, 11, 22))
    assert WEEK.start_at == datetime.datetime(2026, 11, 16, 0, 0, tzinfo=JKT)
    assert parse_week("2026-w47") == WEEK
    for bad in ("2026-W54", "2026-47", "W47", "", "2026-W00"):
        with pytest.raises(Exception) as exc:
            parse_week(bad)
        assert "Minggu" in str(exc.value) or "minggu" in str(exc.value)
    # Monday 23 November 06:59 WIB: the last complete week is W47; Sunday 22 November 23:59 it is W46.
    assert last_complete_week(datetime.datetime(2026, 11, 23, 6, 59, tzinfo=JKT)) == WEEK
    assert last_complete_week(datetime.datetime(2026, 11, 22, 23, 59, tzinfo=JKT)) == Week(2026, 46)


def test_recipients_default_roles_plus_and_minus_admin_rows(recipients):
    assert recipients_for("weekly_summary") == recipients
    Recipient.objects.create(email="Gubernur@Example.go.id", weekly_summary=True, reports=False)
    Recipient.objects.create(email="staf@kesbang.example", active=False)
    assert recipients_for("weekly_summary") == ["gubernur@example.go.id", "pimpinan@kesbang.example"]
    assert recipients_for("reports") == ["pimpinan@kesbang.example"]


def test_default_recipients_are_the_holders_of_the_purposes_permission(recipients):
    from django.contrib.auth.models import Group, Permission

    duty = Permission.objects.get(codename="receive_report")
    Group.objects.get(name="Pimpinan").permissions.remove(duty)
    kab = make_user("Staf Kabupaten/Kota", username="staf.kab.penerima", region_code="19.02")
    kab.email = "kab.penerima@kesbang.example"
    kab.save()
    kab.user_permissions.add(duty)
    assert recipients_for("reports") == ["kab.penerima@kesbang.example", "staf@kesbang.example"]
    assert recipients_for("weekly_summary") == recipients  # its own permission, untouched


def test_week_boundaries_monday_midnight_jakarta(recipients):
    """Realisations reported Sunday 23:59 WIB count in W47; Monday 00:00 WIB counts in W48, Monday
    16 November 00:00 WIB (= Sunday 17:00 UTC) in W47."""
    build_office_dataset()
    aps = list(ActivityPeriod.objects.filter(realisation__isnull=False).order_by("pk"))
    at = [
        datetime.datetime(2026, 11, 16, 0, 0, tzinfo=JKT),   # first instant of W47
        datetime.datetime(2026, 11, 22, 23, 59, tzinfo=JKT),  # last minute of W47
        datetime.datetime(2026, 11, 23, 0, 0, tzinfo=JKT),   # W48
        datetime.datetime(2026, 11, 15, 23, 59, tzinfo=JKT),  # W46
    ]
    for ap, when in zip(aps, at, strict=False):
        ActivityPeriod.objects.filter(pk=ap.pk).update(reported_at=when)
    ActivityPeriod.objects.filter(pk__in=[a.pk for a in aps[4:]]).update(reported_at=None)
    content = services.weekly_summary_build(WEEK)
    plan = next(s for s in content["sections"] if s["key"] == "rencana_aksi")
    figures = {f["label"]: f["value"] for f in plan["figures"]}
    assert figures["Realisasi dilaporkan minggu ini"] == 2
    # Whole-year achievement, as the tahunan report: province 37,5 and Bangka 66,7 -> 52,1.
    assert figures["Capaian rencana aksi 2026 (rata-rata)"] == "52,1 %"
    assert len(plan["tables"][0]["rows"]) == 2
    w48 = next(s for s in services.weekly_summary_build(Week(2026, 48))["sections"] if s["key"] == "rencana_aksi")
    assert w48["figures"][0]["value"] == 1


@pytest.fixture
def queued(monkeypatch):
    """The sender tasks the planner enqueues (run by hand below instead of a worker)."""
    calls = []
    monkeypatch.setattr(send_task, "delay", lambda delivery_id: calls.append(delivery_id))
    return calls


def test_planner_and_sender_twice_send_once(recipients, queued):
    mail.outbox = []
    first = plan_task.apply(kwargs={"week": "2026-W47"}).get()
    second = plan_task.apply(kwargs={"week": "2026-W47"}).get()
    assert len(first["queued"]) == 2 and second["queued"] == first["queued"]  # the same rows, none added
    assert WeeklySummaryDelivery.objects.count() == 2
    results = [send_task.apply(args=[pk]).get()["sent"] for pk in queued]
    assert results == [True, True, False, False]
    assert sorted(m.to[0] for m in mail.outbox) == recipients
    assert WeeklySummary.objects.count() == 1
    assert set(WeeklySummaryDelivery.objects.values_list("status", flat=True)) == {"sent"}
    message = mail.outbox[0]
    assert message.subject.startswith("Ringkasan mingguan Tim Terpadu: Minggu 47")
    html = message.alternatives[0][0]
    assert "Rencana Aksi Terpadu" in html and "http" in html
    assert "Rencana Aksi Terpadu" in message.body and "<table" not in message.body


@pytest.mark.django_db(transaction=True)
def test_concurrent_planners_and_senders_send_once(recipients):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL row locks (DATABASE_URL)")
    mail.outbox = []
    errors = []
    barrier = threading.Barrier(4)

    def run():
        try:
            barrier.wait(timeout=10)
            summary = services.weekly_summary_plan(week=WEEK)
            for delivery_id in services.pending_ids(summary):
                services.weekly_summary_send(delivery_id=delivery_id)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == recipients
    assert WeeklySummaryDelivery.objects.filter(status="sent").count() == 2


def test_smtp_451_then_accept_is_retried_and_sent_once(settings, recipients):
    class TempFailOnce(Collector):
        def __init__(self):
            super().__init__()
            self.refused = 0

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            if self.refused == 0:
                self.refused += 1
                return "451 4.3.0 Coba lagi nanti"
            return await super().handle_DATA(server, session, envelope)

    collector = TempFailOnce()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        use_smtp(settings, controller.port)
        Recipient.objects.create(email="staf@kesbang.example", active=False)  # one recipient only
        summary = services.weekly_summary_plan(week=WEEK)
        (row,) = summary.deliveries.all()
        result = send_task.apply(args=[row.pk])  # eager: autoretry re-runs the task after the 451
        row.refresh_from_db()
        assert collector.refused == 1 and len(collector.messages) == 1
        assert row.status == "sent" and row.attempts == 2 and "451" in (row.last_error or "451")
        assert result.successful() or row.status == "sent"
        # A late duplicate (sweeper, redelivery) sends nothing more.
        assert services.weekly_summary_send(delivery_id=row.pk) is False
        assert len(collector.messages) == 1
        msg = collector.messages[0]
        assert msg.get_body(("plain",)) and msg.get_body(("html",))
    finally:
        controller.stop()


def test_smtp_down_keeps_row_pending_for_the_sweeper(settings, recipients):
    use_smtp(settings, free_port())  # nothing listens
    summary = services.weekly_summary_plan(week=WEEK)
    row = summary.deliveries.first()
    with pytest.raises(OSError):
        services.weekly_summary_send(delivery_id=row.pk)
    row.refresh_from_db()
    assert row.status == "pending" and row.attempts == 1 and row.claimed_at is None
    due = services.weekly_summary_due(now=datetime.datetime(2026, 11, 23, 8, 0, tzinfo=JKT))
    assert row.pk in due


def test_sweeper_plans_a_missed_monday(recipients):
    assert services.weekly_summary_due(now=datetime.datetime(2026, 11, 23, 6, 59, tzinfo=JKT)) == []
    assert not WeeklySummary.objects.exists()
    due = services.weekly_summary_due(now=datetime.datetime(2026, 11, 23, 9, 30, tzinfo=JKT))
    assert WeeklySummary.objects.get().week == "2026-W47" and len(due) == 2


def test_beat_schedule_monday_seven():
    entries = [e for e in django_settings.CELERY_BEAT_SCHEDULE.values()
               if e["task"] == "kesbang.tasks.weekly_summary_plan"]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert isinstance(schedule, crontab) and schedule.hour == {7} and schedule.minute == {0}
    assert schedule.day_of_week == {1}
    assert any(e["task"] == "kesbang.tasks.deliveries_sweep" for e in django_settings.CELERY_BEAT_SCHEDULE.values())
    assert send_task.max_retries and send_task.retry_backoff and send_task.time_limit


def test_command_dry_run_and_send_once(recipients):
    mail.outbox = []
    out = StringIO()
    call_command("weekly_summary", "--week", "2026-W47", "--dry-run", stdout=out)
    assert "Uji coba" in out.getvalue() and "pimpinan@kesbang.example" in out.getvalue()
    assert not WeeklySummary.objects.exists() and mail.outbox == []
    out = StringIO()
    call_command("weekly_summary", "--week", "2026-W47", stdout=out)
    assert "2 terkirim" in out.getvalue()
    out = StringIO()
    call_command("weekly_summary", "--week", "2026-W47", stdout=out)
    assert "0 terkirim, 2 sudah terkirim" in out.getvalue()
    assert len(mail.outbox) == 2


def test_command_refuses_bad_week():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Minggu tidak sah"):
        call_command("weekly_summary", "--week", "2026-47", stdout=StringIO())


def test_pages_for_administrators_only(client, admin_user, staf_provinsi, pimpinan, recipients, queued,
                                       django_capture_on_commit_callbacks):
    for user in (staf_provinsi, pimpinan):
        client.force_login(user)
        assert client.get("/laporan/ringkasan-mingguan/").status_code == 403
        assert client.post("/laporan/ringkasan-mingguan/kirim/", {"minggu": "2026-W47"}).status_code == 403
    client.force_login(admin_user)
    page = client.get("/laporan/ringkasan-mingguan/?minggu=2026-W47")
    assert page.status_code == 200 and "Pratinjau surel" in page.content.decode()
    assert client.get("/laporan/ringkasan-mingguan/surel.html?minggu=2026-W47").status_code == 200
    bad = client.get("/laporan/ringkasan-mingguan/?minggu=2026-W99")
    assert bad.status_code == 200 and "tidak memiliki minggu ke-99" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the senders are enqueued after commit
        response = client.post("/laporan/ringkasan-mingguan/kirim/", {"minggu": "2026-W47"})
    assert response.status_code == 302 and response["Location"].endswith("?minggu=2026-W47")
    everyone = len(recipients_for("weekly_summary"))  # the fixtures' people have addresses too
    assert len(queued) == everyone >= 2
    for pk in queued:
        services.weekly_summary_send(delivery_id=pk)
    client.post("/laporan/ringkasan-mingguan/kirim/", {"minggu": "2026-W47"})
    assert len(queued) == everyone  # everyone has it: nothing queued again
    page = client.get("/laporan/ringkasan-mingguan/?minggu=2026-W47").content.decode()
    assert page.count("Terkirim") == everyone


def test_incidents_week_boundaries_and_late_reports(recipients):
    """W47 = Monday 16 November 00:00 to Monday 23 November 00:00 WIB, by the time of reporting.
    A: reported Mon 16 Nov 00:00 (in), B: Sun 22 Nov 23:59 (in; happened 2 Nov: late), C: Mon 23 Nov
    00:00 (W48), D: Sun 15 Nov 23:59 (W46), E: a draft (never)."""
    from incidents.models import Incident
    from tests.factories import make_incident

    def at(*args):
        return datetime.datetime(*args, tzinfo=JKT)

    made = {
        "A": make_incident(occurred_on=datetime.date(2026, 11, 16), severity="tinggi", status="terverifikasi"),
        "B": make_incident(region_code="19.02", occurred_on=datetime.date(2026, 11, 2), severity="rendah"),
        "C": make_incident(occurred_on=datetime.date(2026, 11, 22), severity="kritis"),
        "D": make_incident(occurred_on=datetime.date(2026, 11, 15)),
        "E": make_incident(occurred_on=datetime.date(2026, 11, 17), status="draf"),
    }
    when = {"A": at(2026, 11, 16, 0, 0), "B": at(2026, 11, 22, 23, 59), "C": at(2026, 11, 23, 0, 0),
            "D": at(2026, 11, 15, 23, 59), "E": at(2026, 11, 18, 10, 0)}
    for key, incident in made.items():
        Incident.objects.filter(pk=incident.pk).update(reported_at=when[key])
    section = next(s for s in services.weekly_summary_build(WEEK)["sections"] if s["key"] == "insiden")
    figures = [f["value"] for f in section["figures"]]
    assert figures[:3] == [2, 1, 0]  # new, of which late, escalated
    assert figures[3] == 2  # open and high/critical: A (tinggi) and C (kritis), whatever the week
    rows = {r[0]: r for r in section["tables"][0]["rows"]}
    assert rows["Kabupaten Bangka"][1:] == ["1", "0", "0", "1", "0"]
    assert rows["Kabupaten Belitung"][1:] == ["1", "1", "0", "0", "0"]
    assert rows["Jumlah"][1] == "2"
    w48 = next(s for s in services.weekly_summary_build(Week(2026, 48))["sections"] if s["key"] == "insiden")
    assert w48["figures"][0]["value"] == 1
