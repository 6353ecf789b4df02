"""The user admin as a non-superuser Administrator, in a real browser (1366 px): a regency account
with only the roles it may grant and the superuser-only fields read-only; a superuser's account
read-only throughout."""

import pytest

from tests.conftest import browser_login, screenshot
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_user_change_pages_as_a_non_superuser_administrator(page, staf_bangka):
    make_user("Administrator", username="admin.biasa", region_code="19")
    superuser = make_user("Administrator", username="admin.super", superuser=True)
    browser_login(page, "admin.biasa")
    page.goto(page.base_url + f"/admin/auth/user/{staf_bangka.pk}/change/")
    assert page.locator("#id_groups_from, #id_groups").count() >= 1
    assert page.locator("input[name=is_superuser]").count() == 0
    assert page.locator("input[name=is_staff]").count() == 0
    assert "hanya diubah oleh superuser" in page.content()
    screenshot(page, "admin-user-change-managed")
    page.goto(page.base_url + f"/admin/auth/user/{superuser.pk}/change/")
    assert page.locator("input[name=groups], select[name=groups]").count() == 0
    assert "hanya dapat diubah oleh superuser" in page.content()
    screenshot(page, "admin-user-change-superuser")
