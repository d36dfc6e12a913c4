"""Defect 8: console cookies are __Host- prefixed, Secure from configuration, and sessions expire when idle.

Before: the cookies were named ``ba_staff_session`` / ``ba_login_csrf`` (the
login one with Path=/console/login), and Secure was inferred from the request
(only when it came over HTTPS), so a proxy that dropped X-Forwarded-Proto made
the gateway hand a session out without Secure.
"""

from __future__ import annotations

from pathlib import Path

from bot.runtime.stack import process_specs
from bot.settings import Settings
from tests.security.conftest import STAFF


def set_cookies(response) -> list[str]:
    return response.headers.get_list("set-cookie")


def test_every_console_cookie_is_host_only_secure_httponly_with_path_root(anonymous):
    login_page = anonymous.get("/console/login")
    response = anonymous.login(*STAFF)
    cookies = set_cookies(login_page) + set_cookies(response)
    assert {c.split("=", 1)[0] for c in cookies} == {"__Host-ba_login_csrf", "__Host-ba_staff_session"}
    for cookie in cookies:
        attributes = [part.strip() for part in cookie.split(";")]
        assert "Secure" in attributes and "HttpOnly" in attributes and "Path=/" in attributes
        assert "SameSite=Lax" in attributes
        assert not any(part.lower().startswith("domain") for part in attributes)


def test_a_session_cookie_without_the_prefix_is_not_accepted(anonymous):
    anonymous.login(*STAFF)
    token = anonymous.cookies.pop("__Host-ba_staff_session")
    anonymous.cookies["ba_staff_session"] = token  # e.g. planted by a sibling sub-domain
    assert anonymous.get("/console/leads").status == 302


def test_secure_is_on_by_default_and_off_only_for_make_runs_plain_http(tmp_path):
    assert Settings.from_env({}).staff_cookies_secure is True
    assert Settings.from_env({"STAFF_COOKIE_SECURE": "false"}).staff_cookies_secure is False
    local = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path)})
    gateway = process_specs(local, Path("m.tar.gz"))[-1]
    assert gateway.env == {"STAFF_COOKIE_SECURE": "false"}  # http://localhost:8000
    https = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path), "PUBLIC_BASE_URL": "https://staff.example.org"})
    assert process_specs(https, Path("m.tar.gz"))[-1].env == {"STAFF_COOKIE_SECURE": "true"}
    configured = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path), "STAFF_COOKIE_SECURE": "true"})
    assert process_specs(configured, Path("m.tar.gz"))[-1].env == {}


def test_an_idle_session_ends(staff, clock):
    assert staff.get("/console/leads").status == 200
    clock.advance(minutes=61)  # STAFF_SESSION_IDLE_MINUTES=60
    response = staff.get("/console/leads")
    assert response.status == 302 and "signed_out=expired" in response.headers["location"]
