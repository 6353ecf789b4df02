"""Account pages in Indonesian: password reset end to end, lockout after repeated failures, logout."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_password_reset_by_email_end_to_end(client, staf_provinsi):
    staf_provinsi.email = "rina@kesbangpol.example.go.id"
    staf_provinsi.save(update_fields=["email"])
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200 and "Atur ulang kata sandi" in page.content.decode()
    response = client.post(reverse("password_reset"), {"email": "rina@kesbangpol.example.go.id"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Atur ulang kata sandi Kesbang"
    assert "Kami menerima permintaan" in message.body
    link = re.search(r"https?://[^/]+(/akun/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Buat kata sandi baru" in form_page.content.decode()
    new_password = "Sandi-Baru-Kesbang-2026"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    client.logout()
    login = client.post(reverse("login"), {"username": staf_provinsi.username, "password": new_password})
    assert login.status_code == 302 and login["Location"] == reverse("dashboard")


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "tidak.ada@example.go.id"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_wrong_password_is_refused_in_indonesian(client, staf_provinsi):
    response = client.post(reverse("login"), {"username": staf_provinsi.username, "password": "salah"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nama pengguna atau kata sandi salah" in body and "nama pengguna nama pengguna" not in body


@pytest.mark.django_db
def test_repeated_failures_lock_the_login_with_an_indonesian_page(client, staf_provinsi, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": staf_provinsi.username, "password": "salah"})
    locked = client.post(reverse("login"), {"username": staf_provinsi.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Akun dikunci sementara" in locked.content.decode()


@pytest.mark.django_db
def test_logout_is_a_post_and_lands_on_the_login_page(client, staf_provinsi):
    client.force_login(staf_provinsi)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("dashboard")).status_code == 302
