"""Every read endpoint answers on the demo data for a province-wide login (a quick canary)."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

LISTS = ["regions", "institutions", "teams", "people", "action-plans", "incidents", "meetings", "action-items",
         "reports"]


def test_every_list_and_first_detail_answers(demo, api_as):
    client = api_as(get_user_model().objects.get(username="staf.provinsi"))
    for name in LISTS:
        response = client.get(f"/api/v1/{name}/?page_size=3")
        assert response.status_code == 200, (name, response.content[:500])
        body = response.json()
        assert set(body) == {"next", "results"}
        if body["results"]:
            first = body["results"][0]["id"]
            detail = client.get(f"/api/v1/{name}/{first}/")
            assert detail.status_code == 200, (name, detail.content[:500])
        if body["next"]:
            more = client.get(body["next"])
            assert more.status_code == 200, (name, more.content[:300])
            assert {r["id"] for r in more.json()["results"]}.isdisjoint({r["id"] for r in body["results"]})
