"""The console's cookies: HttpOnly, SameSite=Lax, Secure whenever the request came over HTTPS.

Lax rather than Strict so a link to a lead (in a notification email) opens
signed in; every state change is a POST that also needs the CSRF token.
Behind a reverse proxy, HTTPS is read from X-Forwarded-Proto only when
GATEWAY_PROXIES_COUNT says the proxy is trusted.
"""

from __future__ import annotations

from sanic import Request
from sanic.response import HTTPResponse

SESSION_COOKIE = "ba_staff_session"
LOGIN_CSRF_COOKIE = "ba_login_csrf"
LOGIN_CSRF_MAX_AGE = 3600


def request_is_https(request: Request, proxies_count: int) -> bool:
    if proxies_count > 0:
        forwarded = (request.headers.get("x-forwarded-proto") or "").split(",")[0].strip().lower()
        if forwarded:
            return forwarded == "https"
    return request.scheme == "https"


def set_cookie(response: HTTPResponse, request: Request, name: str, value: str, max_age: int, path: str) -> None:
    proxies = request.app.ctx.settings.gateway_proxies_count
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Lax"
    cookie["path"] = path
    cookie["max-age"] = max_age
    if request_is_https(request, proxies):
        cookie["secure"] = True


def clear_cookie(response: HTTPResponse, request: Request, name: str, path: str) -> None:
    set_cookie(response, request, name, "", 0, path)


def set_session_cookie(response: HTTPResponse, request: Request, token: str, max_age: int) -> None:
    set_cookie(response, request, SESSION_COOKIE, token, max_age, "/")


def clear_session_cookie(response: HTTPResponse, request: Request) -> None:
    clear_cookie(response, request, SESSION_COOKIE, "/")
