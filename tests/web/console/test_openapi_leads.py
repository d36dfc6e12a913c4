"""The leads API's OpenAPI document: its status values are the ones the leads store accepts."""

from __future__ import annotations

from typing import Any

from bot.leads.models import STATUSES
from bot.web.openapi_leads import leads_openapi


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        prefix = "#/components/schemas/"
        assert schema["$ref"].startswith(prefix)
        schema = document["components"]["schemas"][schema["$ref"].removeprefix(prefix)]
    return schema


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [ref for value in node.values() for ref in refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in refs(value)]
    return []


def test_the_status_enum_of_leads_and_of_the_filter_is_statuses():
    document = leads_openapi(max_per_page=100, default_per_page=25)
    schemas = document["components"]["schemas"]
    parameters = {p["name"]: p for p in document["paths"]["/api/leads"]["get"]["parameters"]}
    assert resolve(document, parameters["status"]["schema"])["enum"] == list(STATUSES)
    assert resolve(document, schemas["LeadSummary"]["properties"]["status"])["enum"] == list(STATUSES)


def test_every_reference_in_the_document_resolves():
    document = leads_openapi(max_per_page=100, default_per_page=25)
    found = refs(document)
    assert found
    for ref in found:
        assert resolve(document, {"$ref": ref})
