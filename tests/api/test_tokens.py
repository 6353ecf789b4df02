"""Personal access tokens: made on /akun/token/ (shown once, hashed at rest, named, expiring,
revocable, scoped), the second-factor rule, every use recorded for the owner, and refused tokens."""

import datetime
import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kesbang.accounts import twofactor
from kesbang.api import services
from kesbang.api.models import AccessToken
from tests.api.conftest import make_token, token_client
from tests.factories import make_incident

pytestmark = pytest.mark.django_db
PAGE = "/akun/token/"
LIST = "/api/v1/incidents/"


def create(client, **data):
    return client.post(PAGE, {"name": "Dasbor Polda", "scope": "read", "days": "90", **data})


def test_page_makes_a_token_shown_once_and_stored_hashed(client, staf_bangka):
    client.force_login(staf_bangka)
    assert client.get(PAGE).status_code == 200
    response = create(client)
    assert response.status_code == 200
    token = AccessToken.objects.get(user=staf_bangka)
    raw = response.context["new_token"]
    assert raw.startswith(f"kbg_{token.prefix}_") and len(raw) == 4 + 8 + 1 + 43
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(AccessToken.objects.filter(pk=token.pk).values().get())  # only the hash is stored
    assert token.name == "Dasbor Polda" and token.scope == "read" and not token.second_factor
    assert abs((token.expires_at - timezone.now()) - datetime.timedelta(days=90)) < datetime.timedelta(minutes=1)
    assert "Salin sekarang" in response.content.decode()
    again = client.get(PAGE).content.decode()
    assert raw not in again and f"kbg_{token.prefix}_" in again and "Dasbor Polda" in again
    assert token_client(raw).get(LIST).status_code == 200


def test_page_refuses_bad_input_in_indonesian(client, staf_bangka):
    client.force_login(staf_bangka)
    assert "Bidang ini harus diisi." in create(client, name="").content.decode()
    assert create(client, days="7").status_code == 200 and not AccessToken.objects.exists()
    create(client)
    duplicate = create(client).content.decode()
    assert "Anda sudah memiliki token aktif dengan nama ini." in duplicate
    assert AccessToken.objects.count() == 1


def test_second_factor_logins_make_tokens_only_from_a_verified_session(client, staf_provinsi):
    client.force_login(staf_provinsi)  # verified (tests/otp.py)
    create(client, scope="write")
    token = AccessToken.objects.get(user=staf_provinsi)
    assert token.second_factor and token.can_write
    # The middleware sends an unverified session to its code first; the view refuses on its own too.
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    from kesbang.api.views_tokens import TokenPageView

    request = RequestFactory().post(PAGE, {"name": "Tanpa kode", "scope": "read", "days": "90"})
    request.user, request.session = staf_provinsi, SessionStore()
    request.session[twofactor.SESSION_KEY] = twofactor.REQUIRED
    request._messages = FallbackStorage(request)
    response = TokenPageView.as_view()(request)
    assert response.status_code == 403
    assert "wajib memakai verifikasi dua langkah" in response.content.decode()
    assert AccessToken.objects.filter(user=staf_provinsi).count() == 1


def test_unverified_session_is_sent_to_the_second_factor(staf_provinsi):
    bare = Client()
    bare.force_login(staf_provinsi, otp=False)
    response = bare.get(PAGE)
    assert response.status_code == 302 and "/akun/dua-langkah/" in response["Location"]


def test_token_of_a_second_factor_login_needs_a_verified_origin(staf_provinsi, staf_bangka):
    _row, unverified = make_token(staf_provinsi, second_factor=False)
    response = token_client(unverified).get(LIST)
    assert response.status_code == 401 and "verifikasi dua langkah" in response.json()["detail"]
    _row, verified = make_token(staf_provinsi, second_factor=True)
    assert token_client(verified).get(LIST).status_code == 200
    # A login that enrolled an authenticator voluntarily is held to the same rule from then on.
    _row, early = make_token(staf_bangka, second_factor=False)
    assert token_client(early).get(LIST).status_code == 200
    from tests.otp import enrol

    enrol(staf_bangka)
    assert token_client(early).get(LIST).status_code == 401


