"""Action-plan reminders against a real SMTP server on loopback (aiosmtpd): sent once per institution
and reminder, skipped without an address, retried when SMTP is down."""

import datetime
import email
import email.policy
import socket
from decimal import Decimal

import pytest
from aiosmtpd.controller import Controller
from celery.schedules import crontab
from django.conf import settings as django_settings

from teams import services
from teams.models import PlanReminderLog
from teams.tasks import action_plan_reminders_send
from tests.factories import InstitutionFactory, PersonFactory, make_member, make_team
from tests.teams.test_plans import make_plan

pytestmark = pytest.mark.django_db
D = Decimal
# B04 2026 is due 10 May 2026 (30 April + 10 days): H-14 is 26 April, H-3 is 7 May.
H14 = datetime.date(2026, 4, 26)
H3 = datetime.date(2026, 5, 7)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collector:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp(settings):
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield collector
    controller.stop()


@pytest.fixture
def setup(db):
    """A Bangka plan for 2026. Polres: two active members with email (and one ended); Kodim: nobody on the
    team, but an institution email; Kejari: no email anywhere. One Polres activity is already reported."""
    team = make_team("19.01")
    polres = InstitutionFactory(name="Kepolisian Resor Bangka", short_name="Polres Bangka")
    kodim = InstitutionFactory(name="Kodim 0413/Bangka", short_name="Kodim 0413", email="kodim0413@example.go.id")
    kejari = InstitutionFactory(name="Kejaksaan Negeri Bangka", short_name="Kejari Bangka")
    make_member(team, person=PersonFactory(institution=polres, region=team.region, email="kasat@polres.example"))
    make_member(team, person=PersonFactory(institution=polres, region=team.region, email="kanit@polres.example"))
    PersonFactory(institution=polres, region=team.region, email="bukan.anggota@polres.example")
    ended = make_member(team, person=PersonFactory(institution=polres, region=team.region, email="lama@polres.example"))
    services.membership_end(membership=ended, end_date=datetime.date(2025, 6, 1))
    make_member(team, person=PersonFactory(institution=kejari, region=team.region, email=""))
    plan = make_plan(team=team)

    def add(name, institution):
        return services.activity_create(plan=plan, phase="pencegahan", name=name, unit="kali",
                                        responsible_institution=institution,
                                        targets={"B04": D(1), "B08": D(1), "B12": D(1)})

    add("Patroli dialogis", polres)
    add("Penggalangan tokoh masyarakat", polres)
    reported = add("Pengamanan Rakor", polres)
    services.realisation_record(activity_period=reported.periods.get(period="B04"), realisation=D(1), narrative="",
                                user=None)
    add("Apel siaga", kodim)
    add("Penyuluhan hukum", kejari)
    make_plan("19.02", year=2025, activities=1)  # last year's plan: not due in April 2026
    return {"plan": plan, "polres": polres, "kodim": kodim, "kejari": kejari}


def by_recipient(messages):
    return {tuple(sorted(m["To"].addresses[i].addr_spec for i in range(len(m["To"].addresses)))): m
            for m in messages}


def test_reminders_sent_once_per_institution_even_when_run_twice(smtp, setup, caplog):
    first = services.plan_reminders_send(today=H14)
    second = services.plan_reminders_send(today=H14)
    assert (first.sent, first.skipped_no_email) == (2, 1)
    assert (second.sent, second.already_sent) == (0, 2)
    assert len(smtp.messages) == 2
    mails = by_recipient(smtp.messages)
    assert set(mails) == {("kanit@polres.example", "kasat@polres.example"), ("kodim0413@example.go.id",)}
    polres_mail = mails[("kanit@polres.example", "kasat@polres.example")]
    assert polres_mail["From"] == django_settings.DEFAULT_FROM_EMAIL or "Kesbang" in polres_mail["From"]
    subject = polres_mail["Subject"]
    assert "Pengingat" in subject and "B04" in subject and "H-14" in subject
    text = polres_mail.get_body(("plain",)).get_content()
    html = polres_mail.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Patroli dialogis" in body and "Penggalangan tokoh masyarakat" in body
        assert "Pengamanan Rakor" not in body and "Apel siaga" not in body
        assert "10 Mei 2026" in body
        assert f"{django_settings.SITE_URL}/tim/rencana-aksi/{setup['plan'].pk}/" in body
    logs = PlanReminderLog.objects.order_by("institution__name")
    assert [(log.institution, log.period, log.days_before) for log in logs] == [
        (setup["polres"], "B04", 14), (setup["kodim"], "B04", 14)]
    assert "kanit@polres.example" in logs[0].recipient
    assert "Kejaksaan Negeri Bangka" in caplog.text or "Kejari Bangka" in caplog.text


