"""The national package's pages and the webhook admin: who may do what, Indonesian messages, the
secret shown once, constant queries."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kesbang.integrations import package as services
from kesbang.integrations.models import NationalPackage, WebhookDelivery, WebhookEndpoint
from tests.conftest import own_callbacks
from tests.factories import NationalPackageFactory, WebhookDeliveryFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pimpinan(db):
    return make_user("Pimpinan", username="paket.pimpinan")


@pytest.fixture
def built(staf_provinsi):
    package = services.package_request(kind="caturwulan", period="2026-B08", user=staf_provinsi, enqueue=False)
    return services.package_build(package_id=package.pk)


def test_list_and_request_form(client, staf_provinsi, pimpinan, built):
    client.force_login(staf_provinsi)
    page = client.get(reverse("integrations:package_list")).content.decode()
    assert "Paket Pengiriman Nasional" in page and "2026-B08" in page and 'id="package-submit"' in page
    assert reverse("integrations:package_download", args=[built.pk]) in page
    client.force_login(pimpinan)
    page = client.get(reverse("integrations:package_list")).content.decode()
    assert "2026-B08" in page and 'id="package-submit"' not in page  # reads, does not request
    assert client.get(reverse("integrations:package_request")).status_code == 403


def test_the_report_list_links_to_the_packages(client, staf_provinsi, staf_bangka):
    client.force_login(staf_provinsi)
    assert reverse("integrations:package_list") in client.get(reverse("reports:report_list")).content.decode()
    client.force_login(staf_bangka)
    assert reverse("integrations:package_list") not in client.get(reverse("reports:report_list")).content.decode()


@pytest.mark.parametrize("who", ["staf_bangka", "administrator", "anggota"])
def test_others_are_refused(client, request, who, built):
    user = {"staf_bangka": lambda: request.getfixturevalue("staf_bangka"),
            "administrator": lambda: make_user("Administrator", username="paket.admin"),
            "anggota": lambda: make_user("Anggota Tim", username="paket.anggota", region_code="19.71")}[who]()
    client.force_login(user)
    for url in (reverse("integrations:package_list"), reverse("integrations:package_request"),
                reverse("integrations:package_detail", args=[built.pk]),
                reverse("integrations:package_download", args=[built.pk])):
        assert client.get(url).status_code == 403, url


def test_request_queues_a_build_after_commit(client, staf_provinsi, django_capture_on_commit_callbacks):
    client.force_login(staf_provinsi)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("integrations:package_request"), {"kind": "caturwulan", "period": "2026-b04"})
    package = NationalPackage.objects.get()
    assert response.status_code == 302 and response["Location"] == package.get_absolute_url()
    assert (package.period, package.status, package.requested_by) == ("2026-B04", "antri", staf_provinsi)
    assert len(own_callbacks(callbacks)) == 1
    page = client.get(package.get_absolute_url()).content.decode()
    assert "diantrekan" in page and 'data-running="1"' in page


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "caturwulan", "period": "2026-B05"}, "tidak sesuai jenis laporan caturwulan; contoh: 2026-B12"),
    ({"kind": "tahunan", "period": "2099"}, "Periode 2099 belum dimulai."),
    ({"kind": "caturwulan", "period": ""}, "Bidang ini harus diisi."),
    ({"kind": "harian", "period": "2026"}, "Masukkan pilihan yang valid."),
])
def test_bad_input_is_a_clear_message(client, staf_provinsi, data, message):
    client.force_login(staf_provinsi)
    response = client.post(reverse("integrations:package_request"), data)
    assert response.status_code == 200
    text = response.content.decode().replace("&#x27;", "'")
    assert message in text
    assert not NationalPackage.objects.exists()


def test_detail_status_and_download(client, pimpinan, built):
    client.force_login(pimpinan)
    page = client.get(built.get_absolute_url()).content.decode()
    assert "Unduh paket (zip)" in page and built.sha256 in page and "insiden-snpk-2026-B08.xlsx" in page
    status = client.get(reverse("integrations:package_status", args=[built.pk])).json()
    assert status["done"] and status["download"] == reverse("integrations:package_download", args=[built.pk])
    response = client.get(reverse("integrations:package_download", args=[built.pk]))
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/zip" and response["X-Content-SHA256"] == built.sha256
    assert hashlib.sha256(content).hexdigest() == built.sha256
    assert f'filename="{built.download_name()}"' in response["Content-Disposition"]


def test_a_package_not_built_yet_is_not_downloadable(client, staf_provinsi):
    package = NationalPackageFactory()
    client.force_login(staf_provinsi)
    assert client.get(reverse("integrations:package_download", args=[package.pk])).status_code == 404
    assert client.get(reverse("integrations:package_detail", args=[package.pk + 1000])).status_code == 404


def test_list_queries_do_not_grow(client, staf_provinsi):
    client.force_login(staf_provinsi)
    url = reverse("integrations:package_list")
    NationalPackageFactory(requested_by=staf_provinsi)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(15):
        NationalPackageFactory(requested_by=staf_provinsi)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# --- the webhook admin -----------------------------------------------------------------------------------


@pytest.fixture
def administrator(db):
    return make_user("Administrator", username="wh.administrator")


def _add(client, **overrides):
    data = {"name": "Sistem Polda", "url": "https://polda.example.go.id/kesbang",
            "events": ["incident.reported", "incident.verified"], "clearance": "biasa", "active": "on",
            "description": "", **overrides}
    return client.post(reverse("admin:integrations_webhookendpoint_add"), data)


def test_the_admin_registers_an_endpoint_and_shows_the_secret_once(client, administrator, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    client.force_login(administrator)
    response = _add(client)
    assert response.status_code == 200, response.content.decode()[:2000]
    page = response.content.decode()
    secret = re.search(r'<code id="secret-value">(whsec_[^<]+)</code>', page).group(1)
    assert "tidak akan ditampilkan lagi" in page and "no-store" in response["Cache-Control"]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.created_by == administrator and endpoint.events == ["incident.reported", "incident.verified"]
    change = client.get(reverse("admin:integrations_webhookendpoint_change", args=[endpoint.pk])).content.decode()
    assert secret not in change and endpoint.secret_hint in change and 'id="rotate-secret"' in change
    listing = client.get(reverse("admin:integrations_webhookendpoint_changelist")).content.decode()
    assert secret not in listing and "Sistem Polda" in listing
    rotate = reverse("admin:integrations_webhookendpoint_rotate", args=[endpoint.pk])
    assert client.get(rotate).status_code == 405
    rotated = client.post(rotate).content.decode()
    new = re.search(r'<code id="secret-value">(whsec_[^<]+)</code>', rotated).group(1)
    assert new != secret and "sudah diganti" in rotated


@pytest.mark.parametrize(("overrides", "message"), [
    ({"clearance": "terbatas"}, "klasifikasi yang boleh Anda baca"),
    ({"url": "http://127.0.0.1:5432/"}, "jaringan internal"),
    ({"url": "ftp://polda.example.go.id/"}, "Alamat webhook harus diawali http:// atau https://."),
    ({"events": []}, "Pilih paling sedikit satu peristiwa."),
])
def test_the_admin_refuses_bad_endpoints_in_indonesian(client, administrator, settings, overrides, message):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    client.force_login(administrator)
    response = _add(client, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not WebhookEndpoint.objects.exists()


def test_endpoints_above_the_login_are_invisible_to_it(client, administrator):
    from tests.factories import WebhookEndpointFactory

    secret_one = WebhookEndpointFactory(clearance="rahasia", name="Endpoint rahasia")
    WebhookEndpointFactory(clearance="biasa", name="Endpoint biasa")
    hidden_log = WebhookDeliveryFactory(endpoint=secret_one, body='{"x": "PENANDA-LOG-q9"}')
    client.force_login(administrator)
    listing = client.get(reverse("admin:integrations_webhookendpoint_changelist")).content.decode()
    assert "Endpoint biasa" in listing and "Endpoint rahasia" not in listing
    assert client.get(reverse("admin:integrations_webhookendpoint_change", args=[secret_one.pk])).status_code == 404
    assert client.post(reverse("admin:integrations_webhookendpoint_rotate", args=[secret_one.pk])).status_code == 404
    log = client.get(reverse("admin:integrations_webhookdelivery_changelist")).content.decode()
    assert "PENANDA-LOG-q9" not in log
    assert client.get(reverse("admin:integrations_webhookdelivery_change", args=[hidden_log.pk])).status_code == 404


def test_the_delivery_log_is_read_only(client, administrator):
    row = WebhookDeliveryFactory(body='{"event": "incident.reported"}', response_status=200, status="sent")
    client.force_login(administrator)
    page = client.get(reverse("admin:integrations_webhookdelivery_change", args=[row.pk])).content.decode()
    assert "incident.reported" in page and 'name="_save"' not in page
    assert client.get(reverse("admin:integrations_webhookdelivery_add")).status_code == 403
    assert client.post(reverse("admin:integrations_webhookdelivery_delete", args=[row.pk]),
                       {"post": "yes"}).status_code == 403
    assert WebhookDelivery.objects.filter(pk=row.pk).exists()
