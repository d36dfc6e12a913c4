"""The console's cookies: ``__Host-`` prefixed, HttpOnly, SameSite=Lax, Secure from configuration.

``STAFF_COOKIE_SECURE`` decides, not the request: on by default, so a proxy
that forgets X-Forwarded-Proto cannot make the gateway hand out a session over
plain HTTP. ``make run`` (plain HTTP on localhost) turns it off unless told
otherwise; without Secure a browser refuses the ``__Host-`` prefix, so the
names lose it then. Every cookie is host-only with Path=/.

Lax rather than Strict so a link to a lead (in a notification email) opens
signed in; every state change is a POST that also needs the CSRF token.
"""

from __future__ import annotations

from sanic import Request
from sanic.response import HTTPResponse

SESSION_COOKIE = "ba_staff_session"
LOGIN_CSRF_COOKIE = "ba_login_csrf"
LOGIN_CSRF_MAX_AGE = 3600
HOST_PREFIX = "__Host-"


def secure_cookies(request: Request) -> bool:
    return request.app.ctx.settings.staff_cookies_secure


def cookie_name(request: Request, name: str) -> str:
    """``__Host-name`` when cookies are Secure (the browser then pins them to this host and path /)."""
    return HOST_PREFIX + name if secure_cookies(request) else name


def read_cookie(request: Request, name: str) -> str | None:
    return request.cookies.get(cookie_name(request, name))


def set_cookie(response: HTTPResponse, request: Request, name: str, value: str, max_age: int) -> None:
    full_name = cookie_name(request, name)
    response.cookies[full_name] = value
    cookie = response.cookies[full_name]
    cookie["httponly"] = True
    cookie["samesite"] = "Lax"
    cookie["path"] = "/"  # required by __Host-; no Domain attribute, so the cookie is host-only
    cookie["max-age"] = max_age
    if secure_cookies(request):
        cookie["secure"] = True


def clear_cookie(response: HTTPResponse, request: Request, name: str) -> None:
    set_cookie(response, request, name, "", 0)


def session_token(request: Request) -> str | None:
    return read_cookie(request, SESSION_COOKIE)


def set_session_cookie(response: HTTPResponse, request: Request, token: str, max_age: int) -> None:
    set_cookie(response, request, SESSION_COOKIE, token, max_age)


def clear_session_cookie(response: HTTPResponse, request: Request) -> None:
    clear_cookie(response, request, SESSION_COOKIE)
