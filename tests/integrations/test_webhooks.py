"""Webhooks end to end: a real HTTP receiver on 127.0.0.1 (http.server in a thread) checks every
signature; retries after a 500; exactly once under duplicate task runs; the classification policy per
declared clearance; private targets refused unless allowed; secrets sealed and shown once."""

from __future__ import annotations

import datetime
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from incidents import services as incident_services
from kesbang.core import events
from kesbang.integrations import sealing, transport, webhooks
from kesbang.integrations.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from kesbang.integrations.tasks import WEBHOOK, webhook_deliver
from tests.api.schema import api_schema_validator
from tests.factories import make_incident, make_meeting, make_team, make_user

pytestmark = pytest.mark.django_db
README = Path(__file__).resolve().parents[2] / "README.md"
ALL_EVENTS = list(events.EVENTS)


class Receiver:
    """A webhook receiver: answers the scripted statuses in turn (then 200) and keeps every request."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"diterima" if status < 300 else b"sibuk")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # serve_forever looks for shutdown() every poll_interval (0.5 s by default: half a second per test)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/kesbang/hook?sumber=uji"

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def verified(self, secret: str) -> list[bool]:
        return [transport.verify(secret, r["headers"]["X-Kesbang-Timestamp"], r["body"],
                                 r["headers"]["X-Kesbang-Signature"]) for r in self.requests]


@pytest.fixture
def allow_loopback(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True


@pytest.fixture
def receiver(allow_loopback):
    r = Receiver()
    yield r
    r.close()


def register(url, *, clearance="rahasia", events_=None, user=None):
    return webhooks.endpoint_register(name=f"Penerima {clearance}", url=url, events=events_ or ALL_EVENTS,
                                      clearance=clearance, user=user)


def plan_all() -> list[int]:
    ids = []
    for event in WebhookEvent.objects.order_by("pk"):
        ids += webhooks.webhook_event_plan(event_id=event.pk)
    return ids


# --- signing and the receiver ------------------------------------------------------------------------


def test_a_reported_incident_reaches_the_receiver_signed(receiver):
    endpoint, secret = register(receiver.url)
    incident = make_incident(status="dilaporkan", title="Bentrokan nelayan di Sungailiat")
    (event,) = WebhookEvent.objects.filter(name="incident.reported")
    assert event.object_id == incident.pk and event.dispatched_at is None
    (delivery_id,) = webhooks.webhook_event_plan(event_id=event.pk)
    assert webhooks.webhook_send(delivery_id=delivery_id) is True
    (request,) = receiver.requests
    headers = request["headers"]
    assert request["path"] == "/kesbang/hook?sumber=uji"
    assert headers["X-Kesbang-Event"] == "incident.reported" and headers["X-Kesbang-Event-Id"] == str(event.uid)
    assert re.fullmatch(r"v1=[0-9a-f]{64}", headers["X-Kesbang-Signature"])
    assert receiver.verified(secret) == [True]
    assert not transport.verify("whsec_salah", headers["X-Kesbang-Timestamp"], request["body"],
                                headers["X-Kesbang-Signature"])
    assert not transport.verify(secret, headers["X-Kesbang-Timestamp"], request["body"] + b" ",
                                headers["X-Kesbang-Signature"])
    body = json.loads(request["body"])
    assert body["schema_version"] == "2.0" and body["event"] == "incident.reported" and body["id"] == str(event.uid)
    assert body["data"]["disclosure"] == "full" and body["data"]["page_url"].endswith(f"/insiden/{incident.pk}/")
    assert body["data"]["incident"]["title"] == "Bentrokan nelayan di Sungailiat"
    assert body["data"]["to_status"] == "dilaporkan"
    api_schema_validator("IncidentDetail").validate(body["data"]["incident"])  # the API's own representation
    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert row.status == "sent" and row.attempts == 1 and row.response_status == 200
    assert row.response_excerpt == "diterima" and json.loads(row.body) == body
    assert endpoint.deliveries.count() == 1


def test_an_old_timestamp_does_not_verify():
    body = b'{"a":1}'
    old = int(timezone.now().timestamp()) - 3600
    signature = transport.sign("whsec_x", old, body)
    assert not transport.verify("whsec_x", str(old), body, signature)
    assert transport.verify("whsec_x", str(old), body, signature, now=old + 10)


def test_the_readme_snippet_verifies_a_real_signature(receiver):
    """The README's receiver snippet, executed, accepts what Kesbang sends and refuses a forgery."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Verifying a webhook signature"):]
    snippet = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(compile(snippet, "README.md", "exec"), namespace)  # noqa: S102 - our own documentation
    endpoint, secret = register(receiver.url)
    make_incident(status="dilaporkan")
    for delivery_id in plan_all():
        webhooks.webhook_send(delivery_id=delivery_id)
    (request,) = receiver.requests
    headers, body = request["headers"], request["body"]
    verify = namespace["verify_kesbang_signature"]
    assert verify(secret, headers["X-Kesbang-Timestamp"], headers["X-Kesbang-Signature"], body) is True
    assert verify(secret, headers["X-Kesbang-Timestamp"], headers["X-Kesbang-Signature"], body + b"x") is False
    assert verify("whsec_salah", headers["X-Kesbang-Timestamp"], headers["X-Kesbang-Signature"], body) is False


