"""The office pages on the core view bases (issue 14): the weekly summary's permissions
(``office.view_weeklysummary`` reads the preview, ``office.send_weeklysummary`` sends), the report
archive's filters (django-filter + ``ListTableView``; bad input is a message, never a 500), report
objects through ``Report.objects.restrict`` and the dashboard's refusal of a login without a role."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PREVIEW = "/laporan/ringkasan-mingguan/"
SEND = "/laporan/ringkasan-mingguan/kirim/"


@pytest.fixture
def administrator(db):
    """The Administrator role without superuser status: its rights come from the role matrix."""
    return make_user("Administrator", username="admin.peran", region_code="19")


@pytest.fixture
def queued(monkeypatch):
    """The weekly sender tasks enqueued (after commit), instead of a worker."""
    from kesbang.office.tasks import weekly_summary_send

    calls = []
    monkeypatch.setattr(weekly_summary_send, "delay", lambda delivery_id: calls.append(delivery_id))
    return calls


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def _texts(response) -> list[str]:
    return [text for _level, text in _messages(response)]


# --- Weekly summary --------------------------------------------------------------------------------


def test_the_administrator_role_reads_and_sends_by_permission(client, administrator, queued,
                                                              django_capture_on_commit_callbacks):
    from kesbang.office.models import Recipient
    from kesbang.office.weekly import services

    Recipient.objects.create(email="gubernur@example.go.id")
    assert administrator.has_perm("office.view_weeklysummary") and administrator.has_perm("office.send_weeklysummary")
    client.force_login(administrator)
    page = client.get(PREVIEW + "?minggu=2026-W47")
    assert page.status_code == 200 and 'id="weekly-send"' in page.content.decode()
    assert client.get("/laporan/").context["can_weekly"] is True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SEND, {"minggu": "2026-W47"})
    assert response.status_code == 302 and response["Location"] == PREVIEW + "?minggu=2026-W47"
    assert len(queued) == 1 and [level for level, _text in _messages(response)] == ["success"]
    services.weekly_summary_send(delivery_id=queued[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SEND, {"minggu": "2026-W47"})
    assert len(queued) == 1  # sent once: nothing queued again, and said so as information
    # (the first post's message was not shown in between: still there, first)
    assert _messages(response)[1:] == [("info", "Ringkasan 2026-W47 sudah terkirim ke semua penerima.")]


@pytest.mark.parametrize("who", ["staf_provinsi", "pimpinan", "staf_bangka", "anggota_tim", "no_role_user"])
def test_other_roles_are_refused_before_anything_is_read(client, request, who):
    client.force_login(request.getfixturevalue(who))
    for url in (PREVIEW, PREVIEW + "surel.html"):
        assert client.get(url).status_code == 403, url
    assert client.post(SEND, {"minggu": "2026-W47"}).status_code == 403


@pytest.mark.parametrize("who", ["staf_provinsi", "pimpinan", "staf_bangka"])
def test_the_archive_links_the_weekly_summary_only_for_its_readers(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get("/laporan/")
    assert response.context["can_weekly"] is False and PREVIEW not in response.content.decode()


def test_reading_the_preview_does_not_give_sending(client, staf_provinsi, queued):
    """``view_weeklysummary`` alone (granted directly here): the preview without the button, and a
    POST refused."""
    staf_provinsi.user_permissions.add(Permission.objects.get(codename="view_weeklysummary"))
    client.force_login(staf_provinsi)
    page = client.get(PREVIEW + "?minggu=2026-W47")
    assert page.status_code == 200 and 'id="weekly-send"' not in page.content.decode()
    assert client.post(SEND, {"minggu": "2026-W47"}).status_code == 403
    assert not queued


def test_sending_a_bad_week_is_a_message_and_sends_nothing(client, administrator, queued):
    client.force_login(administrator)
    response = client.post(SEND, {"minggu": "2026-W99"})
    assert response.status_code == 302 and response["Location"] == PREVIEW
    assert any("tidak memiliki minggu ke-99" in text for text in _texts(response))
    assert not queued


def test_get_on_send_is_not_allowed(client, administrator):
    client.force_login(administrator)
    assert client.get(SEND).status_code == 405
