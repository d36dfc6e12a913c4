"""Signing in and out: cookies, sessions, redirects, disabled accounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.settings import Settings
from bot.staff.models import StaffSession
from bot.web.app import create_app
from tests.staff.fixtures import ADMIN, STAFF
from tests.web.console.staff_client import StaffClient, csrf_in


def session_cookie_header(response) -> str:
    return next(h for h in response.headers.get_list("set-cookie") if h.startswith("__Host-ba_staff_session="))


def test_sign_in_sets_an_httponly_samesite_session_cookie_with_expiry(anonymous):
    response = anonymous.login(*STAFF)
    assert response.status == 303
    assert response.headers["location"] == "/console/leads"
    cookie = session_cookie_header(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Max-Age=28800" in cookie  # STAFF_SESSION_HOURS=8
    assert "; Secure" in cookie and "Domain" not in cookie  # configured, not inferred from the request
    page = anonymous.get("/console/leads")
    assert page.status == 200 and STAFF[0] in page.text


def test_the_session_token_is_stored_only_as_a_digest(anonymous, sessions):
    anonymous.login(*STAFF)
    token = anonymous.cookies["__Host-ba_staff_session"]
    with sessions() as session:
        stored = session.execute(select(StaffSession.token_digest)).scalars().all()
    assert len(stored) == 1 and token not in stored and len(stored[0]) == 64


@pytest.mark.parametrize(
    ("configured", "forwarded", "name", "secure"),
    [
        ("", "http", "__Host-ba_staff_session", True),  # on by default, whatever the proxy says
        ("true", "http", "__Host-ba_staff_session", True),
        ("false", "https", "ba_staff_session", False),  # `make run`: plain HTTP on localhost
    ],
)
def test_secure_cookies_come_from_configuration(tmp_path, sessions, accounts, configured, forwarded, name, secure):
    env = {"BOT_PROJECT_ROOT": str(tmp_path), "GATEWAY_PROXIES_COUNT": "1", "STAFF_COOKIE_SECURE": configured}
    client = StaffClient(create_app(Settings.from_env(env)))
    headers = {"X-Forwarded-Proto": forwarded, "X-Forwarded-For": "203.0.113.9"}
    response = client.login(*STAFF, headers=headers)
    assert response.status == 303
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}="))
    assert ("; Secure" in cookie) is secure
    assert client.get("/console/leads", headers=headers).status == 200


@pytest.mark.parametrize("email", [STAFF[0], "nobody@example.org"])
def test_a_wrong_password_or_unknown_email_gets_the_same_answer(anonymous, email):
    response = anonymous.login(email, "not the password")
    assert response.status == 401
    assert "Wrong email or password." in response.text
    assert "__Host-ba_staff_session" not in anonymous.cookies


def test_sign_in_without_the_form_token_is_refused(anonymous):
    response = anonymous.post("/console/login", {"email": STAFF[0], "password": STAFF[1]}, csrf="")
    assert response.status == 403
    assert "__Host-ba_staff_session" not in anonymous.cookies


def test_sign_in_with_a_token_from_another_browser_is_refused(app):
    other = StaffClient(app)
    token = csrf_in(other.get("/console/login").text)
    client = StaffClient(app)
    client.get("/console/login")
    response = client.post("/console/login", {"email": STAFF[0], "password": STAFF[1]}, csrf=token)
    assert response.status == 403


def test_after_sign_in_staff_return_to_the_page_they_asked_for(anonymous):
    first = anonymous.get("/console/insights?from=2026-11-01")
    assert first.status == 302
    assert first.headers["location"] == "/console/login?next=%2Fconsole%2Finsights%3Ffrom%3D2026-11-01"
    response = anonymous.login(*STAFF, next_path="/console/insights?from=2026-11-01")
    assert response.headers["location"] == "/console/insights?from=2026-11-01"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/console", "/console/../../x\\y", "/elsewhere", "javascript:x"]
)
def test_sign_in_never_redirects_off_the_console(anonymous, target):
    assert anonymous.login(*STAFF, next_path=target).headers["location"] == "/console/leads"


def test_sign_out_ends_the_session_on_the_server(staff):
    old_cookie = dict(staff.cookies)
    response = staff.post("/console/logout")
    assert response.status == 303 and response.headers["location"] == "/console/login?signed_out=1"
    assert "__Host-ba_staff_session" not in staff.cookies
    staff.cookies = old_cookie  # replaying the old cookie does not work either
    assert staff.get("/console/leads").status == 302


def test_sign_out_needs_the_csrf_token(staff):
    assert staff.post("/console/logout", csrf="").status == 403
    assert staff.get("/console/leads").status == 200


def test_a_disabled_account_is_signed_out_at_once_and_cannot_sign_in(staff, accounts, app):
    accounts.disable(STAFF[0])
    assert staff.get("/console/leads").status == 302
    assert StaffClient(app).login(*STAFF).status == 401


def test_a_new_password_ends_other_sessions(staff, accounts):
    accounts.set_password(STAFF[0], "a brand new password")
    assert staff.get("/console/leads").status == 302


def test_sessions_end_after_an_idle_hour(staff, clock):
    clock.advance(minutes=59)
    assert staff.get("/console/leads").status == 200
    clock.advance(minutes=59)  # active a minute ago: still fine
    assert staff.get("/console/leads").status == 200
    clock.advance(minutes=61)
    assert staff.get("/console/leads").status == 302


def test_sessions_end_after_eight_hours_even_when_active(staff, clock):
    for _ in range(8):
        clock.advance(minutes=55)
        assert staff.get("/console/leads").status == 200
    clock.advance(minutes=45)
    assert staff.get("/console/leads").status == 302


def test_each_sign_in_gets_a_new_session_token(anonymous):
    anonymous.login(*ADMIN)
    first = anonymous.cookies["__Host-ba_staff_session"]
    anonymous.login(*ADMIN)
    assert anonymous.cookies["__Host-ba_staff_session"] != first
    anonymous.cookies["__Host-ba_staff_session"] = first
    assert anonymous.get("/console/leads").status == 302  # the old one was ended, not kept


def test_sign_ins_and_failures_are_audited(anonymous, app):
    anonymous.login(STAFF[0], "wrong password!!")
    anonymous.login(*STAFF)
    entries = app.ctx.console.audit().recent()
    actions = [(entry.action, entry.actor) for entry in entries]
    assert ("login", STAFF[0]) in actions
    assert ("login.failed", "anonymous") in actions
    failed = next(entry for entry in entries if entry.action == "login.failed")
    assert failed.subject == "staff:s***@e***.org"


def test_an_ended_session_is_cleared_and_explained(staff, clock):
    clock.advance(hours=9)
    response = staff.get("/console/leads")
    assert response.status == 302
    assert response.headers["location"] == "/console/login?next=%2Fconsole%2Fleads&signed_out=expired"
    assert "__Host-ba_staff_session" not in staff.cookies
    assert "Your session ended. Please sign in again." in staff.get(response.headers["location"]).text


def test_console_pages_are_not_cached_or_framed(staff):
    response = staff.get("/console/leads")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    assert "noindex" in response.headers["x-robots-tag"]


def test_session_lifetime_is_configurable(tmp_path, sessions, accounts):
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path), "STAFF_SESSION_HOURS": "2"})
    client = StaffClient(create_app(settings))
    assert "Max-Age=7200" in session_cookie_header(client.login(*STAFF))
    assert timedelta(hours=2) == client.app.ctx.console.staff_sessions().lifetime
