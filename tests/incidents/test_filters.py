"""The incident list filter on bad input: the new filters of the office layer (reported dates,
several severities, drafts, Status Keadaan Konflik) and date ranges answer with an Indonesian
message and an empty list, or ignore the value, never a server error."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from tests.factories import make_incident

pytestmark = pytest.mark.django_db
LIST = reverse("incidents:incident_list")


@pytest.fixture
def two(staf_provinsi):
    a = make_incident(occurred_on=datetime.date(2026, 11, 20), severity="tinggi")
    b = make_incident(occurred_on=datetime.date(2026, 11, 21), severity="kritis")
    jkt = timezone.get_current_timezone()
    # a: the last minute of Sunday 22 November WIB; b: the first of Monday 23 November WIB.
    Incident.objects.filter(pk=a.pk).update(reported_at=datetime.datetime(2026, 11, 22, 23, 59, tzinfo=jkt))
    Incident.objects.filter(pk=b.pk).update(reported_at=datetime.datetime(2026, 11, 23, 0, 0, tzinfo=jkt))
    return a, b


def total(body: str) -> int:
    found = re.search(r"Menampilkan\s+[\d.]+–[\d.]+\s+dari\s+([\d.]+)", body)
    return int(found.group(1)) if found else 0


def test_reported_dates_are_jakarta_days(client, staf_provinsi, two):
    client.force_login(staf_provinsi)
    get = lambda q: total(client.get(LIST + q).content.decode())  # noqa: E731
    assert get("?dilaporkan_dari=2026-11-23") == 1
    assert get("?dilaporkan_sampai=2026-11-22") == 1
    assert get("?dilaporkan_dari=2026-11-22&dilaporkan_sampai=2026-11-23") == 2
    assert get("?dilaporkan_dari=2026-11-22&dilaporkan_sampai=2026-11-22") == 1


def test_several_severities(client, staf_provinsi, two):
    client.force_login(staf_provinsi)
    assert total(client.get(LIST + "?severity=tinggi&severity=kritis").content.decode()) == 2
    assert total(client.get(LIST + "?severity=kritis").content.decode()) == 1
    assert total(client.get(LIST + "?severity=rendah&severity=sedang").content.decode()) == 0


@pytest.mark.parametrize(("query", "message"), [
    ("?dilaporkan_dari=kemarin", "Masukkan tanggal yang valid"),
    ("?dilaporkan_sampai=2026-02-30", "Masukkan tanggal yang valid"),
    ("?dilaporkan_dari=99999-01-01", "Masukkan tanggal yang valid"),
    ("?dilaporkan_dari=0001-01-01", "Tahun harus antara 1900 dan 2100"),
    ("?date_from=0001-01-01", "Tahun harus antara 1900 dan 2100"),
    ("?date_to=2999-12-31", "Tahun harus antara 1900 dan 2100"),
    ("?dilaporkan_dari=2026-11-30&dilaporkan_sampai=2026-11-01", "Tanggal akhir tidak boleh sebelum tanggal awal"),
    ("?date_from=2026-11-30&date_to=2026-11-01", "Tanggal akhir tidak boleh sebelum tanggal awal"),
    ("?severity=sangat", "Masukkan pilihan yang valid"),
    ("?severity=tinggi&severity=%3Cscript%3E", "Masukkan pilihan yang valid"),
])
def test_bad_values_give_an_indonesian_message_and_an_empty_list(client, staf_provinsi, two, query, message):
    client.force_login(staf_provinsi)
    response = client.get(LIST + query)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and total(body) == 0
    for name in ("incidents:incident_map_data",):
        assert client.get(reverse(name) + query).status_code == 200
    export = client.get(reverse("incidents:incident_export", args=["csv"]) + query)
    assert export.status_code == 200


@pytest.mark.parametrize("query", [
    "?tanpa_draf=abc", "?skk_aktif=99999999999999999999", "?tanpa_draf=&skk_aktif=", "?terbuka=false",
    "?dilaporkan_dari=", "?severity=",
])
def test_odd_flags_are_read_or_ignored(client, staf_provinsi, two, query):
    client.force_login(staf_provinsi)
    assert client.get(LIST + query).status_code == 200
    assert client.get(reverse("incidents:incident_export", args=["xlsx"]) + query).status_code == 200


def test_export_header_names_the_new_filters(staf_provinsi, two):
    from django.http import QueryDict

    from incidents.filters import IncidentFilter

    fs = IncidentFilter(QueryDict("severity=tinggi&severity=kritis&tanpa_draf=1&dilaporkan_dari=2026-11-01"),
                        queryset=Incident.objects.all())
    assert dict(fs.active_filters()) == {"Keparahan": "Tinggi, Kritis", "Dilaporkan dari": "2026-11-01",
                                         "Tanpa draf": "ya"}