# --- retries and exactly once ----------------------------------------------------------------------------


def test_a_500_is_retried_then_delivered_once(allow_loopback):
    receiver = Receiver(statuses=[500, 503])
    try:
        _endpoint, secret = register(receiver.url)
        make_incident(status="dilaporkan")
        (delivery_id,) = plan_all()
        result = webhook_deliver.apply(args=[delivery_id])  # eager: autoretry runs it again after each 5xx
        row = WebhookDelivery.objects.get(pk=delivery_id)
        ids = [json.loads(r["body"])["id"] for r in receiver.requests]
        assert len(ids) == 3 and len(set(ids)) == 1  # the same event, retried
        assert receiver.verified(secret) == [True, True, True]
        assert row.status == "sent" and row.attempts == 3 and row.response_status == 200
        assert result.successful() or row.status == "sent"
        # A late duplicate (sweeper, redelivered message) sends nothing more.
        assert webhook_deliver.apply(args=[delivery_id]).get() == {"delivery": delivery_id, "sent": False}
        assert len(receiver.requests) == 3
    finally:
        receiver.close()


def test_the_retry_policy_is_exponential_with_a_ceiling():
    options = WEBHOOK.options()
    assert options["autoretry_for"][0] is transport.WebhookSendError
    assert options["retry_backoff"] == 30 and options["retry_backoff_max"] == 3600 and options["retry_jitter"]
    assert options["max_retries"] == 7 and options["acks_late"]
    assert webhook_deliver.max_retries == 7


