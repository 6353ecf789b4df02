"""The OpenAPI document: served at /api/v1/schema/ to a login, valid OpenAPI 3 (openapi-spec-validator),
and true to the API: a property-based run of every operation with schemathesis (through the Django
WSGI application, in the test database, with a read-write token of the demo's Staf Provinsi) finds no
server error, no undocumented status code or content type and no response that breaks the schema.

The run is kept modest for ``make test`` (``MAX_EXAMPLES`` per operation, no shrinking); set
``KESBANG_SCHEMATHESIS_EXAMPLES`` for a longer one."""

import os

import pytest
import yaml
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from openapi_spec_validator import validate

from tests.api.conftest import make_token, token_client

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = int(os.environ.get("KESBANG_SCHEMATHESIS_EXAMPLES", "6"))


def checks() -> list:
    # schemathesis and hypothesis are imported by the one test that uses them (2 s at every pytest start
    # otherwise, in every worker); their pytest plugins are off (pyproject.toml addopts).
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def generated() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_document_is_served_to_a_login_and_validates(staf_bangka):
    client = token_client(make_token(staf_bangka)[1])
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200 and "openapi" in response["Content-Type"]
    document = yaml.safe_load(response.content)
    validate(document)  # openapi-spec-validator: raises on any violation of OpenAPI 3
    assert document["openapi"].startswith("3.")
    assert set(document["components"]["securitySchemes"]) == {"token", "session"}
    as_json = client.get("/api/v1/schema/?format=json")
    assert as_json.status_code == 200 and as_json.json()["info"]["title"] == "Kesbang API"
    paths = set(document["paths"])
    for resource in ("regions", "institutions", "teams", "people", "action-plans", "incidents", "meetings",
                     "action-items", "reports"):
        assert f"/api/v1/{resource}/" in paths and f"/api/v1/{resource}/{{id}}/" in paths
    assert {"/api/v1/incidents/{id}/follow-ups/", "/api/v1/incidents/{id}/transitions/",
            "/api/v1/action-items/{id}/progress/", "/api/v1/reports/{id}/files/{fmt}/"} <= paths
    from django.test import Client

    assert Client().get("/api/v1/schema/").status_code == 401


def test_docs_page_loads_swagger_ui_from_our_static_files(client, staf_bangka):
    client.force_login(staf_bangka)
    page = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "/static/js/api-docs.js" in page and 'id="api-docs-config"' in page
    assert "http://" not in page.split("<main")[1].split("</main>")[0].replace("http://testserver", "")
    from django.contrib.staticfiles import finders

    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css")


@pytest.fixture
def api_schema(demo):
    import schemathesis

    document = generated()
    validate(document)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = get_wsgi_application()
    # The WSGI handler sends request_started/request_finished, whose close_old_connections() would close
    # the test's own connection inside its transaction (PostgreSQL; SQLite's in-memory database is never
    # closed): Django's test client takes them off during a request, and so does this run.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schema
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def demo_token(demo):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="staf.provinsi")
    return make_token(user, scope="write", name="schemathesis")[1]


def test_every_operation_keeps_to_the_schema(api_schema, demo_token, settings_override):
    """Every operation, each with ``MAX_EXAMPLES`` generated requests (hypothesis, derandomized so a
    failure repeats). schemathesis's own pytest loader does not run under this pytest, so each
    operation's strategy is driven here; every failing operation is listed."""
    from hypothesis import HealthCheck, Phase, given, settings

    failures, operations, CHECKS = [], 0, checks()
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck), derandomize=True, database=None)
        def run(case):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {demo_token}"}
            response = case.call()
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - schemathesis raises a FailureGroup: listed together below
            failures.append(f"{operation.label}: {exc}")
    assert operations >= 23
    assert not failures, "\n\n".join(failures)


@pytest.fixture
def settings_override(settings):
    # The run sends hundreds of requests with one token inside a minute: not what the throttle is for.
    settings.KESBANG_API_THROTTLE_RATES = {"token": None, "user": None, "anon": None}
