"""The handler select follows the handling team chosen on the form (no save needed), and the quick-entry
form offers attachments; no console errors (CSP enforced, no inline code)."""

import os

import pytest

from tests.conftest import browser_login
from tests.factories import make_member, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("KESBANG_SHOTS", os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts"))


def test_handler_select_follows_team(browser, live_server, staf_bangka):
    team = make_team("19.01")
    member = make_member(team, "anggota", name="Budi Petugas")
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    pg = context.new_page()
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.set_default_timeout(15_000)
    pg.base_url = live_server.url
    browser_login(pg, "staf.bangka")
    pg.goto(pg.base_url + "/insiden/lapor/")
    assert pg.locator("#id_attachments").count() == 1
    pg.click("#details-toggle")
    pg.wait_for_selector("#id_handling_team", state="visible")
    pg.select_option("#id_handling_team", str(team.pk))
    pg.wait_for_selector(f'#id_handler option[value="{member.person_id}"]', state="attached")
    assert "Budi Petugas" in pg.inner_text("#id_handler")
    os.makedirs(SHOTS, exist_ok=True)
    pg.screenshot(path=os.path.join(SHOTS, "incident-handler-select-phone.png"), full_page=True)
    assert errors == []
    context.close()
