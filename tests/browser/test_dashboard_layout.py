"""The dashboard on a phone (390 px) and a desktop (1366 px) for the three roles that land on it,
and the weekly summary email at phone width: nothing wider than the screen, charts drawn inside
their cards, the map with a height. Screenshots under test-artifacts/ for a person to look at."""

import pytest

from kesbang.demo.seed import DEMO_PASSWORD
from tests.conftest import browser_login, screenshot

pytestmark = pytest.mark.browser

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('main *')].filter(el => el.getBoundingClientRect().right > width + 1
     && !el.closest('.table-responsive') && !el.closest('.leaflet-container')
     && getComputedStyle(el).position !== 'fixed');
  return {scroll: document.documentElement.scrollWidth, width,
          wide: wide.slice(0, 5).map(el => el.tagName + '.' + el.className)};
}"""


def check(page, name: str, *, phone: bool) -> None:
    if phone:
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(600)  # charts animate in
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"], (name, found)
    assert not found["wide"], (name, found)
    for canvas in ("#chart-weekly", "#chart-sources", "#chart-regions"):
        box = page.locator(canvas).bounding_box()
        assert box and box["height"] >= 150 and box["width"] <= found["width"], (name, canvas, box)
    assert page.locator("#dashboard-map").bounding_box()["height"] >= 200
    screenshot(page, name)
    if phone:
        page.set_viewport_size({"width": 1366, "height": 900})


@pytest.mark.demo_readonly  # reads the demo data only (tests/browser/conftest.py)
@pytest.mark.parametrize("username", ["pimpinan", "staf.provinsi", "staf.bangka"])
def test_dashboard_fits_phone_and_desktop(page, username):
    browser_login(page, username, DEMO_PASSWORD)
    page.goto(page.base_url + "/?periode=th")
    check(page, f"dashboard-{username}", phone=False)
    check(page, f"dashboard-{username}-phone", phone=True)


@pytest.mark.django_db(transaction=True)  # moves incidents into last week
def test_weekly_summary_email_at_phone_width(page, demo):
    import datetime

    from django.utils import timezone

    from incidents.models import Incident
    from kesbang.office.weekly import services
    from kesbang.office.weekly.weeks import last_complete_week

    week = last_complete_week()
    # Some new incidents in the week, so the region × severity table is drawn too.
    ids = list(Incident.objects.exclude(status="draf").values_list("pk", flat=True)[:8])
    Incident.objects.filter(pk__in=ids).update(
        reported_at=timezone.make_aware(datetime.datetime.combine(week.start, datetime.time(9))))
    content = services.weekly_summary_build(week)
    html = services.weekly_summary_email(content, to=["x@example.org"]).alternatives[0][0]
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_content(html)
    found = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth})")
    screenshot(page, "weekly-summary-email-phone")
    assert found["scroll"] <= found["width"], found


@pytest.mark.demo_readonly
def test_the_incident_list_behind_a_dashboard_link_fits_phone_and_desktop(page):
    """The filter form with the dashboard's filters set (several severities, reported dates, no
    drafts, Status Keadaan Konflik), and a refused range with its message."""
    browser_login(page, "staf.provinsi", DEMO_PASSWORD)
    page.goto(page.base_url + "/insiden/?tanpa_draf=1&terbuka=on&severity=tinggi&severity=kritis"
              "&dilaporkan_dari=2026-01-01&dilaporkan_sampai=2026-12-31")
    assert page.locator("input[name=severity][value=tinggi]").is_checked()
    assert page.locator("input[name=tanpa_draf]").is_checked()
    for phone in (False, True):
        if phone:
            page.set_viewport_size({"width": 390, "height": 844})
        found = page.evaluate(OVERFLOW)
        assert found["scroll"] <= found["width"], found
        screenshot(page, "incident-list-dashboard-link" + ("-phone" if phone else ""))
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(page.base_url + "/insiden/?dilaporkan_dari=2026-11-30&dilaporkan_sampai=2026-11-01")
    assert "Tanggal akhir tidak boleh sebelum tanggal awal" in page.content()
    screenshot(page, "incident-list-reversed-range")
