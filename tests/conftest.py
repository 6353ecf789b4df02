"""Shared fixtures. Services are real: PostgreSQL/Redis from the environment, Chromium from Debian.

With KESBANG_REQUIRE_SERVICES=1 (CI), a test whose service is missing fails instead of skipping.
"""

import os
import shutil

import pytest

from tests import otp
from tests.factories import make_user

# Logins that must pass two-factor (Pimpinan, Staf Provinsi, administrators): force_login gives them a
# verified session (tests/otp.py).
otp.install()

REQUIRE_SERVICES = os.environ.get("KESBANG_REQUIRE_SERVICES") == "1"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def own_callbacks(callbacks) -> list:
    """The on_commit callbacks a test captured, without the cache-generation bump that any write of a
    watched model adds (``kesbang.core.generations``): what the code under test itself deferred."""
    return [c for c in callbacks if not getattr(c, "kesbang_generation", False)]


def require(condition: bool, reason: str) -> None:
    """Skip locally when a service is missing; fail in CI where it must be present."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The dashboard caches aggregates and reference rows: every test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- Data built once per test run (tests/snapshot.py) ---------------------------------------------

@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, plus a snapshot of what the migrations put in them (regions,
    roles): transactional tests flush it away, ``base_data`` and ``demo`` put it back in a second."""
    from tests import snapshot

    with django_db_blocker.unblock():
        _SNAPSHOTS["base"] = snapshot.capture()


_SNAPSHOTS: dict = {}


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """seed_demo (kesbang/demo.py), built once per test run (per xdist worker) in a transaction that
    is rolled back, kept as a table snapshot."""
    from django.db import transaction

    from kesbang.demo.seed import seed_demo
    from tests import snapshot

    with django_db_blocker.unblock(), transaction.atomic():
        snapshot.restore(_SNAPSHOTS["base"])
        seed_demo()
        snap = snapshot.capture()
        transaction.set_rollback(True)
    return snap


@pytest.fixture
def base_data(db):
    """The migrations' data (regions, roles) as right after ``migrate``, whatever an earlier
    transactional test flushed. Within the test's transaction, or committed in a transactional test."""
    from tests import snapshot

    snapshot.restore(_SNAPSHOTS["base"])


@pytest.fixture
def demo(db, demo_snapshot):
    """The demo data of ``manage.py seed_demo`` (logins in kesbang.demo.DEMO_PASSWORD), restored from
    the run's snapshot instead of being built again (about a second instead of 20). The restore
    replaces every table, so request it before fixtures that write rows (``def test(demo, admin_user)``)."""
    from django.core.cache import cache

    from tests import snapshot

    snapshot.restore(demo_snapshot)
    cache.clear()


_BUILT: dict = {}


def _media_files(root) -> dict:
    from pathlib import Path

    root = Path(root)
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()} if root.exists() else {}


@pytest.fixture
def built_once(db, settings):
    """``built_once(key, build)``: data that many tests share, built once per test run (per xdist
    worker) instead of once per test. The first call runs ``build()`` from the migrations' data, keeps
    the tables it filled (tests/snapshot.py) and the files it wrote under MEDIA_ROOT, and rolls it back;
    every call then restores both and returns what ``build()`` returned (keep it to ids: objects are
    read again after the restore). Request it before fixtures that write rows, as ``demo``."""
    from pathlib import Path

    from django.db import transaction

    from tests import snapshot

    def use(key, build):
        if key not in _BUILT:
            before = _media_files(settings.MEDIA_ROOT)
            with transaction.atomic():
                snapshot.restore(_SNAPSHOTS["base"])
                value = build()
                snap = snapshot.capture()
                transaction.set_rollback(True)
            files = {path: body for path, body in _media_files(settings.MEDIA_ROOT).items() if path not in before}
            _BUILT[key] = (snap, files, value)
        snap, files, value = _BUILT[key]
        snapshot.restore(snap)
        for path, body in files.items():
            target = Path(settings.MEDIA_ROOT) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        return value

    return use


@pytest.fixture
def admin_user(db):
    return make_user("Administrator", username="admin.test", superuser=True)


@pytest.fixture
def staf_provinsi(db):
    return make_user("Staf Provinsi", username="staf.prov", region_code="19")


