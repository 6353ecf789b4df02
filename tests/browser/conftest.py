"""Browser tests run against the live server, so their data is committed: each is a transactional test
(``django_db(transaction=True)``, flushed afterwards). Instead of a serialized rollback (the
migrations' data reloaded row by row through the ORM) or seed_demo built again (20 s), each test starts
from a table snapshot taken once per run: the migrations' data, or the demo data when the test asks
for the ``demo`` fixture (tests/snapshot.py)."""

import pytest


@pytest.fixture(autouse=True)
def _browser_data(request, transactional_db):
    if "demo" in request.fixturenames:
        return  # the demo snapshot includes the migrations' data
    request.getfixturevalue("base_data")


@pytest.fixture(autouse=True, scope="module")
def _flush_without_post_migrate():
    """The flush after each browser test empties the tables and nothing more (as it did with the
    serialized rollback): the next test restores a snapshot anyway, so the post_migrate handlers
    (content types, permissions, role groups) re-creating rows in between would be wasted work."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.core.management.commands.flush.emit_post_migrate_signal", lambda *a, **k: None)
        yield
