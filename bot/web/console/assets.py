"""The console's stylesheet and script (public, like the widget's files: they hold no data)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, empty, raw

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "console"
FILES = {"console.css": "text/css; charset=utf-8", "console.js": "application/javascript; charset=utf-8"}
CACHE_CONTROL = "public, max-age=300, must-revalidate"

console_assets = Blueprint("console_assets")


def load_console_assets(directory: Path = STATIC_DIR) -> dict[str, tuple[bytes, str, str]]:
    """name -> (body, content type, ETag), read once when the app is built."""
    loaded = {}
    for name, content_type in FILES.items():
        body = (directory / name).read_bytes()
        loaded[name] = (body, content_type, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
    return loaded


@console_assets.get("/static/console/<name:str>")
async def console_file(request: Request, name: str) -> HTTPResponse:
    found = request.app.ctx.console_assets.get(name)
    if found is None:
        return empty(status=404)
    body, content_type, etag = found
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if request.headers.get("if-none-match") == etag:
        return empty(status=304, headers=headers)
    return raw(body, content_type=content_type, headers=headers)
