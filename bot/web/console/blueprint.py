"""The console's protected blueprint: every route on it requires a signed-in member of staff."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from bot.web.console.guard import require_staff
from bot.web.console.templates import CONSOLE_HEADERS

console = Blueprint("console", url_prefix="/console")


@console.middleware("request")
async def signed_in_staff_only(request: Request) -> HTTPResponse | None:
    return await require_staff(request)


@console.middleware("response")
async def private_pages(_request: Request, response: HTTPResponse) -> None:
    for name, value in CONSOLE_HEADERS.items():
        response.headers[name] = value
