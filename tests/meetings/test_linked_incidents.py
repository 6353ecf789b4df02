"""Linked incidents on a meeting follow the classification policy (incidents/classification.py): the
agenda tab names to each login only what it may read or what the policy lets a non-reader see, and an
edit by a login that cannot see some linked incidents keeps them."""

import pytest
from django.urls import reverse

from tests.factories import make_incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(db, bangka_meeting):
    incidents = {c: make_incident(region_code="19.01", classification=c, title=f"PENANDA-{c.upper()}-rapat")
                 for c in ("biasa", "terbatas", "rahasia")}
    bangka_meeting.linked_incidents.set(incidents.values())
    return incidents


def _agenda(client, user, meeting):
    client.force_login(user)
    return client.get(reverse("meetings:meeting_detail", args=[meeting.pk]) + "?tab=acara").content.decode()


def test_agenda_tab_per_role(client, bangka_meeting, linked, staf_bangka, staf_provinsi, staf_belitung):
    html = _agenda(client, staf_provinsi, bangka_meeting)
    assert all(f"PENANDA-{c.upper()}-rapat" in html for c in linked)
    html = _agenda(client, staf_bangka, bangka_meeting)
    assert "PENANDA-BIASA-rapat" in html and "PENANDA-TERBATAS-rapat" in html
    assert "PENANDA-RAHASIA-rapat" not in html and linked["rahasia"].reference not in html
    assert "rahasia" not in html.lower().split("insiden yang dibahas")[-1]


def test_non_reader_of_the_meeting_sees_terbatas_as_a_count_only(client, bangka_meeting, linked, pimpinan):
    """An Anggota Tim invited to the meeting but not on the handling team may not read the incidents:
    biasa is named, terbatas counted, rahasia absent."""
    from meetings import services
    from tests.factories import make_user

    member = make_user("Anggota Tim", username="anggota.undangan", region_code="19.71")
    services.invite_people(meeting=bangka_meeting, people=[member.person])
    html = _agenda(client, member, bangka_meeting)
    assert "PENANDA-BIASA-rapat" in html
    assert "PENANDA-TERBATAS-rapat" not in html and linked["terbatas"].reference not in html
    assert "1 insiden berklasifikasi Terbatas" in html
    assert "PENANDA-RAHASIA-rapat" not in html and linked["rahasia"].reference not in html
    assert "Rahasia" not in html.split("Insiden yang dibahas")[-1]


def test_edit_as_served_keeps_the_links_its_editor_cannot_see(client, staf_bangka, linked):
    from meetings.models import Meeting
    from teams.models import Team
    from tests.factories import make_meeting

    meeting = make_meeting(Team.objects.get(region__code="19.01"), days_ahead=3)
    meeting.linked_incidents.set(linked.values())
    client.force_login(staf_bangka)
    url = reverse("meetings:meeting_update", args=[meeting.pk])
    page = client.get(url)
    form = page.context["form"]
    assert "1 insiden lain yang dibahas tidak dapat Anda lihat" in page.content.decode()
    assert linked["rahasia"].reference not in page.content.decode()
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "linked_incidents":
            data[name] = [str(pk) for pk in value]
        elif hasattr(value, "strftime") and name in ("start", "end"):
            data[name] = value.strftime("%Y-%m-%dT%H:%M")
        elif hasattr(value, "pk"):
            data[name] = str(value.pk)
        elif value is not None:
            data[name] = str(value)
    assert set(data["linked_incidents"]) == {str(linked["biasa"].pk), str(linked["terbatas"].pk)}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    kept = set(Meeting.objects.get(pk=meeting.pk).linked_incidents.values_list("classification", flat=True))
    assert kept == {"biasa", "terbatas", "rahasia"}
    data["linked_incidents"] = [str(linked["biasa"].pk)]  # the editor unlinks what it can see
    assert client.post(url, data).status_code == 302
    kept = set(Meeting.objects.get(pk=meeting.pk).linked_incidents.values_list("classification", flat=True))
    assert kept == {"biasa", "rahasia"}
