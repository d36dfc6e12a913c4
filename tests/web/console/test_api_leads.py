"""The JSON leads API: bearer tokens (missing, wrong, revoked), pages, ``since``, one lead, OpenAPI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.staff.api_tokens import ApiTokens
from bot.staff.models import ApiToken
from tests.leads.lead_builders import add_lead
from tests.staff.fixtures import NOW


@pytest.fixture
def tokens(sessions, clock) -> ApiTokens:
    return ApiTokens(sessions, clock)


@pytest.fixture
def token(tokens) -> str:
    secret, _info = tokens.create("crm sync")
    return secret


@pytest.fixture
def stored(leads, clock) -> list[int]:
    """25 leads, one a day, oldest first."""
    return [add_lead(leads, clock, NOW - timedelta(days=25 - day), f"api-{day}") for day in range(25)]


def get(app, path: str, token: str | None = None, headers: dict | None = None):
    auth = {"Authorization": f"Bearer {token}"} if token else {}
    _, response = app.test_client.get(path, headers={**auth, **(headers or {})})
    return response


@pytest.mark.parametrize("path", ["/api/leads", "/api/leads/1", "/api/openapi.json"])
def test_no_token_no_data(app, stored, path):
    response = get(app, path)
    assert response.status == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="leads"'
    assert "bearer token is required" in response.json["error"]


@pytest.mark.parametrize(
    "authorization", ["Bearer ba_wrong", "Bearer", "Basic YWRtaW46YWRtaW4=", "ba_nobearer", "Bearer " + "x" * 300]
)
def test_a_wrong_token_is_refused(app, stored, token, authorization):
    response = get(app, "/api/leads", headers={"Authorization": authorization})
    assert response.status == 401
    assert "Priya" not in response.text


def test_a_revoked_token_stops_working(app, stored, token, tokens):
    assert get(app, "/api/leads", token).status == 200
    tokens.revoke("crm sync")
    response = get(app, "/api/leads", token)
    assert response.status == 401
    assert response.json["error"] == "The bearer token is not valid (unknown, revoked or expired)."
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_only_a_digest_of_the_token_is_stored(token, sessions):
    with sessions() as session:
        row = session.execute(select(ApiToken)).scalar_one()
    assert token.startswith("ba_") and len(token) > 40
    assert row.token_digest != token and token not in (row.token_digest, row.prefix)
    assert row.prefix == token[:10]


def test_pages_oldest_first_with_a_next_link(app, stored, token):
    first = get(app, "/api/leads?per_page=10", token)
    assert first.status == 200
    assert first.headers["cache-control"] == "no-store"
    body = first.json
    assert [lead["id"] for lead in body["data"]] == stored[:10]
    assert (body["page"], body["per_page"], body["total"]) == (1, 10, 25)
    assert body["next_page"] == "/api/leads?page=2&per_page=10"
    third = get(app, "/api/leads?page=3&per_page=10", token).json
    assert [lead["id"] for lead in third["data"]] == stored[20:]
    assert third["next_page"] is None
    assert get(app, "/api/leads?page=9&per_page=10", token).json["data"] == []


def test_since_and_status_filters(app, stored, token, leads):
    leads.change_status(stored[-1], "contacted", "sam@example.org")
    recent = get(app, "/api/leads?since=2026-11-15", token).json
    assert [lead["id"] for lead in recent["data"]] == stored[-3:]
    exact = get(app, "/api/leads?since=2026-11-16T10:00:00Z", token).json
    assert [lead["id"] for lead in exact["data"]] == stored[-2:]
    offset = get(app, "/api/leads?since=2026-11-16T11:00:00%2B01:00", token).json
    assert [lead["id"] for lead in offset["data"]] == stored[-2:]
    contacted = get(app, "/api/leads?status=contacted&since=2026-11-01", token).json
    assert [lead["id"] for lead in contacted["data"]] == [stored[-1]]
    paged = get(app, "/api/leads?since=2026-11-01&per_page=5", token).json
    assert paged["next_page"] == "/api/leads?since=2026-11-01&page=2&per_page=5"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=yesterday", "'since' must be an ISO 8601 date"),
        ("per_page=0", "'per_page' must be a whole number from 1 to 200"),
        ("per_page=201", "'per_page' must be a whole number from 1 to 200"),
        ("page=-1", "'page' must be a whole number"),
        ("page=%C2%B2", "'page' must be a whole number"),
        ("since=0001-01-01T00:00:00%2B14:00", "'since' must be an ISO 8601 date"),
        ("status=won", "'status' must be one of new, contacted"),
        ("sort=name", "unknown parameter(s): sort"),
    ],
)
def test_unusable_parameters_are_a_clear_400(app, stored, token, query, message):
    response = get(app, f"/api/leads?{query}", token)
    assert response.status == 400
    assert response.json["error"].startswith(message)


def test_a_lead_in_full(app, stored, token, leads):
    lead_id = stored[0]
    leads.add_note(lead_id, "sam@example.org", "Called")
    leads.change_status(lead_id, "contacted", "sam@example.org")
    body = get(app, f"/api/leads/{lead_id}", token).json
    assert body["reference"] == leads.get(lead_id).reference
    assert body["email"] == "priya.shah@example.nhs.uk" and body["phone"] == "+447911123456"
    assert body["courses"] == [{"code": "HM-101", "title": "Healthcare Management Fundamentals"}]
    assert body["consent"]["notice_version"] == "2026-11"
    assert body["status_history"][0] == {
        "from": "new",
        "to": "contacted",
        "by": "sam@example.org",
        "at": body["status_history"][0]["at"],
    }
    assert body["notes"][0]["body"] == "Called"
    assert body["url"] == f"/api/leads/{lead_id}"
    assert get(app, "/api/leads/9999", token).status == 404
    assert get(app, f"/api/leads/{'9' * 25}", token).status == 404  # beyond any database integer


def test_reads_are_audited_as_the_token(app, stored, token):
    get(app, "/api/leads?per_page=2", token)
    get(app, f"/api/leads/{stored[0]}", token)
    entries = app.ctx.console.audit().recent()
    assert (entries[0].actor, entries[0].action, entries[0].subject) == (
        "token:crm sync",
        "api.read",
        f"lead:{stored[0]}",
    )
    assert (entries[1].actor, entries[1].action) == ("token:crm sync", "api.list")


def test_the_openapi_document_for_tokens_and_signed_in_staff(app, token, staff):
    document = get(app, "/api/openapi.json", token).json
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/api/leads", "/api/leads/{id}", "/api/openapi.json"}
    assert document["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    parameters = {p["name"] for p in document["paths"]["/api/leads"]["get"]["parameters"]}
    assert parameters == {"since", "status", "page", "per_page"}
    assert staff.get("/api/openapi.json").status == 200


def test_a_staff_session_does_not_open_the_data(app, stored, staff):
    assert staff.get("/api/leads").status == 401


def test_token_names_are_checked_and_unique(tokens):
    from bot.staff.api_tokens import TokenError

    tokens.create("reporting")
    with pytest.raises(TokenError, match="already a token called 'reporting'"):
        tokens.create("reporting")
    with pytest.raises(TokenError, match="a token name is 1 to 100"):
        tokens.create("bad\nname")
    with pytest.raises(TokenError, match="there is no token called"):
        tokens.revoke("nothing")
