"""An Anggota Tim reads a team only while their membership is current (issue 6)."""

import datetime

import pytest
from django.urls import reverse

from teams import services
from teams.services.plans import plan_create
from tests.factories import make_member, make_team


@pytest.mark.django_db
def test_anggota_tim_stops_reading_a_team_when_their_membership_ends(client, anggota_tim):
    team = make_team("19.71")
    membership = make_member(team, person=anggota_tim.person)
    plan = plan_create(team=team, year=2025)
    client.force_login(anggota_tim)
    urls = [reverse("teams:team_detail", args=[team.pk]), reverse("teams:plan_detail", args=[plan.pk])]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert team.name in client.get(reverse("teams:team_list")).content.decode()

    services.membership_end(membership=membership, end_date=datetime.date(2025, 6, 30))

    for url in urls:
        assert client.get(url).status_code == 404, url
    assert team.name not in client.get(reverse("teams:team_list")).content.decode()
