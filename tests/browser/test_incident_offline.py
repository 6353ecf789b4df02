"""An officer reports an incident from a phone; the connection drops half-way and comes back: the report
is kept in the browser, sent once when the connection returns, and appears on the map."""

import os
import re

import pytest

from incidents.models import Incident
from tests.conftest import browser_login
from tests.factories import incident_category, region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("KESBANG_SHOTS", os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts"))


def shot(pg, name):
    os.makedirs(SHOTS, exist_ok=True)
    pg.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_phone_report_survives_a_lost_connection_and_is_sent_once(browser, live_server, staf_bangka):
    category = incident_category("Lahan")
    kecamatan = region("19.01").children.order_by("code").first()
    desa = kecamatan.children.order_by("code").first()
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.base_url = live_server.url
    browser_login(pg, "staf.bangka")

    pg.goto(pg.base_url + "/insiden/lapor/")
    pg.fill("#id_title", "Warga menghadang alat berat tambang")
    pg.select_option("#id_kind", "peristiwa")
    assert pg.locator("#id_region").input_value() == str(region("19.01").pk)  # the only region this login has
    pg.select_option("#id_kecamatan", str(kecamatan.pk))
    pg.wait_for_selector(f'#id_desa option[value="{desa.pk}"]', state="attached")
    pg.select_option("#id_desa", str(desa.pk))

    context.set_offline(True)  # the signal drops while the officer is still typing
    pg.fill("#id_chronology", "Sekitar 200 warga menghadang alat berat di lahan kebun; situasi memanas.")
    pg.select_option("#id_source", "sda")
    pg.select_option("#id_category", str(category.pk))
    pg.select_option("#id_severity", "tinggi")
    pg.click("#details-toggle")
    pg.wait_for_selector("#id_latitude", state="visible")
    pg.fill("#id_latitude", "-1.87")
    pg.fill("#id_longitude", "106.11")
    pg.fill("#id_injured", "2")
    pg.click("#incident-submit")
    pg.wait_for_selector("#offline-status:not(.d-none)")
    assert "Tidak ada sinyal" in pg.inner_text("#offline-status")
    shot(pg, "incident-offline-phone")
    assert Incident.objects.count() == 0
    stored = pg.evaluate(f"JSON.parse(localStorage.getItem('kesbang-insiden-baru-{staf_bangka.pk}'))")
    assert stored["pending"] is True and stored["fields"]["title"] == "Warga menghadang alat berat tambang"

    context.set_offline(False)  # the connection comes back: the page sends the report by itself
    # The incident's own page (a glob like **/insiden/*/ also matches the form at /insiden/lapor/).
    pg.wait_for_url(re.compile(r".*/insiden/\d+/$"), timeout=20_000)
    pg.wait_for_load_state("networkidle")
    # No wait for the 5 s retry tick: the page clears its stored report and stops the tick before it
    # leaves the form (static/js/incident-form.js), and the form page with its timer is gone now, so
    # nothing can send it a second time; one report, and nothing left pending in the browser.
    assert Incident.objects.count() == 1
    incident = Incident.objects.get()
    assert incident.status == "dilaporkan" and incident.desa_id == desa.pk and incident.injured == 2
    assert incident.client_key is not None
    assert incident.reference in pg.inner_text("body")
    assert "terkirim" in pg.inner_text(".kb-messages")  # the message reached the page the officer sees
    assert pg.evaluate(f"localStorage.getItem('kesbang-insiden-baru-{staf_bangka.pk}')") is None
    shot(pg, "incident-sent-phone")

    pg.goto(pg.base_url + "/insiden/peta/")
    pg.wait_for_selector("#incident-map[data-ready='1']")
    assert pg.get_attribute("#incident-map", "data-markers") == "1"
    assert pg.locator(".leaflet-interactive").count() > 7  # 7 regency shapes and the marker
    shot(pg, "incident-map-phone")
    context.close()
