"""Browser tests run against the live server, so their data is committed.

- A test that writes is a transactional test (``django_db(transaction=True)``, flushed afterwards).
  Instead of a serialized rollback (the migrations' data reloaded row by row through the ORM) or
  seed_demo built again (20 s), it starts from a table snapshot taken once per run: the migrations'
  data, or the demo data when it asks for the ``demo`` fixture (tests/snapshot.py).
- A test that only reads the demo data (``demo_readonly`` marker: it opens pages and logs in, nothing
  more) has no flush: the demo snapshot is committed once and the read-only tests that follow one
  another on a worker share it. Logging in writes sessions and access records, which nobody reads;
  the one thing reset between them is the authenticators' last used step (a TOTP code is accepted
  once). Before any other test runs on that worker the tables are emptied, as a flush would.
"""

import pytest

from tests import snapshot

_COMMITTED = {"demo": False}


@pytest.fixture(autouse=True)
def _live_server_helper(request):
    """pytest-django's helper of the same name (settings of the live server for the test), except that a
    ``demo_readonly`` test does not get ``transactional_db`` (and so no flush)."""
    if "live_server" not in request.fixturenames:
        yield
        return
    if request.node.get_closest_marker("demo_readonly") is None:
        request.getfixturevalue("transactional_db")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


@pytest.fixture(autouse=True)
def _browser_data(request, django_db_blocker):
    if request.node.get_closest_marker("demo_readonly"):
        snap = request.getfixturevalue("demo_snapshot")
        with django_db_blocker.unblock():
            if not _COMMITTED["demo"]:
                snapshot.restore(snap)
                _COMMITTED["demo"] = True
            yield
            from django_otp.plugins.otp_totp.models import TOTPDevice

            TOTPDevice.objects.update(last_t=-1)
        return
    request.getfixturevalue("transactional_db")
    if "demo" not in request.fixturenames:
        request.getfixturevalue("base_data")  # the demo snapshot includes the migrations' data
    yield


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last of a run of read-only demo tests, leave the tables as after ``migrate`` for whatever
    test comes next (a flush would leave them empty, without the regions and roles ordinary tests expect)."""
    if _COMMITTED["demo"] and (nextitem is None or nextitem.get_closest_marker("demo_readonly") is None):
        from pytest_django.plugin import blocking_manager_key

        from tests.conftest import _SNAPSHOTS

        with item.config.stash[blocking_manager_key].unblock():
            snapshot.restore(_SNAPSHOTS["base"])  # empties every table, then the migrations' data as after migrate
        _COMMITTED["demo"] = False


@pytest.fixture(autouse=True, scope="module")
def _flush_without_post_migrate():
    """The flush after each browser test empties the tables and nothing more (as it did with the
    serialized rollback): the next test restores a snapshot anyway, so the post_migrate handlers
    (content types, permissions, role groups) re-creating rows in between would be wasted work."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.core.management.commands.flush.emit_post_migrate_signal", lambda *a, **k: None)
        yield
