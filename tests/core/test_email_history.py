import datetime

import pytest
from django.core import mail

from kesbang.core.email import absolute_url, send_email
from kesbang.core.history import HistorySpec, change_log


def test_absolute_url(settings):
    settings.SITE_URL = "https://kesbang.example.go.id"
    assert absolute_url("/tim/1/") == "https://kesbang.example.go.id/tim/1/"


def test_send_email_sends_html_and_text(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    template_dir = tmp_path / "tpl"
    (template_dir / "emails").mkdir(parents=True)
    (template_dir / "emails" / "uji.txt").write_text("Halo {{ name }}")
    (template_dir / "emails" / "uji.html").write_text(
        '{% extends "emails/base.html" %}{% block content %}<p>Halo {{ name }}</p>{% endblock %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}]
    send_email(to=["a@example.go.id"], subject="Uji\n surel", template="uji", context={"name": "Budi"},
               attachments=[("a.txt", b"1", "text/plain")])
    message = mail.outbox[0]
    assert message.subject == "Uji surel"
    assert message.body == "Halo Budi"
    html = message.alternatives[0][0]
    assert "<p>Halo Budi</p>" in html and "Mohon tidak membalas" in html
    assert message.attachments[0][0] == "a.txt"


@pytest.mark.django_db
def test_change_log_lists_changes_with_labels_and_constant_queries(django_assert_max_num_queries):
    from teams import services
    from tests.factories import make_team

    team = make_team("19.01")
    for n in range(3):
        services.team_update(team=team, decree_number=f"SK/{n}")
    services.team_update(team=team, period_end=datetime.date(2029, 12, 31))
    spec = HistorySpec(exclude=("created_at", "level"), labels={"decree_number": "Nomor SK"})
    with django_assert_max_num_queries(2):
        entries = change_log(team.history.all(), spec)
    assert entries[-1].action == "dibuat"
    assert entries[0].changes[0].field == "masa tugas berakhir"
    assert entries[0].changes[0].new == "31 Desember 2029"
    assert entries[1].changes[0].field == "Nomor SK"
    assert entries[1].changes[0].old == "SK/1" and entries[1].changes[0].new == "SK/2"
