"""Cross-origin rules for the API: the gateway's own origin and the configured
ones (GATEWAY_ALLOWED_ORIGINS), nobody else.

A refused site gets a JSON error that names the setting to change. A browser
cannot read that error (it has no CORS headers, and a failed preflight hides
everything), so ``GET /api/origin`` tells any page whether its origin is
allowed, readable from every origin: the widget asks it when a call fails, then
shows "chat unavailable" and logs the reason in the browser console.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sanic import Request
from sanic.response import HTTPResponse, empty
from sanic.response import json as json_response

API_PREFIX = "/api/"
ORIGIN_CHECK_PATH = "/api/origin"
SETTING = "GATEWAY_ALLOWED_ORIGINS"
PREFLIGHT_MAX_AGE = "600"
ALLOWED_METHODS = "GET, POST, OPTIONS"
# Last-Event-ID: an EventSource that reconnects to the handoff stream sends it.
ALLOWED_HEADERS = "Content-Type, Last-Event-ID"


def normalised(origin: str) -> str:
    return origin.strip().rstrip("/").lower()


def is_same_origin(request: Request, origin: str) -> bool:
    return urlsplit(origin).netloc.lower() == (request.host or "").lower()


def origin_allowed(request: Request, allowed_origins: tuple[str, ...]) -> bool:
    """Requests without an Origin header are not from a cross-site browser context."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    origin = normalised(origin)
    return is_same_origin(request, origin) or origin in allowed_origins


def refusal_message(origin: str) -> str:
    return (
        f"This website ({normalised(origin)}) is not allowed to use the chat API. "
        f"The gateway's operator can add it to {SETTING} (comma-separated origins such as https://www.example.org)."
    )


def origin_check(request: Request, allowed_origins: tuple[str, ...]) -> HTTPResponse:
    """Whether the calling page's origin may use the chat; readable by any origin (it is not a secret)."""
    origin = request.headers.get("origin")
    allowed = origin_allowed(request, allowed_origins)
    body: dict[str, object] = {"allowed": allowed, "origin": normalised(origin) if origin else None}
    if not allowed:
        body["error"] = refusal_message(origin or "")
        body["setting"] = SETTING
    response = json_response(body, headers={"Cache-Control": "no-store"})
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin.strip()
    return response


def reject_foreign_origin(request: Request, allowed_origins: tuple[str, ...]) -> HTTPResponse | None:
    """Request middleware for /api/: the origin check, preflights for allowed origins, a 403 for the rest."""
    if not request.path.startswith(API_PREFIX):
        return None
    if request.path == ORIGIN_CHECK_PATH and request.method in ("GET", "HEAD"):
        return origin_check(request, allowed_origins)
    if not origin_allowed(request, allowed_origins):
        origin = request.headers.get("origin", "")
        return json_response({"error": refusal_message(origin), "setting": SETTING}, status=403)
    if request.method == "OPTIONS" and request.headers.get("access-control-request-method"):
        return preflight_response()
    return None


def add_cors_headers(request: Request, response: HTTPResponse, allowed_origins: tuple[str, ...]) -> None:
    if not request.path.startswith(API_PREFIX):
        return
    response.headers["Vary"] = "Origin"
    if request.path == ORIGIN_CHECK_PATH:
        return  # origin_check set its own
    origin = request.headers.get("origin")
    if origin and origin_allowed(request, allowed_origins) and not is_same_origin(request, origin):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "Retry-After"


def preflight_response() -> HTTPResponse:
    """Answer to OPTIONS from an allowed origin; the Allow-Origin header is added by add_cors_headers."""
    return empty(
        status=204,
        headers={
            "Access-Control-Allow-Methods": ALLOWED_METHODS,
            "Access-Control-Allow-Headers": ALLOWED_HEADERS,
            "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
        },
    )