def test_a_receiver_that_keeps_failing_ends_failed_after_the_attempts(allow_loopback, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    receiver = Receiver(statuses=[500] * 20)
    try:
        register(receiver.url)
        make_incident(status="dilaporkan")
        (delivery_id,) = plan_all()
        for _ in range(2):
            with pytest.raises(transport.WebhookSendError):
                webhooks.webhook_send(delivery_id=delivery_id)
        row = WebhookDelivery.objects.get(pk=delivery_id)
        assert row.status == "failed" and row.attempts == 2 and row.response_status == 500
        assert "HTTP 500" in row.last_error
        # The administrator's "resend failed" gives it another round.
        with transaction.atomic():
            assert webhooks.deliveries_resend(endpoint=row.endpoint) == [delivery_id]
        assert WebhookDelivery.objects.get(pk=delivery_id).status == "pending"
    finally:
        receiver.close()


def test_duplicate_task_runs_send_once(receiver):
    _endpoint, secret = register(receiver.url)
    make_incident(status="dilaporkan")
    (event,) = WebhookEvent.objects.all()
    first = webhooks.webhook_event_plan(event_id=event.pk)
    second = webhooks.webhook_event_plan(event_id=event.pk)  # the dispatch message delivered twice
    assert first == second and WebhookDelivery.objects.count() == 1
    runs = [webhook_deliver.apply(args=[first[0]]).get()["sent"] for _ in range(3)]
    assert runs == [True, False, False]
    assert len(receiver.requests) == 1 and receiver.verified(secret) == [True]


def test_a_delivery_claimed_by_a_live_worker_is_left_to_it(receiver):
    register(receiver.url)
    make_incident(status="dilaporkan")
    (delivery_id,) = plan_all()
    WebhookDelivery.objects.filter(pk=delivery_id).update(claimed_at=timezone.now())
    assert webhooks.webhook_send(delivery_id=delivery_id) is False
    assert receiver.requests == []
    WebhookDelivery.objects.filter(pk=delivery_id).update(claimed_at=timezone.now() - datetime.timedelta(hours=1))
    assert webhooks.webhook_send(delivery_id=delivery_id) is True  # that worker died: taken over
    assert len(receiver.requests) == 1


def test_the_sweeper_finds_lost_messages(receiver):
    register(receiver.url)
    make_incident(status="dilaporkan")
    (event,) = WebhookEvent.objects.all()
    later = timezone.now() + datetime.timedelta(minutes=5)
    assert webhooks.webhooks_due(now=later) == ([event.pk], [])
    (delivery_id,) = webhooks.webhook_event_plan(event_id=event.pk)
    WebhookDelivery.objects.filter(pk=delivery_id).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    assert webhooks.webhooks_due(now=later) == ([], [delivery_id])
    webhooks.webhook_send(delivery_id=delivery_id)
    assert webhooks.webhooks_due(now=later) == ([], [])


# --- which events are recorded -----------------------------------------------------------------------------


def test_no_endpoint_no_event_and_a_rollback_leaves_none(allow_loopback):
    make_incident(status="dilaporkan")
    assert not WebhookEvent.objects.exists()
    register("http://127.0.0.1:9/tidak-dipakai", events_=["incident.verified"])
    make_incident(status="dilaporkan")
    assert not WebhookEvent.objects.exists()  # the endpoint does not want "reported"
    incident = make_incident(status="dilaporkan")
    with pytest.raises(RuntimeError), transaction.atomic():
        incident_services.incident_verify(incident=incident, user=make_user("Staf Provinsi", username="v.prov"))
        assert WebhookEvent.objects.filter(name="incident.verified").count() == 1
        raise RuntimeError("the service's transaction rolls back")
    assert not WebhookEvent.objects.exists()


def test_every_service_emits_its_event(allow_loopback):
    from kesbang.office.reports import services as report_services
    from tests.factories import ReportFactory

    register("http://127.0.0.1:9/tidak-dipakai")
    superuser = make_user("Administrator", username="ev.super", superuser=True)
    potential = make_incident(status="terverifikasi")
    escalated = incident_services.incident_escalate(potential=potential, user=superuser, severity="tinggi")
    closed = make_incident(status="selesai")
    meeting = make_meeting(team=make_team("19.02"), linked_incidents=[potential, closed])
    report = report_services.report_finalise(report=ReportFactory(), user=superuser)
    got = set(WebhookEvent.objects.values_list("name", "object_id"))
    assert {("incident.reported", potential.pk), ("incident.verified", potential.pk),
            ("incident.reported", escalated.pk), ("incident.escalated", escalated.pk),
            ("incident.closed", closed.pk), ("meeting.scheduled", meeting.pk),
            ("report.finalised", report.pk)} <= got
    assert WebhookEvent.objects.get(name="incident.escalated").data == {"escalated_from": potential.pk}

    # Every body is made of the API's representations: each part validates against its OpenAPI component.
    component = {"incident": {"full": "IncidentDetail", "reference": "IncidentReference"}, "meeting": "Meeting",
                 "report": "Report", "escalated_from": "IncidentReference", "linked_incidents": "Incident",
                 "linked_incidents_by_reference": "IncidentReference"}
    checked = set()
    for event in WebhookEvent.objects.order_by("pk"):
        body = webhooks.payloads.webhook_body(uid=event.uid, name=event.name, occurred_at=event.occurred_at,
                                              object_id=event.object_id, data=event.data, clearance="rahasia")
        json.dumps(body)  # plain JSON, as sent
        for key, value in body["data"].items():
            name = component.get(key)
            if isinstance(name, dict):
                name = name[body["data"]["disclosure"]]
            if name is None:
                continue
            validator = api_schema_validator(name)
            for item in value if isinstance(value, list) else [value]:
                validator.validate(item)
            checked.add(key)
    assert {"incident", "meeting", "report", "escalated_from", "linked_incidents"} <= checked


# --- the classification policy per declared clearance -------------------------------------------------------


def test_each_endpoint_hears_what_its_clearance_allows(allow_loopback):
    receivers = {c: Receiver() for c in ("biasa", "terbatas", "rahasia")}
    try:
        secrets = {c: register(r.url, clearance=c, user=None)[1] for c, r in receivers.items()}
        incidents = {c: make_incident(status="dilaporkan", classification=c, title=f"JUDUL-{c.upper()}-q1",
                                      chronology=f"KRONOLOGI-{c.upper()}-q1") for c in ("biasa", "terbatas", "rahasia")}
        for delivery_id in plan_all():
            webhooks.webhook_send(delivery_id=delivery_id)
        heard = {c: [json.loads(req["body"])["data"]["incident"] for req in r.requests] for c, r in receivers.items()}
        raw = {c: b"".join(req["body"] for req in r.requests).decode() for c, r in receivers.items()}
        # biasa endpoint: only the biasa incident, nothing at all of the others (not even that they exist)
        assert [i["reference"] for i in heard["biasa"]] == [incidents["biasa"].reference]
        assert incidents["terbatas"].reference not in raw["biasa"]
        assert incidents["rahasia"].reference not in raw["biasa"]
        # terbatas endpoint: biasa and terbatas in full, no rahasia
        assert sorted(i["reference"] for i in heard["terbatas"]) == sorted(
            [incidents["biasa"].reference, incidents["terbatas"].reference])
        assert all(json.loads(req["body"])["data"]["disclosure"] == "full" for req in receivers["terbatas"].requests)
        assert incidents["rahasia"].reference not in raw["terbatas"]
        # rahasia endpoint: everything, the rahasia one by its reference only
        by_ref = {i["reference"]: i for i in heard["rahasia"]}
        secret_one = by_ref[incidents["rahasia"].reference]
        assert secret_one == {"reference": incidents["rahasia"].reference, "kind": "potensi",
                              "kind_label": "Potensi konflik", "severity": incidents["rahasia"].severity,
                              "severity_label": incidents["rahasia"].get_severity_display(),
                              "classification": "rahasia", "classification_label": "Rahasia",
                              "region": {"id": incidents["rahasia"].region_id, "code": "19.01",
                                         "name": "Kabupaten Bangka"}}
        assert [json.loads(req["body"])["data"]["disclosure"] for req in receivers["rahasia"].requests].count(
            "reference") == 1
        assert "JUDUL-RAHASIA-q1" not in raw["rahasia"] and "KRONOLOGI-RAHASIA-q1" not in raw["rahasia"]
        assert "JUDUL-TERBATAS-q1" in raw["rahasia"]
        assert all(r.verified(secrets[c]) == [True] * len(r.requests) for c, r in receivers.items())
        # no delivery row at all where the policy withholds the event
        assert WebhookDelivery.objects.filter(endpoint__clearance="biasa").count() == 1
        assert WebhookDelivery.objects.filter(endpoint__clearance="terbatas").count() == 2
    finally:
        for r in receivers.values():
            r.close()


def test_a_class_raised_before_sending_is_withheld(receiver):
    register(receiver.url, clearance="biasa")
    incident = make_incident(status="dilaporkan")
    (delivery_id,) = plan_all()
    superuser = make_user("Administrator", username="naik.super", superuser=True)
    incident_services.incident_update(incident=incident, user=superuser, expected_version=incident.version,
                                      classification="rahasia")
    assert webhooks.webhook_send(delivery_id=delivery_id) is False
    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert receiver.requests == [] and row.status == "failed" and "Ditahan" in row.last_error


def test_a_meeting_names_only_the_linked_incidents_the_clearance_allows(receiver):
    register(receiver.url, clearance="biasa", events_=["meeting.scheduled"])
    open_one = make_incident(status="dilaporkan", classification="biasa")
    secret_one = make_incident(status="dilaporkan", classification="rahasia")
    meeting = make_meeting(team=make_team("19.01"), linked_incidents=[open_one, secret_one])
    for delivery_id in plan_all():
        webhooks.webhook_send(delivery_id=delivery_id)
    (request,) = receiver.requests
    body = json.loads(request["body"])
    assert body["data"]["meeting"]["id"] == meeting.pk
    assert [i["reference"] for i in body["data"]["linked_incidents"]] == [open_one.reference]
    assert body["data"]["linked_incidents_by_reference"] == []
    assert secret_one.reference.encode() not in request["body"]


# --- targets, secrets, who registers -------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://contoh.go.id/hook", "http:// atau https://"),
    ("https://user:sandi@contoh.go.id/hook", "nama pengguna"),
    ("http://127.0.0.1:8000/hook", "jaringan internal"),
    ("http://localhost/hook", "jaringan internal"),
    ("http://10.1.2.3/hook", "jaringan internal"),
    ("http://169.254.169.254/latest/meta-data", "jaringan internal"),
    ("http://[::1]/hook", "jaringan internal"),
    ("http://[::ffff:127.0.0.1]/hook", "jaringan internal"),
])
def test_unsafe_addresses_are_refused_in_production(settings, url, message):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(ValidationError) as exc:
        register(url)
    assert message in " ".join(exc.value.messages)
    assert not WebhookEndpoint.objects.exists()


