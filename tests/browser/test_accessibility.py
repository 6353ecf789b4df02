"""WCAG 2.1 AA with axe-core, over every page a logged-in crawl reaches, for every role.

The crawl is generic: from the dashboard it follows every same-site link a role is shown (sidebar,
lists, details, forms), so a page another capability adds (incidents, meetings, reports) is checked
as soon as a link to it exists and the demo data (``kesbang/demo/seed.py``) has a row to reach it by.
Nothing is submitted: only GET pages are opened. Downloads, the Django admin (its own look, not
ours) and logout are skipped.

axe-core is vendored under tests/vendor/axe-core (npm axe-core, MPL-2.0) and evaluated through the
DevTools protocol, so the Content Security Policy of the pages does not stop it.

Every page a role reaches is opened (status under 500, no inline code the CSP would block); axe runs on
the first page of each template a role reaches (``template_shape``: /tim/1/ and /tim/2/, or a list
and the same list filtered or sorted, are one template). A second page of a template differs from
the first in its data, not in its markup, and axe's run (about 0.6 s a page, 60% of the crawl) went to
checking the same markup again: the crawl of 118 pages for Staf Provinsi ran axe 118 times before and
55 times now (126 -> 104 s), with no page less opened. Only that first page of a template is rendered in
the browser; the others are fetched in the same session and read as HTML (``crawl``): Staf Provinsi's
crawl alone went from 38 to 25 s on 4 December (cpu check 0.22 s), the same 118 pages reached.

Widths: every template a role reaches is checked at 1366 px (``desktop``). Then, in the same session, the
viewport turns to 390 px (``phone``) and axe runs again only where the layout differs on a phone
(one page per template, noted during the desktop crawl): the dashboard (the app
shell's offcanvas sidebar and top bar, the stat cards, charts and map, as every page has the same
shell) and every page whose ``<main>`` carries markup that changes at the phone breakpoints
(``PHONE_LAYOUT``: elements shown or hidden from md/lg up, the list tables that become cards
(``kb-list``, ``kb-cards``), tab rows that wrap, the incident map and the stacked form buttons). A page
of plain text, a detail list or a form in one column looks the same to axe at both widths.
"""

import collections
import os
import re
from html import unescape
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from kesbang.demo.seed import DEMO_PASSWORD
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.demo_readonly]  # reads the demo data only (tests/browser/conftest.py)

AXE_JS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "vendor", "axe-core", "axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}

# One login per role, as seeded by kesbang/demo/seed.py.
ROLE_LOGINS = {
    "Administrator": "administrator",
    "Pimpinan": "pimpinan",
    "Staf Provinsi": "staf.provinsi",
    "Staf Kabupaten/Kota": "staf.bangka",
    "Anggota Tim": "anggota.tim",
}

# /api/: the REST API answers JSON, not pages (a browser's raw JSON view has no title or language), and
# its documentation page is Swagger UI's own markup: tests/browser/test_api_pages.py checks our frame
# around it with axe (Swagger UI's contrast and nested buttons are the vendor's, named there).
SKIP_PATH = re.compile(
    r"^/(admin|static|media|api)/|/keluar/|/logout/|/i18n/|/setlang/"
    r"|\.(xlsx|csv|pdf|zip|docx|png|jpe?g|ics)$|/unduh|/ekspor|/templat-impor|/lampiran"
)
MAX_PAGES = int(os.environ.get("KESBANG_A11Y_MAX_PAGES", "150"))
SAME_TEMPLATE_PARAMS = {"sort", "page", "per_page", "urut", "halaman"}
PER_PATTERN = 2  # pages of the same shape (/tim/1/, /tim/2/ ...) opened per role on the desktop
# Markup inside <main> whose layout changes at 390 px (static/css/*.css media queries, Bootstrap's
# d-md-*/d-lg-* display classes): only such pages, and the dashboard, are checked again on a phone.
PHONE_LAYOUT = re.compile(
    r"\bd-(?:sm|md|lg)-(?:none|block|flex|inline|inline-block|inline-flex|table-cell)\b"
    r"|\bkb-(?:list|cards|tabs|map|form-actions|stat|member-table)\b|\btable-responsive\b|\boffcanvas"
)