def test_revoked_expired_unknown_and_malformed_tokens_are_401(client, staf_bangka, staf_belitung):
    row, raw = make_token(staf_bangka)
    assert token_client(raw).get(LIST).status_code == 200
    client.force_login(staf_belitung)
    assert client.post(reverse("api_token_revoke", args=[row.pk])).status_code == 404  # not one's own
    client.force_login(staf_bangka)
    assert client.post(reverse("api_token_revoke", args=[row.pk])).status_code == 302
    response = token_client(raw).get(LIST)
    assert response.status_code == 401 and response.json()["detail"] == "Token ini sudah dicabut."
    assert response["WWW-Authenticate"].startswith("Bearer")
    row2, raw2 = make_token(staf_bangka)
    AccessToken.objects.filter(pk=row2.pk).update(created_at=timezone.now() - datetime.timedelta(days=2),
                                                   expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert "kedaluwarsa" in token_client(raw2).get(LIST).json()["detail"]
    forged = raw2[:-4] + ("AAAA" if not raw2.endswith("AAAA") else "BBBB")
    assert token_client(forged).get(LIST).json()["detail"] == "Token tidak sah."
    for header in ("Bearer", "Bearer a b", "Bearer kbg_zzzzzzzz_x", "Bearer " + "kbg_" + "0" * 300):
        assert Client(HTTP_AUTHORIZATION=header).get(LIST).status_code == 401, header
    assert Client().get(LIST).status_code == 401
    staf_bangka.is_active = False
    staf_bangka.save()
    _row3, raw3 = make_token(staf_belitung)
    assert token_client(raw3).get(LIST).status_code == 200


def test_every_use_is_recorded_at_most_once_a_minute(staf_bangka, django_assert_num_queries):
    row, raw = make_token(staf_bangka)
    client = token_client(raw)
    client.get(LIST, REMOTE_ADDR="10.1.2.3")
    row.refresh_from_db()
    assert row.last_used_from == "10.1.2.3" and row.last_used_at is not None
    first = row.last_used_at
    client.get(LIST, REMOTE_ADDR="10.1.2.3")
    row.refresh_from_db()
    assert row.last_used_at == first  # within the minute: no write
    client.get(LIST, REMOTE_ADDR="10.9.9.9")
    row.refresh_from_db()
    assert row.last_used_from == "10.9.9.9"  # another address: written at once
    later = row.last_used_at + datetime.timedelta(minutes=2)
    assert services.token_touch(token=row, address="10.9.9.9", now=later)
    page = Client()
    page.force_login(staf_bangka)
    assert "10.9.9.9" in page.get(PAGE).content.decode()


def test_throttled_per_token_with_a_message(staf_bangka, settings):
    settings.KESBANG_API_THROTTLE_RATES = {**settings.KESBANG_API_THROTTLE_RATES, "token": "3/min"}
    _row, raw = make_token(staf_bangka)
    _row2, other = make_token(staf_bangka)
    client = token_client(raw)
    assert [client.get(LIST).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(LIST)
    assert response.status_code == 429 and "Terlalu banyak permintaan" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert token_client(other).get(LIST).status_code == 200  # per token, not per login


def test_read_token_cannot_write_and_write_token_can(staf_bangka):
    incident = make_incident(region_code="19.01", status="dilaporkan")
    _row, read = make_token(staf_bangka, scope="read")
    url = f"/api/v1/incidents/{incident.pk}/transitions/"
    response = token_client(read).post(url, {"name": "verify"}, content_type="application/json")
    assert response.status_code == 403 and "hanya untuk membaca" in response.json()["detail"]
    _row, write = make_token(staf_bangka, scope="write")
    assert token_client(write).post(url, {"name": "verify"}, content_type="application/json").status_code == 200
    incident.refresh_from_db()
    assert incident.status == "terverifikasi"


def test_session_writes_need_the_csrf_token(staf_bangka):
    incident = make_incident(region_code="19.01", status="dilaporkan")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staf_bangka)
    url = f"/api/v1/incidents/{incident.pk}/transitions/"
    refused = browser.post(url, {"name": "verify"}, content_type="application/json")
    assert refused.status_code == 403 and "Sesi formulir kedaluwarsa" in refused.json()["detail"]
    browser.get(PAGE)
    token = browser.cookies["csrftoken"].value
    ok = browser.post(url, {"name": "verify"}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 200


def test_admin_lists_and_revokes_tokens_without_the_hash(client, admin_user, staf_bangka):
    row, raw = make_token(staf_bangka)
    client.force_login(admin_user)
    page = client.get(reverse("admin:api_accesstoken_change", args=[row.pk])).content.decode()
    assert row.prefix in page and row.token_hash not in page
    client.post(reverse("admin:api_accesstoken_changelist"),
                {"action": "revoke", "_selected_action": [row.pk]})
    assert token_client(raw).get(LIST).status_code == 401
    assert client.get(reverse("admin:api_accesstoken_add")).status_code == 403
