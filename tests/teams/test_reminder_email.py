"""Reminder emails: plain-text output (subject, text part) that must not be HTML-escaped."""

import datetime

import pytest
from django.core import mail

from teams import services
from tests.factories import InstitutionFactory, make_team
from tests.teams.test_plans import make_plan

pytestmark = pytest.mark.django_db


def test_plan_reminder_text_and_subject_are_not_html_escaped(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    team = make_team("19.01", name="Tim Terpadu PKS Bangka & Sekitarnya")
    institution = InstitutionFactory(name="Dinas Komunikasi & Informatika", short_name="Diskominfo",
                                     email="diskominfo@example.go.id")
    make_plan(team=team, activities=1, institution=institution)
    # B04 2026 is due 10 May 2026: 26 April is H-14.
    result = services.plan_reminders_send(today=datetime.date(2026, 4, 26))
    assert result.sent == 1
    message = mail.outbox[0]
    assert "Bangka & Sekitarnya" in message.subject and "&amp;" not in message.subject
    assert "Dinas Komunikasi & Informatika" in message.body and "&amp;" not in message.body
    html = message.alternatives[0][0]
    assert "Dinas Komunikasi &amp; Informatika" in html  # the HTML part stays escaped
