"""The Rencana Aksi in a real browser: open the plan, record a realisation with evidence, see the %."""

import datetime
from decimal import Decimal

import pytest

from teams import services
from teams.models import ActionPlan, Evidence
from tests.conftest import browser_login, screenshot
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_record_realisation_with_evidence_updates_achievement(page, tmp_path, demo):
    make_user("Staf Provinsi", username="staf.prov", region_code="19")
    plan = ActionPlan.objects.get(team__region__code="19", year=datetime.date.today().year)
    activity = plan.activities.get(name="Rapat koordinasi Tim Terpadu")
    # A known starting point whatever today's date: nothing reported in B12 yet.
    b12 = activity.periods.get(period="B12")
    services.realisation_record(activity_period=b12, realisation=None, narrative="", user=None)

    browser_login(page, "staf.prov")
    page.goto(page.base_url + plan.get_absolute_url())
    assert page.locator("h1").first.inner_text().startswith("Rencana Aksi Terpadu")
    row = page.locator(f"#kegiatan-{activity.pk}")
    before = row.locator(".kb-activity-achievement").inner_text()
    screenshot(page, "plan-detail")
    screenshot(page, "plan-detail", phone=True)

    row.locator("td[data-period=B12] a").click()
    page.wait_for_load_state("networkidle")
    assert "Realisasi" in page.locator("h1").inner_text()
    page.fill("#id_realisation", "2")
    page.fill("#id_narrative", "Rakor Tim Terpadu di Pangkalpinang, 33 peserta.")
    evidence = tmp_path / "notulen-rakor.pdf"
    evidence.write_bytes(PDF)
    page.set_input_files("#id_evidence", str(evidence))
    screenshot(page, "plan-realisation")
    screenshot(page, "plan-realisation", phone=True)
    with page.expect_navigation():  # the page the click leads to, loaded
        page.click("#realisation-submit")

    assert "disimpan" in page.locator(".alert-success").inner_text()
    row = page.locator(f"#kegiatan-{activity.pk}")
    assert row.locator("td[data-period=B12]").inner_text().strip() == "2"
    after = row.locator(".kb-activity-achievement").inner_text()
    assert after != before
    b12.refresh_from_db()
    assert b12.realisation == Decimal(2) and Evidence.objects.filter(activity_period=b12).count() == 1
    screenshot(page, "plan-detail-after")

    # The change history: a page of its own, linked from the plan (who changed the realisation, when).
    with page.expect_navigation():
        page.click("text=Riwayat perubahan rencana, kegiatan dan realisasi")
    assert page.locator("h1").first.inner_text() == "Riwayat perubahan"
    assert page.get_by_text("realisasi").first.is_visible()
    screenshot(page, "plan-history")
    screenshot(page, "plan-history", phone=True)

    # A disguised file is refused with an Indonesian message, not a 500.
    page.goto(page.base_url + f"/tim/rencana-aksi/kegiatan/{activity.pk}/realisasi/B12/")
    fake = tmp_path / "foto.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf")
    page.set_input_files("#id_evidence", str(fake))
    page.click("#realisation-submit")
    assert "tidak diizinkan" in page.content()
    screenshot(page, "plan-realisation-error", phone=True)


def test_plan_list_in_browser(page, demo):
    make_user("Pimpinan", username="pimpinan.uji", region_code="19")
    browser_login(page, "pimpinan.uji")
    page.goto(page.base_url + "/tim/rencana-aksi/")
    assert page.locator("h1").inner_text() == "Rencana Aksi Terpadu"
    assert page.locator("tbody tr").count() == 1
    screenshot(page, "plan-list")
    screenshot(page, "plan-list", phone=True)