def test_private_targets_default_to_debug_and_are_checked_again_at_send(settings, allow_loopback):
    from kesbang import settings as project_settings

    assert project_settings.WEBHOOK_ALLOW_PRIVATE_TARGETS == project_settings.DEBUG
    receiver = Receiver()
    try:
        register(receiver.url)
        make_incident(status="dilaporkan")
        (delivery_id,) = plan_all()
        settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False  # switched off after registration
        with pytest.raises(transport.UnsafeTarget):
            webhooks.webhook_send(delivery_id=delivery_id)
        assert receiver.requests == []
        assert "non-public" in WebhookDelivery.objects.get(pk=delivery_id).last_error
    finally:
        receiver.close()


def test_redirects_are_not_followed(allow_loopback):
    receiver = Receiver(statuses=[302])
    try:
        register(receiver.url)
        make_incident(status="dilaporkan")
        (delivery_id,) = plan_all()
        with pytest.raises(transport.WebhookSendError, match="HTTP 302"):
            webhooks.webhook_send(delivery_id=delivery_id)
        assert len(receiver.requests) == 1
    finally:
        receiver.close()


def test_the_secret_is_stored_sealed_and_rotation_replaces_it(receiver):
    endpoint, secret = register(receiver.url)
    assert secret.startswith("whsec_") and len(secret) >= 40
    stored = WebhookEndpoint.objects.get(pk=endpoint.pk)
    assert secret not in stored.secret_sealed and secret[6:] not in stored.secret_sealed
    assert sealing.unseal(stored.secret_sealed) == secret and stored.secret_hint == "…" + secret[-4:]
    _same, new = webhooks.endpoint_rotate_secret(endpoint=endpoint)
    assert new != secret
    make_incident(status="dilaporkan")
    for delivery_id in plan_all():
        webhooks.webhook_send(delivery_id=delivery_id)
    assert receiver.verified(new) == [True] and receiver.verified(secret) == [False]


