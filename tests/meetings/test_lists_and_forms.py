"""The meeting lists on the core list piece (FilterSet + ListTable + pager) and the multi-form pages
(minutes, check-in) on ``MultiFormView``."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import ActionItem, Meeting, Resolution
from tests.factories import make_meeting, make_team

pytestmark = pytest.mark.django_db


def test_meeting_list_filters_through_the_filter_set(client, staf_provinsi, bangka_meeting):
    client.force_login(staf_provinsi)
    other = make_meeting(bangka_meeting.team, days_ahead=3, title="Rapat teknis lain")
    services.meeting_cancel(meeting=other, reason="Ditunda")
    url = reverse("meetings:meeting_list")
    page = client.get(url).content.decode()
    assert bangka_meeting.title in page and "Rapat teknis lain" in page
    page = client.get(url + "?status=dibatalkan").content.decode()
    assert "Rapat teknis lain" in page and bangka_meeting.title not in page
    day = timezone.localdate(bangka_meeting.start)
    page = client.get(url + f"?date_from={day}&date_to={day}").content.decode()
    assert bangka_meeting.title in page and "Rapat teknis lain" not in page
    # an invalid filter is shown with its message and ignored; the valid ones still apply
    page = client.get(url + "?status=dibatalkan&date_to=9999-12-31").content.decode()
    assert "Tanggal harus di antara tahun 1900 dan 2100." in page and "Rapat teknis lain" in page
    assert bangka_meeting.title not in page
    assert "Tidak ada rapat yang cocok dengan filter." in client.get(url + "?kind=monitoring").content.decode()


def test_meeting_list_empty_text_and_paging_is_not_a_filter(client, staf_provinsi):
    client.force_login(staf_provinsi)
    page = client.get(reverse("meetings:meeting_list") + "?page=3&sort=-start").content.decode()
    assert "Belum ada rapat." in page


def test_meeting_list_pages_and_sorts(client, staf_provinsi):
    client.force_login(staf_provinsi)
    team = make_team("19")
    for i in range(12):
        make_meeting(team, days_ahead=i + 1, title=f"Rapat ke-{i:02d}")
    url = reverse("meetings:meeting_list")
    page = client.get(url + "?per_page=10").content.decode()
    assert "Rapat ke-11" in page and "Rapat ke-01" not in page and "dari 12" in page
    page = client.get(url + "?per_page=10&page=2").content.decode()
    assert "Rapat ke-01" in page and "Rapat ke-11" not in page
    page = client.get(url + "?per_page=10&sort=title").content.decode()
    assert "Rapat ke-00" in page and "Rapat ke-11" not in page


def test_action_item_lists_mark_late_items(client, staf_provinsi, bangka_meeting):
    client.force_login(staf_provinsi)
    ActionItem.objects.create(meeting=bangka_meeting, description="Laporan terlambat",
                              owner_person=staf_provinsi.person,
                              due_date=timezone.localdate() - datetime.timedelta(days=2))
    for name in ("action_items_mine", "action_items_overdue"):
        page = client.get(reverse(f"meetings:{name}")).content.decode()
        assert "Laporan terlambat" in page and "Terlambat" in page, name
    ActionItem.objects.all().delete()
    assert "Tidak ada tindak lanjut yang terlambat." in client.get(
        reverse("meetings:action_items_overdue")).content.decode()
    assert "Tidak ada tindak lanjut atas nama Anda." in client.get(
        reverse("meetings:action_items_mine")).content.decode()


def test_minutes_page_forms_and_resolution_delete(client, staf_provinsi, bangka_meeting):
    client.force_login(staf_provinsi)
    url = reverse("meetings:meeting_minutes", args=[bangka_meeting.pk])
    response = client.post(url, {"which": "rumusan", "rumusan-kind": "rumusan", "rumusan-text": "Patroli bersama"})
    assert response.status_code == 302 and response["Location"] == url + "#rumusan"
    added = Resolution.objects.get(text="Patroli bersama")
    response = client.post(url, {"which": "rumusan", "rumusan-kind": "rumusan", "rumusan-text": ""})
    assert response.status_code == 200 and response.context["resolution_form"].errors
    assert not response.context["minutes_form"].is_bound
    assert client.post(url, {"which": "hapus-rumusan", "resolution": "999999"}).status_code == 404
    assert client.post(url, {"which": "hapus-rumusan", "resolution": "x"}).status_code == 404
    response = client.post(url, {"which": "hapus-rumusan", "resolution": added.pk}, follow=True)
    assert "Rumusan dihapus." in response.content.decode()
    assert not Resolution.objects.filter(pk=added.pk).exists()
    response = client.post(url, {"which": "zzz"}, follow=True)
    assert "Formulir tidak dikenal." in response.content.decode()


def test_checkin_row_errors_are_messages_at_the_row(client, staf_provinsi, bangka_meeting):
    client.force_login(staf_provinsi)
    url = reverse("meetings:meeting_checkin", args=[bangka_meeting.pk])
    guest = bangka_meeting.invitations.get(guest_name="Asisten Intel Kajati")
    response = client.post(url, {"invitation": guest.pk, "status": "diwakili"})
    assert response.status_code == 302 and response["Location"] == url + f"#undangan-{guest.pk}"
    page = client.get(url).content.decode()
    assert "Asisten Intel Kajati: Sebutkan nama yang mewakili." in page
    response = client.post(url, {"invitation": "999999", "status": "hadir"}, follow=True)
    assert "Undangan tidak ditemukan." in response.content.decode()
    response = client.post(url, {"walk_in": "1", "tamu-name": ""})
    assert response.status_code == 200 and response.context["walk_in_form"].errors
    services.meeting_cancel(meeting=Meeting.objects.get(pk=bangka_meeting.pk), reason="Batal")
    response = client.post(url, {"invitation": guest.pk, "status": "hadir"}, follow=True)
    assert response.status_code == 200 and "Kehadiran Asisten Intel Kajati dicatat." not in response.content.decode()
