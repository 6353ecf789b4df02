"""The login page in a real browser: Indonesian, lands on the dashboard; a wrong password is refused."""

import pytest

from tests.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_in_indonesian_lands_on_dashboard(page, staf_provinsi):
    page.goto(page.base_url + "/")
    assert "/akun/login/" in page.url
    assert page.locator("h2").first.inner_text() == "Masuk"
    assert page.locator("html").get_attribute("lang") == "id"
    screenshot(page, "login")
    screenshot(page, "login", phone=True)
    browser_login(page, "staf.prov")
    assert page.url.rstrip("/") == page.base_url.rstrip("/")
    assert page.locator("h1").first.inner_text() == "Dasbor"
    assert page.locator(".kb-nav-link.active").inner_text().strip() == "Dasbor"
    screenshot(page, "dashboard")
    screenshot(page, "dashboard", phone=True)


def test_wrong_password_shows_an_indonesian_error(page, staf_provinsi):
    browser_login(page, "staf.prov", "salah-sandi")
    assert "/akun/login/" in page.url
    error = page.locator(".alert-danger").inner_text()
    assert "Nama pengguna atau kata sandi salah" in error
