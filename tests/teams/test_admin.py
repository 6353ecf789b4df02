"""The admin writes memberships through the services (team status, date window, one seat)."""


import datetime

import pytest
from django.urls import reverse

from teams import services
from teams.models import Membership
from tests.factories import PersonFactory, make_team

pytestmark = pytest.mark.django_db


def _admin_add(client, team, person, start):
    return client.post(reverse("admin:teams_membership_add"), {
        "team": team.pk, "person": person.pk, "role": "anggota", "start_date": start.isoformat(),
        "decree_number": "", "end_date": "", "end_reason": "",
    })


def test_membership_admin_refuses_an_ended_team_and_a_date_outside_the_period(client, admin_user):
    client.force_login(admin_user)
    team = make_team("19.01", start=datetime.date(2025, 1, 1))
    person = PersonFactory(region=team.region)
    response = _admin_add(client, team, person, datetime.date(2024, 6, 1))
    assert response.status_code == 200
    assert "sebelum masa tugas tim dimulai" in response.content.decode()
    services.team_end(team=team, end_date=datetime.date(2025, 12, 31))
    response = _admin_add(client, team, person, datetime.date(2025, 6, 1))
    assert response.status_code == 200 and "sudah berakhir" in response.content.decode()
    assert not Membership.objects.filter(person=person).exists()


def test_membership_admin_adds_and_ends_through_the_services(client, admin_user):
    client.force_login(admin_user)
    team = make_team("19.01", start=datetime.date(2025, 1, 1))
    person = PersonFactory(region=team.region)
    response = _admin_add(client, team, person, datetime.date(2025, 3, 1))
    assert response.status_code == 302, response.context["adminform"].form.errors
    membership = Membership.objects.get(person=person)
    response = client.post(reverse("admin:teams_membership_change", args=[membership.pk]), {
        "end_date": "2024-01-01", "end_reason": "salah",
    })
    assert response.status_code == 200, response.status_code
    assert "sebelum tanggal mulai" in str(response.context["adminform"].form.errors)
    response = client.post(reverse("admin:teams_membership_change", args=[membership.pk]), {
        "end_date": "2025-09-30", "end_reason": "Mutasi",
    })
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2025, 9, 30) and membership.end_reason == "Mutasi"
