"""Reminders: nothing for a zero target, and a run whose queries do not grow per (plan, institution)."""


import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teams import services
from teams.models import PlanReminderLog
from tests.factories import InstitutionFactory, make_team

pytestmark = pytest.mark.django_db
D = Decimal
H14 = datetime.date(2026, 4, 26)  # B04 2026 is due 10 May 2026


@pytest.fixture
def mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _plan_with_institutions(count: int, *, targets=None, region_code="19.01"):
    team = make_team(region_code)
    plan = services.plan_create(team=team, year=2026)
    for n in range(count):
        institution = InstitutionFactory(email=f"instansi{n}@example.go.id")
        services.activity_create(plan=plan, phase="pencegahan", name=f"Kegiatan {n}",
                                 responsible_institution=institution, targets=targets or {"B04": D(1)})
    return plan


def test_no_reminder_for_a_period_whose_target_is_zero(mail):
    from django.core import mail as outbox

    _plan_with_institutions(1, targets={"B04": D(0), "B08": D(2)})
    result = services.plan_reminders_send(today=H14)
    assert result.sent == 0 and not outbox.outbox
    assert not PlanReminderLog.objects.exists()


def test_reminder_run_queries_do_not_grow_with_groups(mail):
    small = _plan_with_institutions(2)
    services.plan_reminders_send(today=H14)  # everything sent once
    with CaptureQueriesContext(connection) as few:
        assert services.plan_reminders_send(today=H14).already_sent == 2
    _plan_with_institutions(4, targets={"B04": D(1)}, region_code="19.02")
    services.plan_reminders_send(today=H14)
    with CaptureQueriesContext(connection) as many:
        assert services.plan_reminders_send(today=H14).already_sent == 6
    assert len(few.captured_queries) == len(many.captured_queries) <= 6
    assert small.reminders.filter(status=PlanReminderLog.Status.SENT).count() == 2