def shape(url: str) -> str:
    """/tim/12/ubah/?page=2&sort=name → /tim/N/ubah/?filtered: pages of one template. Sorting and
    paging show the same template, so they do not make a new shape."""
    parts = urlsplit(url)
    keys = {k for k, _ in parse_qsl(parts.query)} - SAME_TEMPLATE_PARAMS
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(sorted(keys)) if keys else "")


def template_shape(url: str) -> str:
    """/insiden/peta/?severity=tinggi → /insiden/peta/: the phone pass looks at a template's layout,
    which filters and tabs do not change."""
    return re.sub(r"\d+", "N", urlsplit(url).path)


def normalise(base: str, href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != base:
        return None
    if SKIP_PATH.search(parts.path):
        return None
    query = urlencode(sorted(parse_qsl(parts.query)))
    return parts.path + ("?" + query if query else "")


INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|<style[\s>]|\sstyle=\"|\son[a-z]+=\"", re.I
)


LINKS_AND_MAIN = """() => {
  const main = document.querySelector("main");
  return {main: main ? main.innerHTML : "", links: Array.from(document.querySelectorAll("a[href]"), a => a.href)};
}"""
HREF = re.compile(r"<a\b[^>]*?\bhref=\"([^\"]*)\"", re.I)
MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.I | re.S)


def crawl(page, base: str, axe_source: str, inline: list | None = None, per_pattern: int = PER_PATTERN,
          reached: list | None = None, check=None) -> dict:
    """Breadth-first over the links shown; axe on each page (or only where ``check(path, main_html)``
    says so). Returns {url: violations}; every page opened is added to ``reached``; pages whose HTML
    carries inline code or style (blocked by the CSP) are added to ``inline``.

    With ``check``, the first page of each template is rendered in the browser (axe, and the links its
    scripts add); a later page of a template already rendered is fetched through the same browser
    session without rendering (``context.request``: same cookies, same server): its status, inline code,
    ``<main>`` and links are read from the HTML, which is where our templates put them. That halves
    the crawl's browser work with no page less opened."""
    seen_shapes = collections.Counter()
    queue, queued, results = ["/"], {"/"}, {}
    rendered: set[str] = set()
    while queue and len(results) < MAX_PAGES:
        path = queue.pop(0)
        if check is None or template_shape(path) not in rendered:
            try:
                response = page.goto(base + path)
            except PlaywrightError as exc:
                if "Download is starting" in str(exc):  # a file, not a page
                    continue
                raise
            page.wait_for_load_state("load")
            status, url = (response.status if response else 0), page.url
            html = response.text() if status == 200 else ""
            shown = page.evaluate(LINKS_AND_MAIN) if status == 200 and url.startswith(base) else None
            rendered.add(template_shape(path))
        else:
            response = page.context.request.get(base + path)
            status, url = response.status, response.url
            if status == 200 and not response.headers.get("content-type", "").startswith("text/html"):
                continue  # a file, not a page
            html = response.text() if status == 200 else ""
            main = MAIN.search(html)
            shown = {"main": main.group(1) if main else "",
                     "links": [urljoin(url, unescape(href)) for href in HREF.findall(html)]}
        assert status < 500, f"{path} answered {status}"
        if status != 200 or not url.startswith(base):
            continue
        if inline is not None:
            found = INLINE_CODE.findall(html)
            if found:
                inline.append(f"{path}: {sorted(set(found))[:5]}")
        if reached is not None:
            reached.append(path)
        if check is None or check(path, shown["main"]):
            results[path] = axe(page, axe_source)
        for href in shown["links"]:
            url = normalise(base, href.split("#")[0])
            if not url or url in queued:
                continue
            key = shape(url)
            if seen_shapes[key] >= per_pattern:
                continue
            seen_shapes[key] += 1
            queued.add(url)
            queue.append(url)
    return results


