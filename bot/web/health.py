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


def _status(up: int, total: int) -> str:
    if up == total:
        return "ok"
    return "unreachable" if up == 0 else "degraded"


@health.get("/healthz")
async def healthz(request: Request) -> HTTPResponse:
    settings = request.app.ctx.settings
    session = request.app.ctx.upstream
    rasa_probes = [_answers(session, f"{url}/") for url in settings.rasa_urls]
    action_probes = [_answers(session, f"{url}/health") for url in settings.action_server_urls]
    answers = await asyncio.gather(*rasa_probes, *action_probes)
    rasa_up, actions_up = sum(answers[: len(rasa_probes)]), sum(answers[len(rasa_probes) :])
    body = {
        "gateway": "ok",
        "rasa": _status(rasa_up, len(rasa_probes)),
        "action_server": _status(actions_up, len(action_probes)),
    }
    if len(rasa_probes) > 1 or len(action_probes) > 1:
        # Counts, not addresses: /healthz is public and internal hosts are nobody's business.
        body["rasa_servers_up"] = f"{rasa_up}/{len(rasa_probes)}"
        body["action_servers_up"] = f"{actions_up}/{len(action_probes)}"
    # 200 as long as the gateway itself serves: it answers visitors kindly
    # even when Rasa is down. The body says what is degraded.
    return json(body, status=200)
