"""The incident detail as its staff sees it: the upload form (drawn once per language, kesbang.core.forms
.unbound_form_html) is there with its label, help text and accepted types, in Indonesian and English;
desktop and phone screenshots; no console errors (CSP enforced, no inline code)."""

import pytest

from tests.conftest import browser_login, screenshot
from tests.factories import make_incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_incident_detail_with_its_upload_form(page, staf_bangka):
    incident = make_incident(region_code="19.01", title="Sengketa lahan kebun sawit di Mendo Barat")
    pg, errors = page, []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    browser_login(pg, "staf.bangka")
    pg.goto(f"{pg.base_url}/insiden/{incident.pk}/")
    upload = pg.locator('input[type="file"][name="file"]')
    assert upload.count() == 1 and upload.get_attribute("accept") == ".jpg,.jpeg,.png,.pdf,.docx,.xlsx"
    assert "Foto atau dokumen" in pg.inner_text("main")
    assert pg.locator('label[for="id_file"]').inner_text().startswith("Berkas")
    screenshot(pg, "incident-detail")
    screenshot(pg, "incident-detail", phone=True)
    with pg.expect_navigation():
        pg.click('.kb-lang button[value="en"]')
    assert pg.locator('label[for="id_file"]').inner_text().startswith("File")
    assert errors == []
