"""kesbang.core.events: services name what happened; listeners registered by upper apps act on it in
the same transaction (no signals)."""

import pytest

from kesbang.core import events

pytestmark = pytest.mark.django_db  # the installed integrations app listens too (one query: no endpoint)


@pytest.fixture
def heard():
    got = []

    def listener(event):
        got.append(event)

    events.listen(listener)
    events.listen(listener)  # registering twice changes nothing
    yield got
    events.unlisten(listener)


def test_emit_tells_every_listener_once(heard):
    event = events.emit(events.INCIDENT_VERIFIED, object_id="7", from_status="dilaporkan")
    assert heard == [event]
    assert (event.name, event.object_id, event.data) == ("incident.verified", 7, {"from_status": "dilaporkan"})
    assert event.at is not None


def test_an_unknown_event_is_a_programming_error(heard):
    with pytest.raises(ValueError, match="unknown event"):
        events.emit("incident.deleted", object_id=1)
    assert heard == []


def test_a_failing_listener_fails_the_service():
    def broken(event):
        raise RuntimeError("outbox penuh")

    events.listen(broken)
    try:
        with pytest.raises(RuntimeError):
            events.emit(events.MEETING_SCHEDULED, object_id=1)
    finally:
        events.unlisten(broken)


def test_core_imports_no_app():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(events))
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [m for m in imported if m and m.split(".")[0] in ("teams", "incidents", "meetings")]
    assert not [m for m in imported if m and m.startswith("kesbang.") and not m.startswith("kesbang.core")]
