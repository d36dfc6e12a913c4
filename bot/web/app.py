"""Application factory for the gateway."""

from __future__ import annotations

import itertools

import aiohttp
from sanic import Sanic

from bot.settings import Settings
from bot.web.health import health
from bot.web.pages import pages

_app_numbers = itertools.count(1)


def create_app(settings: Settings | None = None) -> Sanic:
    settings = settings or Settings.from_env()
    # Sanic keeps a registry of app names; tests build many apps per process.
    app = Sanic(f"british_academy_gateway_{next(_app_numbers)}")
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.settings = settings

    @app.listener("before_server_start")
    async def open_upstream(app: Sanic, _loop) -> None:
        # One pooled, keep-alive client for every call to Rasa and the action server.
        app.ctx.upstream = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=100, keepalive_timeout=30),
            timeout=aiohttp.ClientTimeout(total=settings.upstream_timeout),
        )

    @app.listener("after_server_stop")
    async def close_upstream(app: Sanic, _loop) -> None:
        await app.ctx.upstream.close()

    app.blueprint(health)
    app.blueprint(pages)
    return app
