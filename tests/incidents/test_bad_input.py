"""Bad input found in the outside review of the incidents pages (each was a real defect): every case
answers with a clear Indonesian message or a 4xx, never a 500 and never a silent wrong answer."""

import datetime
import uuid

import pytest
from django.urls import reverse

from incidents.models import Incident
from tests.factories import make_incident
from tests.incidents.test_views import form_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["pdf", "CSV", "xls", "x" * 300])
def test_unknown_export_format_is_404_not_an_xlsx(client, staf_provinsi, fmt):
    # ekspor.pdf used to answer 200 with an .xlsx body under a .pdf name.
    make_incident()
    client.force_login(staf_provinsi)
    assert client.get(reverse("incidents:incident_export", args=[fmt])).status_code == 404
    assert client.get(reverse("incidents:incident_export", args=["csv"])).status_code == 200


def test_reversed_date_range_is_said_not_an_empty_list(client, staf_provinsi):
    make_incident(occurred_on=datetime.date(2026, 3, 2))
    client.force_login(staf_provinsi)
    query = "?date_from=2026-05-01&date_to=2026-01-01"
    html = client.get(reverse("incidents:incident_list") + query).content.decode()
    assert "Tanggal akhir tidak boleh sebelum tanggal awal (2026-05-01)." in html
    assert client.get(reverse("incidents:incident_map_data") + query).json()["regions"] == {}
    # The same day at both ends is a valid one-day range.
    html = client.get(reverse("incidents:incident_list") + "?date_from=2026-03-02&date_to=2026-03-02").content.decode()
    assert "Tanggal akhir tidak boleh" not in html and "Sengketa lahan tambang timah" in html


@pytest.mark.parametrize("field, value", [("client_key", "bukan-uuid"), ("version", "0"), ("version", "abc")])
def test_tampered_hidden_field_is_explained_at_the_top(client, staf_bangka, field, value):
    # A bad hidden value made the form say "check the fields marked red" with nothing marked red.
    client.force_login(staf_bangka)
    response = client.post(reverse("incidents:incident_create"), form_post(**{field: value}))
    assert response.status_code == 200
    assert "Formulir ini tidak utuh" in response.content.decode()
    assert not Incident.objects.exists()
    # A good key still reports.
    response = client.post(reverse("incidents:incident_create"), form_post(client_key=str(uuid.uuid4())))
    assert response.status_code == 302 and Incident.objects.count() == 1


def test_overlong_rejection_reason_is_refused_not_cut_short(client, staf_provinsi):
    # The view cut the reason to 2,000 characters and saved the stump: the rest was lost unseen.
    incident = make_incident(status="dilaporkan")
    client.force_login(staf_provinsi)
    url = reverse("incidents:incident_transition", args=[incident.pk, "reject"])
    response = client.post(url, {"reason": "x" * 2001}, follow=True)
    incident.refresh_from_db()
    assert incident.status == "dilaporkan" and incident.rejection_reason == ""
    assert "Alasan penolakan terlalu panjang: 2001 karakter, paling banyak 2000." in response.content.decode()
    client.post(url, {"reason": "y" * 2000})
    incident.refresh_from_db()
    assert incident.status == "ditolak" and incident.rejection_reason == "y" * 2000
