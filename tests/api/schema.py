"""Validate JSON against a component of the OpenAPI document drf-spectacular generates from the API's
code (the document /api/v1/schema/ serves), with jsonschema: what a client, a webhook receiver or
Kemendagri reading the national package can check a document against."""

from __future__ import annotations

import functools

import jsonschema
from openapi_schema_validator import OAS30ReadValidator


@functools.cache
def api_document() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _nullable_refs(node):
    """drf-spectacular writes a nullable nested object as ``{"allOf": [{"$ref": …}], "nullable": true}``;
    OpenAPI 3.0.3 lets ``nullable`` act only beside ``type`` (so the validator would refuse its null), yet
    means null or the object: said here as ``anyOf`` (as schemathesis reads it)."""
    if isinstance(node, list):
        return [_nullable_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_refs(value) for key, value in node.items()}
    if node.get("nullable") is True and "type" not in node:
        rest = {key: value for key, value in node.items() if key != "nullable"}
        return {"anyOf": [rest, {"enum": [None]}]}
    return node


def api_schema_validator(component: str) -> jsonschema.protocols.Validator:
    """A validator of ``#/components/schemas/<component>`` as a response (OpenAPI 3.0 dialect: ``nullable``,
    ``format``, and ``required`` read-only fields too), resolving the ``$ref``s to the other components."""
    document = api_document()
    assert component in document["components"]["schemas"], component
    schema = {"$ref": f"#/components/schemas/{component}", "components": _nullable_refs(document["components"])}
    return OAS30ReadValidator(schema, format_checker=OAS30ReadValidator.FORMAT_CHECKER)
