"""A resident reports a potential conflict from a phone without an account, after losing signal; a
verifier of that regency sees it in the queue and turns it into an incident (issue 16).

The whole path in Chromium: the public form is opened once online (the service worker keeps it), the
signal drops, the form is opened again (served by the service worker), filled in with the phone's
position and a photo (made smaller in the browser), sent (kept in the browser's outbox), the signal
returns, exactly one report arrives, and the tracking page shows its status. Screenshots of the form,
the tracking page and the triage queue at 1366 and 390 px land in test-artifacts/."""

import io
import os
import re

import pytest
from django.utils import timezone

from incidents.models import Incident, PublicReport
from tests.conftest import SCREENSHOT_DIR, browser_login
from tests.factories import incident_category, region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shoot(pg, name):
    """Full-page screenshots at 1366 and 390 px (test-artifacts/<name>-1366.png, -390.png)."""
    os.makedirs(SCREENSHOT_DIR, exist_ok=True)
    before = pg.viewport_size
    for width in (1366, 390):
        pg.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})
        pg.wait_for_timeout(150)
        pg.screenshot(path=os.path.join(SCREENSHOT_DIR, f"{name}-{width}.png"), full_page=True)
    pg.set_viewport_size(before)


def big_photo(tmp_path) -> str:
    """A 3000 x 2000 JPEG, as a phone camera makes them (the page must make it smaller)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (3000, 2000), (90, 130, 70))
    draw = ImageDraw.Draw(image)
    for i in range(0, 3000, 40):
        draw.line([(i, 0), (3000 - i, 2000)], fill=(200, (i * 7) % 255, 60), width=9)
    path = tmp_path / "IMG_20261203_0815.jpg"
    image.save(path, format="JPEG", quality=95)
    return str(path)


def wait_until(pg, promise_expression: str, seconds: float = 15) -> None:
    """Poll a JavaScript expression that yields a Promise of a boolean (the Cache API is asynchronous)."""
    for _i in range(int(seconds * 4)):
        if pg.evaluate(promise_expression):
            return
        pg.wait_for_timeout(250)
    raise AssertionError(f"still false after {seconds} s: {promise_expression}")


def outbox_count(pg) -> int:
    return pg.evaluate("""() => new Promise((resolve) => {
        const req = indexedDB.open("kesbang-lapor", 1);
        req.onupgradeneeded = () => req.result.createObjectStore("outbox", {keyPath: "key"});
        req.onsuccess = () => { const db = req.result; const t = db.transaction("outbox", "readonly");
            const c = t.objectStore("outbox").count(); c.onsuccess = () => { resolve(c.result); db.close(); }; };
    })""")


def test_report_offline_from_a_phone_arrives_once_and_is_triaged(browser, live_server, settings, staf_bangka,
                                                                  tmp_path):
    settings.AXES_ENABLED = False
    settings.PUBLIC_REPORT_MIN_FILL_SECONDS = 1
    kecamatan = region("19.01").children.order_by("code").first()
    desa = kecamatan.children.order_by("code").first()
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, permissions=["geolocation"],
                                  geolocation={"latitude": -1.8793, "longitude": 106.1188})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    csp = []
    pg.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)

    # Online once: the page registers the service worker, which keeps the form, the regions and the map.
    pg.goto(live_server.url + "/lapor/")
    pg.wait_for_function("() => document.documentElement.dataset.swReady !== undefined")
    assert pg.evaluate("document.documentElement.dataset.swReady") == "1"  # installed: everything is kept
    shoot(pg, "public-report-form")

    # No signal: the form opens all the same, from the service worker.
    context.set_offline(True)
    response = pg.reload()
    assert response is not None and response.from_service_worker
    assert pg.evaluate("navigator.onLine") is False
    pg.wait_for_selector("#public-report-form")
    pg.fill("#id_description", "Sejak pagi puluhan warga dua dusun berkumpul di batas kebun sawit dan saling "
                               "mengancam; pondok kebun akan dibakar.")
    pg.check("input[name='situation'][value='potensi']")
    pg.select_option("#id_region", str(region("19.01").pk))
    # Kecamatan and desa come from the region list the service worker kept.
    pg.wait_for_selector(f'#id_kecamatan option[value="{kecamatan.pk}"]', state="attached")
    pg.select_option("#id_kecamatan", str(kecamatan.pk))
    pg.wait_for_selector(f'#id_desa option[value="{desa.pk}"]', state="attached")
    pg.select_option("#id_desa", str(desa.pk))
    pg.fill("#id_place_detail", "Batas kebun dekat jembatan")
    pg.wait_for_selector("#location-map[data-ready='1']")  # the offline map: boundaries from the cache
    pg.click("#use-location")
    pg.wait_for_function("() => document.getElementById('id_latitude').value !== ''")
    assert pg.input_value("#id_latitude").startswith("-1.879") and pg.input_value("#id_longitude").startswith("106.11")
    photo = big_photo(tmp_path)
    original_size = os.path.getsize(photo)
    pg.set_input_files("#id_photos", photo)
    pg.wait_for_selector("#photo-list li")
    small = pg.evaluate("() => { const f = document.getElementById('id_photos').files[0]; "
                        "return {name: f.name, size: f.size, type: f.type}; }")
    assert small["type"] == "image/jpeg" and small["size"] < original_size
    pg.check("input[name='identity'][value='anonim']")
    pg.check("#id_consent")
    pg.click("#report-submit")
    pg.wait_for_selector("#outbox-status.alert-warning")
    assert "Tidak ada sinyal" in pg.inner_text("#outbox-status")
    assert PublicReport.objects.count() == 0
    assert outbox_count(pg) == 1

    # The signal returns: the page sends the report by itself, once, and shows where to follow it.
    context.set_offline(False)
    pg.wait_for_url(re.compile(r".*/lapor/status/[0-9A-Z]{5}-[0-9A-Z]{5}/\?baru=1$"), timeout=30_000)
    pg.wait_for_load_state("networkidle")
    assert PublicReport.objects.count() == 1
    report = PublicReport.objects.get()
    assert report.anonymous and report.desa_id == desa.pk and report.latitude is not None
    assert report.place_detail == "Batas kebun dekat jembatan"
    stored = report.photos.get()
    assert stored.kind == "jpeg" and stored.size < original_size
    from PIL import Image

    with stored.file.open("rb") as handle:
        assert max(Image.open(io.BytesIO(handle.read())).size) <= 1600
    assert report.tracking_display in pg.inner_text("#tracking-code")
    assert pg.inner_text("#public-status") == "Diterima"
    assert report.description not in pg.content()
    assert outbox_count(pg) == 0
    pg.wait_for_timeout(1500)
    assert PublicReport.objects.count() == 1  # nothing sent a second time
    shoot(pg, "public-report-status")
    assert not csp, csp
    context.close()

    # A verifier of Kabupaten Bangka finds it in the queue and accepts it as a draft incident.
    officer = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900})
    op = officer.new_page()
    op.set_default_timeout(20_000)
    op.base_url = live_server.url
    browser_login(op, "staf.bangka")
    op.goto(live_server.url + "/")
    op.click("#stat-public-queue")
    op.wait_for_selector(f"text={report.tracking_display}")
    shoot(op, "public-report-queue")
    op.click(f"a[href='/insiden/laporan-masyarakat/{report.pk}/']")
    op.wait_for_selector("#accept-form")
    assert "Anonim" in op.inner_text("#reporter-anonymous")
    shoot(op, "public-report-triage")
    op.select_option("#id_terima-source", "sda")
    op.select_option("#id_terima-category", str(incident_category().pk))
    op.click("#accept-draft")
    op.wait_for_url(re.compile(r".*/insiden/\d+/ubah/$"))
    incident = Incident.objects.get()
    assert incident.status == "draf" and incident.info_source == "masyarakat" and incident.attachments.count() == 1
    assert incident.occurred_on == timezone.localdate() and incident.desa_id == desa.pk
    assert incident.latitude == report.latitude and incident.longitude == report.longitude
    officer.close()

    # The resident's tracking page moves on, still without any content or name.
    resident = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    rp = resident.new_page()
    rp.goto(live_server.url + f"/lapor/status/{report.tracking_display}/")
    assert rp.inner_text("#public-status") == "Sedang diverifikasi"
    assert incident.reference not in rp.content() and staf_bangka.person.name not in rp.content()
    resident.close()


def test_quick_entry_opens_with_no_signal_after_one_visit_and_is_forgotten_at_logout(browser, live_server, settings,
                                                                                      staf_bangka):
    """The staff quick entry as a web app: kept by the service worker when the officer opens it, opened
    again with no signal (kecamatan and desa from the kept province list), sent once when the signal
    returns; logging out on that phone drops the kept page."""
    settings.AXES_ENABLED = False
    category = incident_category("Lahan")
    kecamatan = region("19.01").children.order_by("code").first()
    desa = kecamatan.children.order_by("code").first()
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    pg.base_url = live_server.url
    browser_login(pg, "staf.bangka")
    pg.goto(live_server.url + "/insiden/lapor/")
    pg.wait_for_function("() => document.documentElement.dataset.swReady === '1'")
    wait_until(pg, "caches.open('kb-staf').then(c => c.match('/insiden/lapor/')).then(Boolean)")

    context.set_offline(True)
    response = pg.reload()
    assert response is not None and response.from_service_worker
    pg.wait_for_selector("#incident-form")
    pg.fill("#id_title", "Warga menutup jalan tambang")
    pg.select_option("#id_kecamatan", str(kecamatan.pk))
    pg.wait_for_selector(f'#id_desa option[value="{desa.pk}"]', state="attached")  # from /lapor/wilayah.json
    pg.select_option("#id_desa", str(desa.pk))
    pg.fill("#id_chronology", "Sekitar 50 warga menutup jalan menuju lokasi tambang sejak pagi.")
    pg.select_option("#id_source", "sda")
    pg.select_option("#id_category", str(category.pk))
    pg.select_option("#id_severity", "sedang")
    pg.click("#incident-submit")
    pg.wait_for_selector("#offline-status:not(.d-none)")
    assert Incident.objects.count() == 0

    context.set_offline(False)
    pg.wait_for_url(re.compile(r".*/insiden/\d+/$"), timeout=30_000)
    pg.wait_for_load_state("networkidle")
    assert Incident.objects.count() == 1 and Incident.objects.get().desa_id == desa.pk

    pg.click("button.dropdown-toggle")
    pg.click("form[action='/akun/logout/'] button")
    pg.wait_for_url(re.compile(r".*/akun/login/.*"))
    wait_until(pg, "caches.has('kb-staf').then(has => !has)")
    context.close()
