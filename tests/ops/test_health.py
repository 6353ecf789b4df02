"""/healthz/ reports real services; a broker on a closed loopback port is reported down."""

import pytest


@pytest.mark.django_db
def test_health_is_public_and_ok_when_services_answer(client):
    response = client.get("/healthz/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok" and body["down"] == []
    assert set(body["checks"]) == {"database", "broker", "cache"}


@pytest.mark.django_db
def test_health_names_the_broker_when_it_is_unreachable(client, settings):
    # Port 1 on loopback: nothing listens, the connection is refused at once (a real failure).
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["broker"]
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is False


# --- The public page names what is down, never hosts or credentials ---


@pytest.mark.django_db
def test_public_health_page_does_not_show_connection_details(client, settings):
    settings.CELERY_BROKER_URL = "redis://:sandi-rahasia@127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 503
    text = response.content.decode()
    assert "127.0.0.1" not in text and "sandi-rahasia" not in text
    assert response.json()["checks"]["broker"]["error"]
