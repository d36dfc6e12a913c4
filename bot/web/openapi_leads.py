"""The OpenAPI 3 description of the leads API, served at ``/api/openapi.json``."""

from __future__ import annotations

from typing import Any

from bot.leads.models import STATUSES

NULLABLE_STRING = {"type": "string", "nullable": True}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(properties: dict[str, Any]) -> dict[str, Any]:
    """An array of objects with these properties."""
    return {"type": "array", "items": {"type": "object", "properties": properties}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


STATUS = {"type": "string", "enum": list(STATUSES), "description": "where the lead stands with admissions"}

LEAD_SUMMARY = {
    "type": "object",
    "required": ["id", "reference", "created_at", "status", "name", "email", "courses", "url"],
    "properties": {
        "id": {"type": "integer", "example": 42},
        "reference": {"type": "string", "example": "BA-7K3Q9X"},
        "created_at": {"type": "string", "format": "date-time"},
        "status": _ref("Status"),
        "name": {"type": "string"},
        "email": {"type": "string", "format": "email"},
        "phone": {**NULLABLE_STRING, "description": "E.164, e.g. +447911123456"},
        "organisation": NULLABLE_STRING,
        "team_size": {"type": "integer", "nullable": True},
        "interest": {**NULLABLE_STRING, "description": "field of interest, e.g. medical administration"},
        "courses": _list_of({"code": {"type": "string", "example": "MA-201"}, "title": {"type": "string"}}),
        "location": NULLABLE_STRING,
        "delivery": NULLABLE_STRING,
        "assignee": NULLABLE_STRING,
        "linked_lead_id": {"type": "integer", "nullable": True, "description": "earlier lead from the same email"},
        "url": {"type": "string", "description": "this lead in the API", "example": "/api/leads/42"},
    },
}

LEAD_DETAIL = {
    "allOf": [
        _ref("LeadSummary"),
        {
            "type": "object",
            "properties": {
                "message": NULLABLE_STRING,
                "consent": {
                    "type": "object",
                    "nullable": True,
                    "properties": {
                        "given_at": {"type": "string", "format": "date-time"},
                        "notice_version": {"type": "string"},
                        "notice_url": {"type": "string"},
                        "wording": {"type": "string"},
                    },
                },
                "transcript": _list_of(
                    {
                        "sender": {"type": "string", "enum": ["visitor", "bot"]},
                        "text": {"type": "string"},
                        "at": {"type": "string"},
                        "staff": {
                            "type": "string",
                            "description": "the name of the member of staff who wrote this bot turn (live handoff)",
                        },
                    }
                ),
                "status_history": _list_of(
                    {
                        "from": {"type": "string"},
                        "to": {"type": "string"},
                        "by": {"type": "string"},
                        "at": {"type": "string", "format": "date-time"},
                    }
                ),
                "notes": _list_of(
                    {
                        "id": {"type": "integer"},
                        "author": {"type": "string"},
                        "body": {"type": "string"},
                        "created_at": {"type": "string", "format": "date-time"},
                    }
                ),
                "linked_reference": NULLABLE_STRING,
                "follow_up_references": {"type": "array", "items": {"type": "string"}},
            },
        },
    ]
}


def leads_openapi(max_per_page: int, default_per_page: int) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "British Academy leads API",
            "version": "1.0.0",
            "description": (
                "Enquiries captured by the website assistant, for other systems (CRM, reporting). "
                "Read-only. Authenticate with a bearer token created by `python -m bot tokens create NAME` "
                "(scope leads:read; tokens expire, 90 days by default). "
                "Lists are oldest first, so a client can catch up with `since` and follow `next_page`."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/api/leads": {
                "get": {
                    "summary": "Leads, oldest first, one page at a time",
                    "operationId": "listLeads",
                    "parameters": [
                        {
                            "name": "since",
                            "in": "query",
                            "description": "only leads received at or after this moment "
                            "(ISO 8601 date or date-time; without a zone, UTC)",
                            "schema": {"type": "string", "example": "2026-11-01T00:00:00Z"},
                        },
                        {
                            "name": "status",
                            "in": "query",
                            "schema": _ref("Status"),
                        },
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
                        {
                            "name": "per_page",
                            "in": "query",
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": max_per_page,
                                "default": default_per_page,
                            },
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "one page of leads",
                            "content": {"application/json": {"schema": _ref("LeadPage")}},
                        },
                        "400": _error("a parameter cannot be used; the message says which"),
                        "401": _error("no token, or an unknown, revoked or expired one"),
                        "403": _error("the token lacks the scope leads:read"),
                    },
                }
            },
            "/api/leads/{id}": {
                "get": {
                    "summary": "One lead in full: consent, transcript, status history and notes",
                    "operationId": "getLead",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {
                            "description": "the lead",
                            "content": {"application/json": {"schema": _ref("LeadDetail")}},
                        },
                        "401": _error("no token, or an unknown, revoked or expired one"),
                        "403": _error("the token lacks the scope leads:read"),
                        "404": _error("no such lead (it may have been erased)"),
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "summary": "This document (a bearer token or a signed-in staff session)",
                    "operationId": "getOpenApi",
                    "responses": {"200": {"description": "OpenAPI 3 document"}, "401": _error("not authorised")},
                }
            },
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Status": STATUS,
                "LeadSummary": LEAD_SUMMARY,
                "LeadDetail": LEAD_DETAIL,
                "LeadPage": {
                    "type": "object",
                    "required": ["data", "page", "per_page", "total"],
                    "properties": {
                        "data": {"type": "array", "items": _ref("LeadSummary")},
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "total": {"type": "integer", "description": "matching leads on all pages"},
                        "next_page": {"type": "string", "nullable": True, "description": "URL of the next page"},
                    },
                },
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
            },
        },
    }
