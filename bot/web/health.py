"""``GET /healthz``: is the gateway up, and can it reach Rasa and the actions?"""

from __future__ import annotations

import asyncio

import aiohttp
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

health = Blueprint("health")

PROBE_TIMEOUT = aiohttp.ClientTimeout(total=2)


async def _answers(session: aiohttp.ClientSession, url: str) -> bool:
    try:
        async with session.get(url, timeout=PROBE_TIMEOUT) as response:
            return response.status < 500
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False


@health.get("/healthz")
async def healthz(request: Request) -> HTTPResponse:
    settings = request.app.ctx.settings
    session = request.app.ctx.upstream
    rasa_ok, actions_ok = await asyncio.gather(
        _answers(session, f"{settings.rasa_url}/"),
        _answers(session, f"{settings.action_server_url}/health"),
    )
    body = {
        "gateway": "ok",
        "rasa": "ok" if rasa_ok else "unreachable",
        "action_server": "ok" if actions_ok else "unreachable",
    }
    # 200 as long as the gateway itself serves: it answers visitors kindly
    # even when Rasa is down. The body says what is degraded.
    return json(body, status=200)
