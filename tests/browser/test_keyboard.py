"""Keyboard alone: a skip link first, then every stop shows a visible focus ring (WCAG 2.4.1, 2.4.7)."""

import pytest

from kesbang.demo.seed import DEMO_PASSWORD
from teams.models import Team
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.demo_readonly]  # reads the demo data only (tests/browser/conftest.py)

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const ring = outline || (s.boxShadow && s.boxShadow !== 'none');
  const r = el.getBoundingClientRect();
  return {tag: el.tagName, text: (el.innerText || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 40),
          ring, visible: r.width > 0 && r.height > 0};
}"""


@pytest.mark.parametrize("width", [1366, 390])
def test_tab_order_starts_with_a_skip_link_and_every_stop_shows_focus(page, width):
    team = Team.objects.get(region__code="19")
    browser_login(page, "staf.provinsi", DEMO_PASSWORD)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + team.get_absolute_url())
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_STYLE)
    assert first["text"] == "Langsung ke isi halaman" and first["visible"] and first["ring"], first
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "content"
    page.goto(page.base_url + team.get_absolute_url())
    missing = []
    for _ in range(40):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STYLE)
        if state and state["visible"] and not state["ring"]:
            missing.append(state)
    assert not missing, f"focus without a visible ring: {missing}"