def test_h3_is_a_separate_reminder_and_other_days_send_nothing(smtp, setup):
    services.plan_reminders_send(today=H14)
    assert services.plan_reminders_send(today=H14 + datetime.timedelta(days=1)).sent == 0
    assert services.plan_reminders_send(today=H3).sent == 2
    assert len(smtp.messages) == 4
    assert PlanReminderLog.objects.filter(days_before=3).count() == 2


def test_reported_activities_are_not_reminded(smtp, setup):
    for activity in setup["plan"].activities.filter(responsible_institution=setup["kodim"]):
        services.realisation_record(activity_period=activity.periods.get(period="B04"), realisation=D(0),
                                    narrative="Tidak terlaksana", user=None)
    assert services.plan_reminders_send(today=H14).sent == 1
    assert not PlanReminderLog.objects.filter(institution=setup["kodim"]).exists()


def test_b12_reminder_in_january_covers_last_years_plan(smtp, setup):
    result = services.plan_reminders_send(today=datetime.date(2027, 1, 7))  # B12 2026 due 10 January 2027
    assert result.sent == 2
    assert set(PlanReminderLog.objects.values_list("period", "days_before")) == {("B12", 3)}


def test_smtp_down_leaves_no_log_so_the_next_run_retries(settings, setup):
    use_smtp(settings, free_port())  # nothing listens there: connection refused
    with pytest.raises(services.ReminderDeliveryError):
        services.plan_reminders_send(today=H14)
    assert not PlanReminderLog.objects.filter(status=PlanReminderLog.Status.SENT).exists()
    assert set(PlanReminderLog.objects.values_list("attempts", flat=True)) == {1}

    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        use_smtp(settings, controller.port)
        assert services.plan_reminders_send(today=H14).sent == 2
    finally:
        controller.stop()
    assert len(collector.messages) == 2 and PlanReminderLog.objects.count() == 2


def test_task_runs_twice_and_sends_once(smtp, setup):
    first = action_plan_reminders_send.apply(kwargs={"today": H14.isoformat()})
    second = action_plan_reminders_send.apply(kwargs={"today": H14.isoformat()})
    assert first.successful() and second.successful()
    assert first.get()["sent"] == 2 and second.get() == {"sent": 0, "already_sent": 2, "skipped_no_email": 1,
                                                          "failed": []}
    assert len(smtp.messages) == 2 and PlanReminderLog.objects.count() == 2


def test_task_contract_and_beat_schedule():
    assert action_plan_reminders_send.name == "teams.tasks.action_plan_reminders_send"
    assert action_plan_reminders_send.time_limit and action_plan_reminders_send.soft_time_limit
    assert action_plan_reminders_send.retry_backoff and action_plan_reminders_send.max_retries
    assert any(issubclass(services.ReminderDeliveryError, e) for e in action_plan_reminders_send.autoretry_for)
    entries = [e for e in django_settings.CELERY_BEAT_SCHEDULE.values()
               if e["task"] == "teams.tasks.action_plan_reminders_send"]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert isinstance(schedule, crontab) and schedule.hour == {7} and schedule.minute == {0}
    assert django_settings.CELERY_TIMEZONE == "Asia/Jakarta"


def test_a_missed_beat_day_is_caught_up_the_next_day_once(smtp, setup):
    """Beat down on H-14: the H-14 reminder goes out on H-13 (saying 13 days), once; H-15 sends nothing."""
    assert services.plan_reminders_send(today=H14 - datetime.timedelta(days=1)).sent == 0
    late = services.plan_reminders_send(today=H14 + datetime.timedelta(days=1))
    assert late.sent == 2
    assert set(PlanReminderLog.objects.values_list("days_before", flat=True)) == {14}
    assert "13 hari lagi" in smtp.messages[0].get_body(("plain",)).get_content()
    assert services.plan_reminders_send(today=H14 + datetime.timedelta(days=2)).sent == 0
    assert len(smtp.messages) == 2