def test_a_secret_sealed_under_an_old_key_still_opens_via_fallbacks(settings):
    settings.SECRET_KEY = "kunci-lama-" + "x" * 50
    sealed = sealing.seal("whsec_lama")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "kunci-baru-" + "y" * 50
    assert sealing.unseal(sealed) == "whsec_lama"
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(sealing.SecretUnavailable):
        sealing.unseal(sealed)


def test_a_login_registers_only_up_to_the_classes_it_reads(allow_loopback):
    administrator = make_user("Administrator", username="wh.admin")
    endpoint, _secret = register("http://127.0.0.1:9/a", clearance="biasa", user=administrator)
    with pytest.raises(ValidationError) as exc:
        register("http://127.0.0.1:9/b", clearance="terbatas", user=administrator)
    assert "klasifikasi yang boleh Anda baca" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        webhooks.endpoint_update(endpoint=endpoint, user=administrator, clearance="rahasia")
    superuser = make_user("Administrator", username="wh.super", superuser=True)
    secret_endpoint, _s = register("http://127.0.0.1:9/c", clearance="rahasia", user=superuser)
    assert list(WebhookEndpoint.objects.restrict(administrator, "view")) == [endpoint]
    assert set(WebhookEndpoint.objects.restrict(superuser, "view")) == {endpoint, secret_endpoint}
    assert not WebhookEndpoint.objects.restrict(make_user("Staf Provinsi", username="wh.staf"), "view").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_dispatchers_and_senders_send_once(base_data, settings):
    """Four workers plan and send the same event at the same moment (a duplicated message, the sweeper
    and a retry all at once): one row, one request."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL row locks (DATABASE_URL)")
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    receiver = Receiver()
    try:
        _endpoint, secret = register(receiver.url)
        make_incident(status="dilaporkan")
        (event,) = WebhookEvent.objects.all()
        errors, barrier = [], threading.Barrier(4)

        def run():
            try:
                barrier.wait(timeout=10)
                for delivery_id in webhooks.webhook_event_plan(event_id=event.pk):
                    webhooks.webhook_send(delivery_id=delivery_id)
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert errors == []
        assert len(receiver.requests) == 1 and receiver.verified(secret) == [True]
        assert WebhookDelivery.objects.get().status == "sent"
    finally:
        receiver.close()
