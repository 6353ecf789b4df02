"""Review fix: the public health page names what is down, never hosts or credentials."""

import pytest

pytestmark = pytest.mark.django_db


def test_public_health_page_does_not_show_connection_details(client, settings):
    settings.CELERY_BROKER_URL = "redis://:sandi-rahasia@127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 503
    text = response.content.decode()
    assert "127.0.0.1" not in text and "sandi-rahasia" not in text
    assert response.json()["checks"]["broker"]["error"]
