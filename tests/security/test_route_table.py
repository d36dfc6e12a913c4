"""Every console and API route, read from the gateway's router, refuses anonymous,
expired-token, revoked-token and wrong-scope requests.

A route added later is checked here without anyone remembering to: an API
route must name its scope (``@needs_scope``) or it refuses every token, and a
console route is behind the session guard. (tests/web/console/test_route_authorisation.py
covers anonymous and forged-cookie requests and the admin-only pages.)
"""

from __future__ import annotations

import tempfile
from functools import cache

import pytest

from bot.settings import Settings
from bot.staff.api_tokens import SCOPES, ApiTokens
from bot.web.api_leads import OPENAPI_PATH
from bot.web.app import create_app
from tests.leads.builders import submission
from tests.web.console.test_route_authorisation import PROTECTED, all_routes, concrete

API_ROUTES = [(m, p) for m, p in PROTECTED if p.startswith("api/") and "/" + p != OPENAPI_PATH]
CONSOLE_ROUTES = [(m, p) for m, p in PROTECTED if p.startswith("console")]
IDS = [f"{m} /{p}" for m, p in API_ROUTES]


@pytest.fixture
def seeded(app, leads, sessions, clock):
    leads.submit(submission())  # lead 1 exists, so a refusal is not just "not found"
    return app, ApiTokens(sessions, clock), clock


def call(app, method: str, path: str, token: str | None = None, cookie: str | None = None):
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if cookie:
        headers["Cookie"] = cookie
    _, response = app.test_client.request(
        concrete(path), http_method=method, headers=headers, allow_redirects=False, data={"status": "closed"}
    )
    return response


@cache
def route_handlers() -> dict[tuple[str, str], object]:
    app = create_app(Settings.from_env({"BOT_PROJECT_ROOT": tempfile.mkdtemp(prefix="route-scopes-")}))
    return {(method, route.path): route.handler for route in app.router.routes for method in route.methods}


def handler_scope(method: str, path: str) -> str | None:
    return getattr(route_handlers()[(method, path)], "required_scope", None)


def test_the_route_table_has_api_and_console_routes():
    assert API_ROUTES and CONSOLE_ROUTES and len(all_routes()) > len(API_ROUTES) + len(CONSOLE_ROUTES)


@pytest.mark.parametrize(("method", "path"), API_ROUTES, ids=IDS)
def test_every_api_route_names_a_known_scope(method, path):
    assert handler_scope(method, path) in SCOPES


@pytest.mark.parametrize(("method", "path"), API_ROUTES, ids=IDS)
def test_api_routes_refuse_anonymous_expired_revoked_and_wrong_scope_tokens(seeded, method, path):
    app, tokens, clock = seeded
    needed = handler_scope(method, path)
    right, _ = tokens.create("right scope", scopes=[needed], days=1)
    wrong, _ = tokens.create("wrong scope", scopes=[s for s in SCOPES if s != needed])
    revoked, _ = tokens.create("revoked", scopes=list(SCOPES))
    tokens.revoke("revoked")

    assert call(app, method, path).status == 401
    assert call(app, method, path, "ba_" + "x" * 43).status == 401
    assert call(app, method, path, revoked).status == 401
    wrong_scope = call(app, method, path, wrong)
    assert wrong_scope.status == 403 and needed in wrong_scope.json["error"]
    assert call(app, method, path, right).status < 400  # the right token does get through...
    clock.advance(days=1)
    expired = call(app, method, path, right)  # ...until it expires
    assert expired.status == 401 and "Priya" not in expired.text


@pytest.mark.parametrize(("method", "path"), CONSOLE_ROUTES, ids=[f"{m} /{p}" for m, p in CONSOLE_ROUTES])
def test_console_routes_ignore_api_tokens_and_refuse_an_idle_session(seeded, staff, method, path):
    app, tokens, clock = seeded
    every_scope, _ = tokens.create("all scopes", scopes=list(SCOPES))
    response = call(app, method, path, every_scope)
    assert response.status in (302, 403) and "Priya" not in response.text
    cookie = "; ".join(f"{name}={value}" for name, value in staff.cookies.items())
    clock.advance(minutes=61)  # past STAFF_SESSION_IDLE_MINUTES
    response = call(app, method, path, cookie=cookie)
    assert response.status in (302, 403) and "Priya" not in response.text
