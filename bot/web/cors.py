"""Cross-origin rules for the API: the gateway's own origin and the configured
ones (GATEWAY_ALLOWED_ORIGINS), nobody else."""

from __future__ import annotations

from urllib.parse import urlsplit

from sanic import Request
from sanic.response import HTTPResponse, empty
from sanic.response import json as json_response

API_PREFIX = "/api/"
PREFLIGHT_MAX_AGE = "600"


def is_same_origin(request: Request, origin: str) -> bool:
    return urlsplit(origin).netloc.lower() == (request.host or "").lower()


def origin_allowed(request: Request, allowed_origins: tuple[str, ...]) -> bool:
    """Requests without an Origin header are not from a cross-site browser context."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    origin = origin.strip().rstrip("/").lower()
    return is_same_origin(request, origin) or origin in allowed_origins


def reject_foreign_origin(request: Request, allowed_origins: tuple[str, ...]) -> HTTPResponse | None:
    """Request middleware: a 403 for API calls from pages on other, unlisted sites."""
    if request.path.startswith(API_PREFIX) and not origin_allowed(request, allowed_origins):
        return json_response({"error": "This website is not allowed to use the chat API."}, status=403)
    return None


def add_cors_headers(request: Request, response: HTTPResponse, allowed_origins: tuple[str, ...]) -> None:
    if not request.path.startswith(API_PREFIX):
        return
    response.headers["Vary"] = "Origin"
    origin = request.headers.get("origin")
    if origin and origin_allowed(request, allowed_origins) and not is_same_origin(request, origin):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "Retry-After"


def preflight_response() -> HTTPResponse:
    """Answer to OPTIONS; the Allow-Origin header is added by add_cors_headers."""
    return empty(
        status=204,
        headers={
            "Access-Control-Allow-Methods": "POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
        },
    )
