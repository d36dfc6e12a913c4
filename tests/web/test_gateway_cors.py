"""Embedding on other sites: preflights for allowed origins, a JSON error naming the
setting for the rest, and an origin check any page can read (issue 16)."""

from __future__ import annotations

import pytest

from tests.web.offline_gateway import offline_gateway

ALLOWED = "https://courses.example.org"
REFUSED = "https://elsewhere.example.com"


@pytest.fixture
def app(tmp_path):
    return offline_gateway(tmp_path, GATEWAY_ALLOWED_ORIGINS=f"{ALLOWED}/")


def preflight(app, path: str, origin: str, headers: str = "content-type"):
    _, response = app.test_client.options(
        path,
        headers={"origin": origin, "access-control-request-method": "POST", "access-control-request-headers": headers},
    )
    return response


@pytest.mark.parametrize("path", ["/api/chat", "/api/chat/events"])
def test_an_allowed_origin_gets_a_full_preflight_answer(app, path):
    response = preflight(app, path, ALLOWED, "content-type, last-event-id")
    assert response.status == 204
    assert response.headers["access-control-allow-origin"] == ALLOWED
    methods = {m.strip() for m in response.headers["access-control-allow-methods"].split(",")}
    assert {"GET", "POST"} <= methods
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert "content-type" in allowed_headers and "last-event-id" in allowed_headers
    assert int(response.headers["access-control-max-age"]) > 0
    assert "Origin" in response.headers["vary"]


def test_a_refused_origin_gets_json_naming_the_setting(app):
    response = preflight(app, "/api/chat", REFUSED)
    assert response.status == 403
    assert response.json["setting"] == "GATEWAY_ALLOWED_ORIGINS"
    assert REFUSED in response.json["error"] and "GATEWAY_ALLOWED_ORIGINS" in response.json["error"]
    assert "access-control-allow-origin" not in response.headers
    assert "Origin" in response.headers["vary"]


def test_the_origin_check_is_readable_from_any_origin(app):
    _, refused = app.test_client.get("/api/origin", headers={"origin": REFUSED})
    assert refused.status == 200
    assert refused.headers["access-control-allow-origin"] == REFUSED
    assert refused.json["allowed"] is False
    assert "GATEWAY_ALLOWED_ORIGINS" in refused.json["error"]

    _, allowed = app.test_client.get("/api/origin", headers={"origin": ALLOWED})
    assert allowed.json == {"allowed": True, "origin": ALLOWED}
    assert allowed.headers["access-control-allow-origin"] == ALLOWED


def test_the_origin_check_does_not_open_the_chat_to_refused_sites(app):
    _, response = app.test_client.post("/api/chat", json={"message": "hi"}, headers={"origin": REFUSED})
    assert response.status == 403
    assert "access-control-allow-origin" not in response.headers
