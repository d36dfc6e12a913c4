"""Who may use the console: a signed-in, active member of staff, and for some pages an admin.

``require_staff`` runs before every route of the ``console`` blueprint (deny by
default: a new route there is protected without anyone remembering to). It
also refuses any state-changing request that lacks the session's CSRF token
or comes from another site's page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from urllib.parse import urlencode, urlsplit

from sanic import Request
from sanic.response import HTTPResponse, redirect

from bot.staff.csrf import csrf_matches
from bot.storage.transactions import DatabaseUnavailable
from bot.web.back_office import blocking
from bot.web.console.context import console_of
from bot.web.console.templates import render
from bot.web.cookies import clear_session_cookie, session_token

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
LOGIN_PATH = "/console/login"
Handler = Callable[..., Awaitable[HTTPResponse]]


def login_redirect(request: Request, expired: bool = False) -> HTTPResponse:
    wanted = request.path + (f"?{request.query_string}" if request.query_string else "")
    query = {"next": wanted, **({"signed_out": "expired"} if expired else {})}
    return redirect(f"{LOGIN_PATH}?{urlencode(query)}")


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a console page on this site, never anywhere else."""
    target = (target or "").strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/console") or target.startswith(LOGIN_PATH):
        return "/console/leads"
    if "\\" in target or "//" in target:
        return "/console/leads"
    return target


def from_this_site(request: Request) -> bool:
    """A browser's Origin (or Referer) header, when sent, must name this host."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin is None:
        return True  # not a browser, or one that hides both: the CSRF token still has to match
    if origin == "null":
        return False  # a sandboxed or privacy-stripped context: never trusted for a change
    return urlsplit(origin).netloc.lower() == (request.host or "").lower()


def refuse(request: Request, status: int, title: str, message: str) -> HTTPResponse:
    return render(request, "error.html", status=status, title=title, message=message)


def database_unavailable(request: Request) -> HTTPResponse:
    return refuse(request, 503, "Database unavailable", "The database cannot be reached. Try again in a minute.")


async def require_staff(request: Request) -> HTTPResponse | None:
    """Blueprint middleware: the signed-in member in ``request.ctx.staff``, or a refusal."""
    console = console_of(request)
    try:
        signed_in = await blocking(console.staff_sessions().resolve, session_token(request))
    except DatabaseUnavailable:
        return database_unavailable(request)
    if signed_in is None:
        if request.method in SAFE_METHODS:
            response = login_redirect(request, expired=bool(session_token(request)))
        else:
            response = refuse(
                request, 403, "Signed out", "Your session has ended. Sign in again and repeat the change."
            )
        if session_token(request):
            clear_session_cookie(response, request)
        return response
    request.ctx.staff = signed_in
    if request.method not in SAFE_METHODS:
        given = (request.form.get("csrf_token") if request.form else None) or request.headers.get("x-csrf-token")
        if not from_this_site(request) or not csrf_matches(signed_in.csrf_token, given):
            return refuse(
                request,
                403,
                "Form expired",
                "This form could not be checked (it may be old, or from another site). Reload the page and try again.",
            )
    return None


def admin_only(handler: Handler) -> Handler:
    """Routes that handle a person's data wholesale (erasure, subject access) or the audit log."""

    @wraps(handler)
    async def guarded(request: Request, *args, **kwargs) -> HTTPResponse:
        signed_in = getattr(request.ctx, "staff", None)
        if signed_in is None or not signed_in.member.is_admin:
            return refuse(request, 403, "Admins only", "Only an admin can do this. Ask an admin for help.")
        return await handler(request, *args, **kwargs)

    return guarded
