"""Layout defects from the issue 6 review: the dark sidebar stopped short of the bottom of long pages;
the admin index asked for a file that does not exist (a 404 in the browser console)."""

import struct
import zlib

import pytest

from kesbang.demo.seed import DEMO_PASSWORD
from teams.models import ActionPlan
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.demo_readonly]  # reads the demo data only (tests/browser/conftest.py)


def pixel(png: bytes) -> tuple[int, int, int]:
    """The first pixel of a PNG (Playwright's 1×1 clip): enough of the format to read one pixel."""
    pos, idat = 8, b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"IDAT":
            idat += png[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    return raw[1], raw[2], raw[3]  # filter byte, then R, G, B of the first pixel


def test_the_sidebar_reaches_the_bottom_of_a_long_page(page):
    plan = ActionPlan.objects.filter(team__region__code="19").first()
    browser_login(page, "staf.provinsi", DEMO_PASSWORD)
    page.goto(page.base_url + plan.get_absolute_url())
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height > 1500, "the plan page is long enough to show the defect"
    for y in (height - 5, height // 2, 10):
        r, g, b = pixel(page.screenshot(full_page=True, clip={"x": 20, "y": y, "width": 1, "height": 1}))
        assert r + g + b < 200, f"at y={y} of {height} the sidebar column is light ({r}, {g}, {b})"


def test_the_admin_index_loads_every_file_it_asks_for(page):
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    browser_login(page, "administrator", DEMO_PASSWORD)
    page.goto(page.base_url + "/admin/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert page.locator("#site-name").count() == 1, page.url
    assert not problems
