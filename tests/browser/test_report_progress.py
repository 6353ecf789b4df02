"""A report in a real browser: request it, watch the progress bar move to 100 % while a worker
builds it (the JS polls the status JSON), then download the PDF."""

import threading

import pytest
from django.db import connection

from kesbang.office import tasks
from kesbang.office.models import Report
from kesbang.office.reports import services
from tests.conftest import browser_login, screenshot
from tests.factories import ensure_reference_data, make_user
from tests.office.office_data import build_office_dataset
from tests.office.slow_report import slow_build_sections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_watch_progress_and_download(page, settings, monkeypatch):
    ensure_reference_data()
    build_office_dataset()
    make_user("Staf Provinsi", username="staf.laporan", region_code="19")
    queued = []
    monkeypatch.setattr(tasks.report_generate, "delay", lambda report_id: queued.append(report_id))
    # slow enough for the page to show a step between 0 and 100
    monkeypatch.setattr(services, "build_sections", slow_build_sections(0.5))

    browser_login(page, "staf.laporan")
    page.goto(page.base_url + "/laporan/")
    page.click("text=Buat laporan")
    page.select_option("#id_kind", "caturwulan")
    page.fill("#id_period", "2026-B08")
    page.select_option("#id_region", label="Provinsi Kepulauan Bangka Belitung")
    page.click("#report-submit")
    page.wait_for_url("**/laporan/*/")
    assert "Antri" in page.inner_text("#report-status-badge")
    assert page.is_visible("#report-leave-hint") and not page.is_visible("#download-pdf")
    assert len(queued) == 1

    def worker():  # what the Celery worker does with the queued id
        try:
            services.report_generate(report_id=queued[0])
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    page.wait_for_function(
        "() => { const b = document.getElementById('report-bar'); return b && b.value > 0 && b.value < 100; }",
        timeout=60_000,
    )
    seen = page.eval_on_selector("#report-bar", "b => b.value")
    page.wait_for_selector("#download-pdf", state="visible", timeout=120_000)
    thread.join(timeout=60)
    assert 0 < seen < 100
    assert page.inner_text("#report-pct") == "100"
    assert "Selesai" in page.inner_text("#report-status-badge")
    screenshot(page, "report-done")
    with page.expect_download() as download:
        page.click("#download-pdf")
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert download.value.suggested_filename == "laporan-caturwulan-2026-B08-19-v1.pdf"
    assert Report.objects.count() == 1