@pytest.fixture
def staf_bangka(db):
    return make_user("Staf Kabupaten/Kota", username="staf.bangka", region_code="19.01")


@pytest.fixture
def staf_belitung(db):
    return make_user("Staf Kabupaten/Kota", username="staf.belitung", region_code="19.02")


@pytest.fixture
def pimpinan(db):
    return make_user("Pimpinan", username="pimpinan", region_code="19")


@pytest.fixture
def anggota_tim(db):
    return make_user("Anggota Tim", username="anggota", region_code="19.71")


@pytest.fixture
def no_role_user(db):
    return make_user(None, username="tanpa.peran", region_code="19")


# --- Browser (Debian's chromium through Playwright for Python) -------------------------------------

BROWSER_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOT_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts")


@pytest.fixture(scope="session")
def browser():
    require(bool(CHROMIUM), "chromium is not installed (apt-get install chromium)")
    # Playwright's sync API keeps an event loop in this thread; Django's ORM calls from the test
    # body are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (Indonesian, desktop size) against the live test server."""
    context = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.base_url = live_server.url
    yield pg
    context.close()


def browser_login(pg, username: str, password: str = "rahasia-uji-123") -> None:
    """Log in through the real form; an administrator then enters the code of its authenticator
    (enrolled for the test when it has none) on the real verification page."""
    pg.goto(pg.base_url + "/akun/login/")
    pg.fill("#id_username", username)
    pg.fill("#id_password", password)
    # Wait for the page the login leads to (its load event), not for half a second of network silence
    # ("networkidle"): that was 0.5 s per login, 1 s for an administrator.
    with pg.expect_navigation():
        pg.click("#login-submit")
    if "/akun/dua-langkah/" in pg.url:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(username=username)
        device = otp.enrol(user)
        if "/pasang/" in pg.url:  # first login: the page shows a fresh secret; use an enrolled one
            pg.goto(pg.base_url + "/akun/dua-langkah/verifikasi/")
        pg.fill("#id_token", otp.totp_now(device))
        with pg.expect_navigation():
            pg.click("#otp-verify-submit")


def screenshot(pg, name: str, *, phone: bool = False) -> str:
    """Save a full-page PNG under test-artifacts/ (desktop, or 390 px wide with phone=True)."""
    os.makedirs(SCREENSHOT_DIR, exist_ok=True)
    if phone:
        pg.set_viewport_size({"width": 390, "height": 844})
    path = os.path.join(SCREENSHOT_DIR, f"{name}{'-phone' if phone else ''}.png")
    pg.screenshot(path=path, full_page=True)
    if phone:
        pg.set_viewport_size({"width": 1366, "height": 900})
    return path


# --- Order: the longest tests first --------------------------------------------------------------
# Under pytest-xdist (``make test``: -n auto --dist worksteal) a worker that runs out of tests takes
# the rest of another's queue, but a long test that starts last still keeps the run waiting for it
# alone. These modules hold tests of 5 to 90 seconds each (the accessibility crawl per role, fault
# drills, backups, the URL x role matrix): they go first, in their own order, the rest keeps its order.
SLOW_FIRST = (
    "tests/browser/test_accessibility.py",
    "tests/drills/",
    "tests/ops/test_backup.py",
    "tests/security/test_urls.py",
    "tests/kesbang/test_static.py",
    "tests/browser/",
)


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        path = item.nodeid.split("::")[0]
        return next((i for i, prefix in enumerate(SLOW_FIRST) if path.startswith(prefix)), len(SLOW_FIRST))

    items[:] = sorted(items, key=rank)  # stable: each group keeps its collection order


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with pytest-django's flush, which empties the migrations' data too
    (regions, roles): ordinary tests that come after it on the worker expect that data, so it is put
    back (committed) whenever a test left the regions empty. One cheap query per test otherwise."""
    if nextitem is None or "base" not in _SNAPSHOTS:
        return
    from pytest_django.plugin import blocking_manager_key

    from teams.models import Region
    from tests import snapshot

    with item.config.stash[blocking_manager_key].unblock():
        if not Region.objects.exists():
            snapshot.restore(_SNAPSHOTS["base"])
