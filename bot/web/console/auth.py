"""Signing in and out of the console.

The sign-in form is the one console page open to anyone. It carries its own
CSRF token (a cookie plus a hidden field) so another site cannot sign a
browser in to an account of its choosing; attempts are reserved atomically and
throttled per account and client, per client and per account
(``bot.staff.login_throttle``), and every outcome is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, redirect

from bot.privacy import mask_email
from bot.staff.accounts import StaffMember
from bot.staff.csrf import csrf_matches, new_csrf_token
from bot.storage.transactions import DatabaseUnavailable
from bot.web.back_office import blocking
from bot.web.console.blueprint import console
from bot.web.console.context import Console, client_ip, console_of
from bot.web.console.guard import LOGIN_PATH, safe_next
from bot.web.console.templates import render
from bot.web.cookies import (
    LOGIN_CSRF_COOKIE,
    LOGIN_CSRF_MAX_AGE,
    clear_cookie,
    clear_session_cookie,
    read_cookie,
    session_token,
    set_cookie,
    set_session_cookie,
)

console_login = Blueprint("console_login")

FIELD_MAX = 1024
LOCK_MESSAGE_FROM = 60  # seconds: from here on the wait is a lock, not a back-off
SIGNED_OUT_MESSAGES = {"1": "You have signed out.", "expired": "Your session ended. Please sign in again."}


def _wait_text(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minutes"


def login_page(request: Request, status: int = 200, error: str = "", email: str = "", headers=None) -> HTTPResponse:
    token = new_csrf_token()
    response = render(
        request,
        "login.html",
        status=status,
        headers=headers,
        error=error,
        notice=SIGNED_OUT_MESSAGES.get(request.args.get("signed_out", ""), ""),
        email=email,
        next=safe_next(request.form.get("next") if request.method == "POST" else request.args.get("next")),
        login_csrf=token,
    )
    set_cookie(response, request, LOGIN_CSRF_COOKIE, token, LOGIN_CSRF_MAX_AGE)
    return response


@console_login.get(LOGIN_PATH)
async def show_login(request: Request) -> HTTPResponse:
    return login_page(request)


@dataclass(frozen=True)
class LoginOutcome:
    member: StaffMember | None
    checked: bool  # False: refused by the throttle before the password was looked at
    wait: int = 0  # seconds before the next attempt may be made


def _attempt(console: Console, email: str, password: str, ip: str) -> LoginOutcome:
    throttle = console.throttle()
    reservation = throttle.reserve(email, ip)  # atomic: parallel guesses cannot overrun the budget
    if not reservation.granted:
        return LoginOutcome(None, checked=False, wait=reservation.wait)
    member = console.accounts().check_password(email, password)
    audit = console.audit()
    if member is None:
        audit.record("anonymous", "login.failed", f"staff:{mask_email(email)}", f"from {ip}")
        return LoginOutcome(None, checked=True, wait=throttle.wait_seconds(email, ip))
    throttle.succeeded(reservation)
    console.accounts().record_login(member.id)
    audit.record(member.email, "login", f"staff:{member.email}", f"from {ip}")
    return LoginOutcome(member, checked=True)


def _refusal(outcome: LoginOutcome) -> tuple[int, str]:
    if not outcome.checked:
        if outcome.wait >= LOCK_MESSAGE_FROM:
            return 429, f"Too many failed sign-ins. Try again in {_wait_text(outcome.wait)}."
        return 429, f"Please wait {_wait_text(outcome.wait)} before trying again."
    if outcome.wait >= LOCK_MESSAGE_FROM:
        return 401, f"Wrong email or password. Too many failed sign-ins: try again in {_wait_text(outcome.wait)}."
    if outcome.wait:
        return 401, f"Wrong email or password. Wait {_wait_text(outcome.wait)} before trying again."
    return 401, "Wrong email or password."


@console_login.post(LOGIN_PATH)
async def sign_in(request: Request) -> HTTPResponse:
    form = request.form or {}
    if not csrf_matches(read_cookie(request, LOGIN_CSRF_COOKIE), form.get("csrf_token")):
        return login_page(request, 403, "The sign-in form had expired. Please try again.")
    email = (form.get("email") or "").strip().lower()[:FIELD_MAX]
    password = (form.get("password") or "")[:FIELD_MAX]
    if not email or not password:
        return login_page(request, 400, "Enter your email address and password.", email)
    console = console_of(request)
    try:
        outcome = await blocking(_attempt, console, email, password, client_ip(request))
    except DatabaseUnavailable:
        return login_page(request, 503, "The database cannot be reached. Try again shortly.", email)
    if outcome.member is None:
        status, message = _refusal(outcome)
        headers = {"Retry-After": str(outcome.wait)} if outcome.wait else None
        return login_page(request, status, message, email, headers=headers)
    sessions = console.staff_sessions()
    await blocking(sessions.end, session_token(request))  # never reuse a session id across sign-ins
    token, _signed_in = await blocking(sessions.start, outcome.member.id)
    response = redirect(safe_next(form.get("next")), status=303)
    set_session_cookie(response, request, token, int(sessions.lifetime.total_seconds()))
    clear_cookie(response, request, LOGIN_CSRF_COOKIE)
    return response


@console.post("/logout")
async def sign_out(request: Request) -> HTTPResponse:
    console = console_of(request)
    member = request.ctx.staff.member
    await blocking(console.staff_sessions().end, session_token(request))
    await blocking(console.audit().record, member.email, "logout", f"staff:{member.email}")
    response = redirect(f"{LOGIN_PATH}?signed_out=1", status=303)
    clear_session_cookie(response, request)
    return response
