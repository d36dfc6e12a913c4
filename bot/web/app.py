"""Application factory for the gateway."""

from __future__ import annotations

import itertools

import aiohttp
import redis.asyncio
from sanic import Request, Sanic
from sanic.exceptions import PayloadTooLarge
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from bot.gateway_secret import load_or_create_secret
from bot.runtime.upstreams import Rotation
from bot.settings import Settings
from bot.web.api_leads import api_leads
from bot.web.assets import assets, load_assets
from bot.web.chat import chat
from bot.web.console import inbox as _inbox_routes  # noqa: F401 - attaches /console/inbox to the console
from bot.web.console import install_console
from bot.web.conversation_ids import ConversationIds
from bot.web.cors import add_cors_headers, reject_foreign_origin
from bot.web.handoff import install_handoff
from bot.web.health import health
from bot.web.pages import pages
from bot.web.rate_limits import TokenBuckets
from bot.web.replay_cache import ReplayCache
from bot.web.security_headers import add_security_headers
from bot.web.shared_replies import SharedReplies

_app_numbers = itertools.count(1)


def create_app(settings: Settings | None = None) -> Sanic:
    settings = settings or Settings.from_env()
    # Sanic keeps a registry of app names; tests build many apps per process.
    app = Sanic(f"british_academy_gateway_{next(_app_numbers)}")
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.REQUEST_MAX_SIZE = settings.gateway_max_body_bytes
    app.config.PROXIES_COUNT = settings.gateway_proxies_count
    app.ctx.settings = settings

    # State that outlives a single server start (sanic-testing starts one per request).
    app.ctx.assets = load_assets()
    app.ctx.conversation_ids = ConversationIds(load_or_create_secret(settings.gateway_secret, settings.var_dir))
    app.ctx.ip_limits = TokenBuckets(settings.ip_rate_per_minute, settings.ip_burst)
    app.ctx.conversation_limits = TokenBuckets(settings.conversation_rate_per_minute, settings.conversation_burst)
    app.ctx.replies = ReplayCache(settings.chat_replay_seconds)
    app.ctx.rasa_servers = Rotation(settings.rasa_urls)

    @app.listener("before_server_start")
    async def open_upstream(app: Sanic, _loop) -> None:
        # One pooled, keep-alive client for every call to Rasa and the action server.
        app.ctx.upstream = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=100, keepalive_timeout=30),
            timeout=aiohttp.ClientTimeout(total=settings.upstream_timeout),
        )

    app.ctx.shared_replies = None

    @app.listener("before_server_start")
    async def open_shared_replies(app: Sanic, _loop) -> None:
        # Several gateways: a retried message that reaches another gateway is answered once (REDIS_URL).
        if settings.redis_url and settings.chat_replay_seconds > 0:
            client = redis.asyncio.Redis.from_url(settings.redis_url, socket_timeout=1, socket_connect_timeout=1)
            pending = settings.upstream_timeout + 5
            app.ctx.shared_replies = SharedReplies(client, settings.chat_replay_seconds, pending_seconds=pending)

    @app.listener("after_server_stop")
    async def close_upstream(app: Sanic, _loop) -> None:
        await app.ctx.upstream.close()
        if app.ctx.shared_replies is not None:
            await app.ctx.shared_replies.client.close()
            app.ctx.shared_replies = None

    @app.on_request
    async def check_origin(request: Request) -> HTTPResponse | None:
        return reject_foreign_origin(request, settings.allowed_origins)

    @app.on_response
    async def add_headers(request: Request, response: HTTPResponse) -> None:
        add_security_headers(response)
        add_cors_headers(request, response, settings.allowed_origins)

    @app.exception(PayloadTooLarge)
    async def payload_too_large(_request: Request, _error: Exception) -> HTTPResponse:
        limit = settings.gateway_max_body_bytes
        return json_response({"error": f"The request body is too large (at most {limit} bytes)."}, status=413)

    app.blueprint(health)
    app.blueprint(pages)
    app.blueprint(assets)
    app.blueprint(chat)
    install_console(app, settings)  # /console: staff sign-in, leads, personal data, insights
    install_handoff(app, settings)  # /api/chat/events and /console/inbox: live handoff to staff
    app.blueprint(api_leads)  # /api/leads, /api/openapi.json (bearer tokens)
    return app