def summarise(results: dict) -> tuple[list[str], collections.Counter]:
    failures, by_rule = [], collections.Counter()
    for path, violations in results.items():
        for v in violations:
            by_rule[(v["impact"], v["id"])] += len(v["nodes"])
            if v["impact"] not in FAILING_IMPACTS:
                print(f"  (not failing) {path}: [{v['impact']}] {v['id']}: {v['help']}")
            if v["impact"] in FAILING_IMPACTS:
                targets = ", ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                                    for n in v["nodes"][:4])
                failures.append(f"{path}: [{v['impact']}] {v['id']} ({len(v['nodes'])}×) {v['help']} → {targets}")
    return failures, by_rule


def axe(page, axe_source: str) -> list:
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(axe_source)
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )["violations"]


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("role", list(ROLE_LOGINS))
def test_every_page_a_role_reaches_has_no_serious_axe_violation(browser, live_server, role):
    """The desktop crawl checks every page reached; the pages whose layout changes on a phone (and the
    dashboard) are noted on the way, one per template, and checked again at 390 px in the same session."""
    context = browser.new_context(locale="id-ID", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.base_url = live_server.url
    phone_pages: dict[str, str] = {}  # template shape -> first path of that template with a phone layout

    checked_templates: set[str] = set()

    def note_phone_layout(path: str, main: str) -> bool:
        template = template_shape(path)
        if path == "/" or PHONE_LAYOUT.search(main):
            phone_pages.setdefault(template, path)
        if template in checked_templates:
            return False  # the same template with other ids, filters or sorting: opened, not axe'd again
        checked_templates.add(template)
        return True

    try:
        browser_login(page, ROLE_LOGINS[role], DEMO_PASSWORD)
        with open(AXE_JS, encoding="utf-8") as fh:
            axe_source = fh.read()
        inline, reached = [], []
        results = {"desktop": crawl(page, live_server.url, axe_source, inline, PER_PATTERN, reached,
                                    check=note_phone_layout)}
        page.set_viewport_size(PHONE)
        results["phone"] = {}
        for path in phone_pages.values():
            page.goto(live_server.url + path)
            results["phone"][path] = axe(page, axe_source)
    finally:
        context.close()
    assert not inline, "pages whose HTML has inline script/style (the CSP blocks them):\n" + "\n".join(inline)
    assert len(reached) >= 4, f"the crawl reached only {sorted(reached)}"
    failures = []
    for viewport, found in results.items():
        failed, by_rule = summarise(found)
        failures += [f"({viewport}) {line}" for line in failed]
        counts = ", ".join(f"{impact}/{rule}: {n}" for (impact, rule), n in sorted(by_rule.items())) or "none"
        print(f"\naxe {role} {viewport}: {len(found)} of {len(reached)} pages reached checked; violations by rule "
              f"(elements): {counts}")
        print("  pages: " + " ".join(sorted(found)))
        assert "/" in found, f"the dashboard (the app shell) was not checked at the {viewport} width"
    assert not failures, f"{len(failures)} serious/critical axe violations for {role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_public_pages_have_no_serious_axe_violation(browser, live_server, viewport):
    context = browser.new_context(locale="id-ID", viewport=DESKTOP if viewport == "desktop" else PHONE)
    page = context.new_page()
    with open(AXE_JS, encoding="utf-8") as fh:
        axe_source = fh.read()
    results = {}
    from incidents.models import PublicReport

    code = PublicReport.objects.order_by("pk").first().tracking_display  # a demo report's tracking page (issue 16)
    try:
        for path in ("/akun/login/", "/akun/password_reset/", "/lapor/", "/lapor/status/", f"/lapor/status/{code}/",
                     "/lapor/privasi/"):
            page.goto(live_server.url + path)
            results[path] = axe(page, axe_source)
    finally:
        context.close()
    failures, _ = summarise(results)
    assert not failures, "\n".join(failures)
