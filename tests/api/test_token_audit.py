"""Tokens in the audit log (made and revoked: who, which token, scope, from where; listed with the other
audit events in the admin) and a changed password revoking every token of that login: the owner's own
change, an administrator's "set password" in the admin, the emailed reset link."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from kesbang.accounts.models import AuditEvent
from kesbang.api import services
from kesbang.api.models import AccessToken
from tests.api.conftest import make_token, token_client
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
PAGE = "/akun/token/"
LIST = "/api/v1/incidents/"
NEW_PASSWORD = "Sandi-Baru-Kesbang-2026"


def test_making_and_revoking_on_the_page_are_audited_with_who_what_and_where(client, staf_bangka):
    client.force_login(staf_bangka)
    client.post(
        PAGE,
        {"name": "Dasbor Polda", "scope": "write", "days": "90"},
        REMOTE_ADDR="10.9.8.7",
        HTTP_USER_AGENT="UjiPeramban/1.0",
    )
    token = AccessToken.objects.get(user=staf_bangka)
    (made,) = AuditEvent.objects.filter(kind="token_created")
    assert made.user == staf_bangka and made.username == staf_bangka.username
    assert made.ip_address == "10.9.8.7" and made.path == PAGE and made.method == "POST"
    assert made.user_agent == "UjiPeramban/1.0"
    assert f"\u201cDasbor Polda\u201d (kbg_{token.prefix}\u2026)" in made.detail and "cakupan write" in made.detail
    assert "berlaku sampai" in made.detail and "milik" not in made.detail
    client.post(reverse("api_token_revoke", args=[token.pk]), REMOTE_ADDR="10.9.8.6")
    (revoked,) = AuditEvent.objects.filter(kind="token_revoked")
    assert revoked.user == staf_bangka and revoked.ip_address == "10.9.8.6" and "Dasbor Polda" in revoked.detail
    assert revoked.get_kind_display() == "Token API dicabut" and made.get_kind_display() == "Token API dibuat"
    # Revoking again writes nothing more.
    services.token_revoke(token=AccessToken.objects.get(pk=token.pk), user=staf_bangka)
    assert AuditEvent.objects.filter(kind="token_revoked").count() == 1


def test_an_administrator_revoking_in_the_admin_is_audited_as_the_administrator(client, admin_user, staf_bangka):
    token, _raw = make_token(staf_bangka, name="Skrip bocor")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:api_accesstoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
        REMOTE_ADDR="10.1.1.1",
    )
    assert response.status_code == 302
    (revoked,) = AuditEvent.objects.filter(kind="token_revoked")
    assert revoked.user == admin_user and revoked.ip_address == "10.1.1.1"
    assert "Skrip bocor" in revoked.detail and f"milik {staf_bangka.username}" in revoked.detail
    # Visible where the other audit events are: the audit log in the admin, filterable by kind.
    listing = client.get(reverse("admin:kesbang_auditevent_changelist"), {"kind__exact": "token_revoked"})
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Token API dicabut" in page and admin_user.username in page


def _tokens(user) -> tuple[str, str]:
    return make_token(user, name="satu")[1], make_token(user, name="dua", scope="write")[1]


def _all_revoked(user, raws) -> None:
    assert AccessToken.objects.filter(user=user).exists()
    assert not AccessToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    for raw in raws:
        assert token_client(raw).get(LIST).status_code == 401
    events = AuditEvent.objects.filter(kind="token_revoked", detail__endswith="kata sandi diganti")
    assert events.count() == 2 and {e.username for e in events} == {user.username}


def test_changing_ones_own_password_revokes_ones_tokens(client, staf_bangka, staf_belitung):
    raws = _tokens(staf_bangka)
    other = make_token(staf_belitung)[1]
    client.force_login(staf_bangka)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    _all_revoked(staf_bangka, raws)
    assert token_client(other).get(LIST).status_code == 200  # another login's tokens stay
    # The tokens page says so.
    page = client.get(PAGE).content.decode()
    assert "semua token Anda dicabut sekaligus" in page


def test_an_administrator_setting_the_password_revokes_the_tokens(client, admin_user, staf_bangka):
    raws = _tokens(staf_bangka)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[staf_bangka.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    staf_bangka.refresh_from_db()
    assert staf_bangka.check_password(NEW_PASSWORD)
    _all_revoked(staf_bangka, raws)


def test_a_password_reset_by_email_revokes_the_tokens(client, staf_bangka):
    staf_bangka.email = "bangka@kesbangpol.example.go.id"
    staf_bangka.save(update_fields=["email"])
    raws = _tokens(staf_bangka)
    client.post(reverse("password_reset"), {"email": staf_bangka.email})
    link = re.search(r"https?://[^/]+(/akun/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    _all_revoked(staf_bangka, raws)


def test_logging_in_or_a_rehashed_password_revokes_nothing(client, staf_bangka, settings):
    raws = _tokens(staf_bangka)
    assert client.post(reverse("login"), {"username": staf_bangka.username, "password": PASSWORD}).status_code == 302
    # A hash upgraded at login (another hasher first) is no password change.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher", *settings.PASSWORD_HASHERS]
    user = get_user_model().objects.get(pk=staf_bangka.pk)
    assert user.check_password(PASSWORD)
    assert get_user_model().objects.get(pk=staf_bangka.pk).password.startswith("pbkdf2_sha1$")
    user.first_name = "Baru"
    user.save()
    assert not AccessToken.objects.filter(user=staf_bangka, revoked_at__isnull=False).exists()
    assert all(token_client(raw).get(LIST).status_code == 200 for raw in raws)
    # A new login's first password (created) has no token to revoke; its later change does.
    fresh = make_user("Staf Provinsi", username="baru.sekali")
    assert AuditEvent.objects.filter(kind="token_revoked").count() == 0
    token = make_token(fresh)[0]
    fresh.set_password(NEW_PASSWORD)
    fresh.save()
    token.refresh_from_db()
    assert token.revoked_at is not None
