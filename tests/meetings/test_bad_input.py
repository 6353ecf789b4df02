"""Bad input at the meetings forms and endpoints: a clear Indonesian message or a 4xx, never a 500, never
a stored value that breaks the pages afterwards."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem, Meeting
from tests.factories import make_meeting, make_team

pytestmark = pytest.mark.django_db


def meeting_data(meeting, **changes):
    start = timezone.localtime(meeting.start)
    return {"title": meeting.title, "kind": meeting.kind, "team": meeting.team_id,
            "start": f"{start:%Y-%m-%dT%H:%M}", "end": f"{timezone.localtime(meeting.end):%Y-%m-%dT%H:%M}",
            "venue": meeting.venue, "venue_city": meeting.venue_city or "Pangkalpinang", **changes}


@pytest.mark.parametrize("start", ["0001-01-01T00:00", "9999-12-31T22:00", "1899-12-31T09:00"])
def test_far_years_refused_and_meeting_still_readable(client, staf_bangka, bangka_meeting, start):
    """Year 1 at 00:00 WIB is year 0 in UTC: it was stored, and then psycopg could not read the meeting
    back, so its detail, the RSVP link and its action items all answered 500 from then on."""
    client.force_login(staf_bangka)
    before = Meeting.objects.values_list("start", "end").get(pk=bangka_meeting.pk)
    url = reverse("meetings:meeting_update", args=[bangka_meeting.pk])
    response = client.post(url, meeting_data(bangka_meeting, start=start))
    assert response.status_code == 200
    assert "Tahun harus di antara 1900 dan 2100." in response.content.decode()
    assert Meeting.objects.values_list("start", "end").get(pk=bangka_meeting.pk) == before
    assert client.get(bangka_meeting.get_absolute_url()).status_code == 200
    response = client.post(reverse("meetings:meeting_create"), meeting_data(bangka_meeting, title="Baru", start=start))
    assert response.status_code == 200 and Meeting.objects.filter(title="Baru").count() == 0


def test_far_letter_date_refused(client, staf_bangka, bangka_meeting):
    client.force_login(staf_bangka)
    url = reverse("meetings:meeting_update", args=[bangka_meeting.pk])
    response = client.post(url, meeting_data(bangka_meeting, letter_date="0001-01-01"))
    assert response.status_code == 200 and "Tahun harus di antara 1900 dan 2100." in response.content.decode()


def test_far_action_item_due_date_refused(client, staf_bangka, bangka_meeting):
    client.force_login(staf_bangka)
    chair = bangka_meeting.chair
    url = reverse("meetings:meeting_minutes", args=[bangka_meeting.pk])
    count = ActionItem.objects.count()
    for due in ("0001-01-01", "9999-12-31"):
        response = client.post(url, {"which": "tl", "tl-description": "Pemetaan", "tl-owner_person": chair.pk,
                                     "tl-due_date": due}, follow=True)
        assert response.status_code == 200
        assert "Tahun harus di antara 1900 dan 2100." in response.content.decode()
    assert ActionItem.objects.count() == count
    assert client.get(reverse("meetings:action_items_overdue")).status_code == 200


@pytest.mark.parametrize("month", ["99999999999999999999-1", "2026-99999999999999999999", "0-0", "2026-13"])
def test_calendar_oversized_month_is_a_message_not_a_500(client, staf_provinsi, month):
    """``datetime.date()`` raises OverflowError (not ValueError) for a number beyond a C long."""
    client.force_login(staf_provinsi)
    make_meeting(make_team("19"))
    response = client.get(reverse("meetings:meeting_calendar") + f"?bulan={month}", follow=True)
    assert response.status_code == 200
    assert "Bulan tidak sah; menampilkan bulan ini." in response.content.decode()
    assert f"{timezone.localdate():%Y-%m}" in response.content.decode()


def test_oversized_ids_in_urls_and_fields_are_4xx(client, staf_bangka, bangka_meeting):
    client.force_login(staf_bangka)
    big = "99999999999999999999"
    for path in (f"/rapat/{big}/", f"/rapat/{big}/laporan.pdf", f"/rapat/tindak-lanjut/{big}/",
                 f"/rapat/dokumen/{big}/", f"/rapat/{bangka_meeting.pk}/surat-undangan.pdf?undangan={big}"):
        assert client.get(path).status_code == 404, path
    checkin = reverse("meetings:meeting_checkin", args=[bangka_meeting.pk])
    assert client.post(checkin, {"invitation": big, "status": "hadir"}).status_code in (302, 404)
    invite = reverse("meetings:meeting_invite", args=[bangka_meeting.pk])
    response = client.post(invite, {"which": "orang", "orang-people": [big]})
    assert response.status_code == 200
    assert client.post(invite, {"which": "tim", "tim-team": big}).status_code == 200
    assert client.get(reverse("meetings:meeting_list") + f"?team={big}&page={big}").status_code == 200


def test_double_submitted_walk_in_and_guest_count_once(client, staf_bangka, bangka_meeting):
    """A double-clicked "Catat hadir" on the tablet counted the walk-in twice ("diikuti 33 orang" untrue)."""
    from meetings.models import Invitation
    from meetings.selectors import meeting_headcount

    client.force_login(staf_bangka)
    checkin = reverse("meetings:meeting_checkin", args=[bangka_meeting.pk])
    data = {"walk_in": "1", "tamu-name": "Kepala Kesbangpol Kota Pangkalpinang", "tamu-institution": "Pemkot"}
    assert client.post(checkin, data).status_code == 302
    before = meeting_headcount(bangka_meeting)
    response = client.post(checkin, {**data, "tamu-name": " kepala kesbangpol kota pangkalpinang "})
    assert response.status_code == 200
    assert "Tamu dengan nama dan instansi ini sudah terdaftar di rapat ini." in response.content.decode()
    assert meeting_headcount(bangka_meeting) == before
    invite = reverse("meetings:meeting_invite", args=[bangka_meeting.pk])
    guest = {"which": "tamu", "tamu-name": "Asisten Intel Kajati", "tamu-institution": "Kejati Babel"}
    response = client.post(invite, guest)  # already invited by the fixture
    assert response.status_code == 200 and "sudah terdaftar" in response.content.decode()
    assert Invitation.objects.filter(meeting=bangka_meeting, guest_name="Asisten Intel Kajati").count() == 1
