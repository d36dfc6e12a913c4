"""``GET /widget.js``, ``/widget.css`` and the demo page's stylesheet, served as
plain files from ``bot/web/static`` (no build step)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, empty, raw

STATIC_DIR = Path(__file__).resolve().parent / "static"

# Short freshness, then a cheap revalidation by ETag: embedding sites pick up a
# new widget within minutes without versioned file names.
CACHE_CONTROL = "public, max-age=300, must-revalidate"

ASSETS = {
    "/widget.js": ("widget.js", "application/javascript; charset=utf-8"),
    "/widget.css": ("widget.css", "text/css; charset=utf-8"),
    "/static/demo.css": ("demo.css", "text/css; charset=utf-8"),
}


@dataclass(frozen=True)
class Asset:
    body: bytes
    content_type: str
    etag: str


def load_assets(directory: Path = STATIC_DIR) -> dict[str, Asset]:
    assets = {}
    for url, (name, content_type) in ASSETS.items():
        body = (directory / name).read_bytes()
        assets[url] = Asset(body, content_type, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
    return assets


def _not_modified(request: Request, etag: str) -> bool:
    candidates = request.headers.get("if-none-match", "")
    return any(tag.strip().removeprefix("W/") == etag for tag in candidates.split(",")) or candidates.strip() == "*"


def serve(request: Request) -> HTTPResponse:
    asset: Asset = request.app.ctx.assets[request.path]
    headers = {
        "ETag": asset.etag,
        "Cache-Control": CACHE_CONTROL,
        # Other sites load the widget; let them even under Cross-Origin-Embedder-Policy.
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if _not_modified(request, asset.etag):
        return empty(status=304, headers=headers)
    return raw(asset.body, content_type=asset.content_type, headers=headers)


assets = Blueprint("assets")


@assets.get("/widget.js")
async def widget_js(request: Request) -> HTTPResponse:
    return serve(request)


@assets.get("/widget.css")
async def widget_css(request: Request) -> HTTPResponse:
    return serve(request)


@assets.get("/static/demo.css")
async def demo_css(request: Request) -> HTTPResponse:
    return serve(request)
