"""Every route of the gateway refuses an anonymous request, except an explicit public allow-list.

The routes are read from the app's router, so a route added later is checked
without anyone remembering to add it here: it is either refused to anonymous
callers, or someone has to put it on the allow-list below on purpose.
"""

from __future__ import annotations

import re
import tempfile

import pytest

from bot.settings import Settings
from bot.web.app import create_app
from tests.leads.builders import submission

PUBLIC_PATHS = {"", "healthz", "widget.js", "widget.css", "privacy", "api/chat", "api/chat/events", "console/login"}
PUBLIC_PREFIXES = ("static/",)
ADMIN_ONLY = {("GET", "console/people"), ("POST", "console/people/export"), ("POST", "console/people/erase")}
ADMIN_ONLY |= {("GET", "console/audit"), ("GET", "console/tokens"), ("POST", "console/tokens/revoke")}
SAMPLE_VALUES = {"int": "1", "str": "sample"}
PARAMETER = re.compile(r"<(\w+)(?::(\w+))?>")


def all_routes() -> list[tuple[str, str]]:
    """(method, path) for every route of a freshly built gateway."""
    app = create_app(Settings.from_env({"BOT_PROJECT_ROOT": tempfile.mkdtemp(prefix="route-listing-")}))
    return sorted({(method, route.path) for route in app.router.routes for method in route.methods})


def concrete(path: str) -> str:
    return "/" + PARAMETER.sub(lambda match: SAMPLE_VALUES.get(match.group(2) or "str", "sample"), path)


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


PROTECTED = [(method, path) for method, path in all_routes() if not is_public(path)]


def test_the_route_listing_sees_the_console_and_the_api():
    paths = {path for _, path in PROTECTED}
    assert {"console/leads", "console/leads/<lead_id:int>", "console/leads.csv", "console/logout"} <= paths
    assert {"api/leads", "api/leads/<lead_id:int>", "api/openapi.json"} <= paths
    assert len(PROTECTED) >= 16


@pytest.fixture
def seeded_app(app, leads):
    leads.submit(submission())  # lead 1 exists, so a refusal is not just "not found"
    return app


def request(app, method: str, path: str, headers: dict[str, str] | None = None):
    _, response = app.test_client.request(
        concrete(path), http_method=method, headers=headers or {}, allow_redirects=False, data={"status": "closed"}
    )
    return response


@pytest.mark.parametrize(("method", "path"), PROTECTED, ids=[f"{m} /{p}" for m, p in PROTECTED])
def test_anonymous_requests_are_refused(seeded_app, method, path):
    response = request(seeded_app, method, path)
    if path.startswith("api/"):
        assert response.status == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert set(response.json) == {"error"}
    elif method == "GET":
        assert response.status == 302
        assert response.headers["location"].startswith("/console/login?next=")
        assert response.body == b""
    else:
        assert response.status == 403
    assert "Priya" not in response.text and "priya" not in response.text


@pytest.mark.parametrize(("method", "path"), PROTECTED, ids=[f"{m} /{p}" for m, p in PROTECTED])
def test_a_forged_or_stale_session_cookie_is_refused(seeded_app, method, path):
    response = request(seeded_app, method, path, {"Cookie": "__Host-ba_staff_session=forged-token"})
    assert response.status in (302, 401, 403)
    assert "Priya" not in response.text


@pytest.mark.parametrize(("method", "path"), sorted(ADMIN_ONLY))
def test_admin_pages_refuse_staff_who_are_not_admins(seeded_app, staff, method, path):
    response = staff.get(concrete(path)) if method == "GET" else staff.post(concrete(path), {"email": "a@b.org"})
    assert response.status == 403
    assert "Only an admin" in response.text


@pytest.mark.parametrize(
    "path", ["/", "/healthz", "/widget.js", "/privacy", "/console/login", "/static/console/console.css"]
)
def test_public_pages_stay_public(seeded_app, path):
    assert request(seeded_app, "GET", path.lstrip("/")).status == 200


def test_the_console_root_and_trailing_slash_are_protected_too(seeded_app):
    for path in ("console", "console/", "console/leads/"):
        response = request(seeded_app, "GET", path)
        assert response.status in (302, 404)
        if response.status == 302:
            assert response.headers["location"].startswith("/console/login")
