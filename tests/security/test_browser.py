"""In Chromium: no page (nor the Django admin) breaks the Content Security Policy; the two-factor
pages, the lockout message and the 403 page, with screenshots at 1366 and 390 px."""

import os
import re

import pytest
from django.urls import reverse

from tests.conftest import browser_login
from tests.factories import PASSWORD
from tests.otp import totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("KESBANG_SHOTS_DIR", "/work/shots/security")


def shoot(page, name):
    """Desktop (1366) and phone (390) full-page screenshots."""
    os.makedirs(SHOTS, exist_ok=True)
    for width, suffix in ((1366, "1366"), (390, "390")):
        page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{suffix}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def watch_csp(page) -> list[str]:
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return violations


def test_no_csp_violation_on_pages_and_in_the_admin(page, admin_user, settings):
    settings.AXES_ENABLED = False
    from tests.factories import make_member, make_team
    from tests.teams.test_plans import make_plan

    team = make_team("19.01")
    make_member(team)
    plan = make_plan(team=team, activities=2)
    violations = watch_csp(page)
    browser_login(page, admin_user.username)
    urls = ["/", "/tim/", team.get_absolute_url(), "/tim/orang/", "/tim/anggota/", "/tim/rencana-aksi/",
            plan.get_absolute_url(), f"/tim/{team.pk}/anggota/tambah/", "/insiden/", "/insiden/peta/", "/rapat/",
            reverse("otp_status"), "/admin/", "/admin/teams/team/", f"/admin/teams/team/{team.pk}/change/",
            "/admin/auth/user/add/", "/admin/kesbang/auditevent/"]
    for url in urls:
        page.goto(page.base_url + url)
        if url in ("/", "/insiden/", "/insiden/peta/"):  # scripts that fetch after the load event (map, charts)
            page.wait_for_load_state("networkidle")
    # the user page's enrolment-code button and the page that shows the code once
    page.goto(page.base_url + reverse("admin:auth_user_change", args=[admin_user.pk]))
    assert page.locator("#issue-enrolment-code").is_visible()
    shoot(page, "admin-user-enrolment-button")
    page.click("#issue-enrolment-code")
    page.wait_for_selector("#enrolment-codes code")
    shoot(page, "admin-enrolment-code")
    assert not violations, violations


def test_totp_enrol_and_verify_pages(page, admin_user, settings):
    settings.AXES_ENABLED = False
    from kesbang.accounts import twofactor

    violations = watch_csp(page)
    code = twofactor.enrolment_code_issue(user=admin_user)
    page.goto(page.base_url + "/akun/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(re.compile(r".*/akun/dua-langkah/pasang/.*"))
    # step 1: the enrolment code; no secret before it
    assert page.locator("#id_enrolment_code").is_visible() and page.locator(".kb-otp-qr").count() == 0
    shoot(page, "totp-enrolment-code")
    page.fill("#id_enrolment_code", "AAAA-BBBB-CCCC-DDDD")
    page.click("#otp-code-submit")
    page.wait_for_selector(".invalid-feedback")
    shoot(page, "totp-enrolment-code-error")
    page.fill("#id_enrolment_code", code)
    page.click("#otp-code-submit")
    page.wait_for_selector(".kb-otp-qr svg")
    assert page.locator(".kb-otp-qr svg").is_visible()
    shoot(page, "totp-enrol")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    page.fill("#id_token", totp_now(device))
    page.click("#otp-setup-submit")
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    recovery = page.locator("#recovery-codes li code").first.inner_text()
    shoot(page, "totp-recovery-codes")
    page.click("#otp-continue")
    page.wait_for_load_state("networkidle")
    # a new login: the verification step
    page.context.clear_cookies()
    page.goto(page.base_url + "/akun/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(re.compile(r".*/akun/dua-langkah/verifikasi/.*"))
    page.fill("#id_token", "000000" if totp_now(device) != "000000" else "111111")
    page.click("#otp-verify-submit")
    page.wait_for_selector(".invalid-feedback")
    shoot(page, "totp-verify-error")
    device.refresh_from_db()
    device.throttle_reset()
    page.fill("#id_token", totp_now(device, drift=1))  # the enrolment's code is never accepted twice
    page.click("#otp-verify-submit")
    page.wait_for_load_state("networkidle")
    assert "/akun/" not in page.url
    # new recovery codes: re-authenticate first (password + a code)
    page.goto(page.base_url + reverse("otp_status"))
    page.get_by_role("button", name="Buat kode cadangan baru").click()
    page.wait_for_url(re.compile(r".*/akun/dua-langkah/konfirmasi/.*"))
    assert page.locator("#id_password").is_visible() and page.locator("#id_token").is_visible()
    shoot(page, "reauth")
    page.fill("#id_password", "salah-sandi")
    page.fill("#id_token", "123456")
    page.click("#otp-reauth-submit")
    page.wait_for_selector(".invalid-feedback")
    shoot(page, "reauth-error")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_token", recovery)  # this 30 s step's codes are spent: a recovery code also proves it
    page.click("#otp-reauth-submit")
    page.wait_for_url(re.compile(r".*/akun/dua-langkah/$"))
    page.get_by_role("button", name="Buat kode cadangan baru").click()
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    assert not violations, violations


def test_lockout_message_and_403_page(page, staf_provinsi, no_role_user, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        page.goto(page.base_url + "/akun/login/")
        page.fill("#id_username", staf_provinsi.username)
        page.fill("#id_password", "salah-sandi")
        page.click("#login-submit")
        page.wait_for_load_state("networkidle")
    assert page.get_by_text("Akun dikunci sementara").first.is_visible()
    shoot(page, "lockout")
    page.context.clear_cookies()
    browser_login(page, no_role_user.username)
    response = page.goto(page.base_url + "/tim/")
    assert response.status == 403
    assert page.get_by_text("Akses ditolak").first.is_visible()
    shoot(page, "403")
