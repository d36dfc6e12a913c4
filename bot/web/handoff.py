"""The visitor's side of a live handoff: the ``handoff`` object in chat replies, and the events stream.

``GET /api/chat/events?conversation_id=<signed id>`` is a server-sent events
stream: ``event: message`` (a staff reply; ``id:`` is its tracker event id,
so a reconnecting browser resumes after ``Last-Event-ID``), ``event: state``
("waiting", "live", or "bot" once handed back, after which the stream ends)
and keep-alive comments. Everything is read from the databases on each poll,
so any gateway can serve any stream, and a restarted gateway carries on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from urllib.parse import quote

from sanic import Blueprint, Request, Sanic
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from bot.gateway_secret import load_or_create_secret
from bot.handoff.rasa_api import HANDED_BACK, rasa_api_token
from bot.handoff.states import widget_state
from bot.handoff.store import HandoffStore, HandoffView
from bot.handoff.transcript import HandoffConversations
from bot.settings import Settings
from bot.staff.conversations import ConversationStoreUnavailable
from bot.storage.transactions import DatabaseUnavailable
from bot.web.conversation_ids import ConversationIds
from bot.web.event_stream import EventStream, sse_event

log = logging.getLogger(__name__)

chat_events = Blueprint("chat_events")

EVENTS_PATH = "/api/chat/events"
STREAM_SECONDS = 600  # then the browser reconnects (EventSource does so by itself, with Last-Event-ID)
RETRY_MILLISECONDS = 2000


def install_handoff(app: Sanic, settings: Settings) -> None:
    """Handoff state for the gateway: the store (on the console's database), the tracker reader, Rasa's API token."""
    app.ctx.handoffs = HandoffStore(app.ctx.console.sessions, clock=lambda: app.ctx.console.now())
    app.ctx.handoff_conversations = HandoffConversations(settings.tracker_store_url)
    secret = load_or_create_secret(settings.gateway_secret, settings.var_dir)
    app.ctx.rasa_api_token = rasa_api_token(settings.rasa_api_token, secret)
    app.ctx.handoff_stream_seconds = STREAM_SECONDS
    app.ctx.stopping = False

    @app.listener("before_server_start")
    async def open_streams(app: Sanic, _loop) -> None:
        app.ctx.stopping = False

    @app.listener("before_server_stop")
    async def end_streams(app: Sanic, _loop) -> None:
        app.ctx.stopping = True  # open event streams end; browsers reconnect to another gateway

    @app.listener("after_server_stop")
    async def close_tracker_reader(app: Sanic, _loop) -> None:
        app.ctx.handoff_conversations.close()

    app.blueprint(chat_events)


def handoff_object(conversation_id: str, view: HandoffView) -> dict[str, str]:
    return {
        "state": widget_state(view.state),
        "events_url": f"{EVENTS_PATH}?conversation_id={quote(conversation_id, safe='')}",
    }


async def current_handoff(request: Request, conversation_id: str) -> HandoffView | None:
    """The conversation's open handoff; None when there is none or the database cannot say."""
    try:
        return await asyncio.to_thread(request.app.ctx.handoffs.current, ConversationIds.sender_id(conversation_id))
    except DatabaseUnavailable as error:
        log.warning("handoff state unreadable: %s", error)
        return None


def _last_event_id(request: Request) -> int:
    raw = (request.headers.get("last-event-id") or request.args.get("last_event_id") or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 19 else 0


@chat_events.get(EVENTS_PATH)
async def handoff_events(request: Request) -> HTTPResponse | None:
    ctx = request.app.ctx
    conversation_id = ctx.conversation_ids.verify(request.args.get("conversation_id"))
    if conversation_id is None:
        return json_response(
            {"error": "conversation_id must be the id the gateway issued with a chat reply."}, status=403
        )
    wait = ctx.ip_limits.take(request.remote_addr or request.ip)
    if wait:
        return json_response(
            {"error": f"Too many requests. Please wait {wait} s.", "retry_after": wait},
            status=429,
            headers={"Retry-After": str(wait)},
        )
    sender = ConversationIds.sender_id(conversation_id)
    response = await request.respond(
        content_type="text/event-stream; charset=utf-8",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
    stream = EventStream(response)
    await stream.send(f"retry: {RETRY_MILLISECONDS}\n\n")
    last_id = _last_event_id(request)
    sent_state = None
    started = time.monotonic()
    while not ctx.stopping and time.monotonic() - started < ctx.handoff_stream_seconds:
        try:
            view = await asyncio.to_thread(ctx.handoffs.latest, sender)
            replies = await asyncio.to_thread(ctx.handoff_conversations.staff_replies, sender, last_id) if view else []
        except (DatabaseUnavailable, ConversationStoreUnavailable) as error:
            log.warning("handoff stream cannot read its state: %s", error)
            await stream.send(": waiting for the database\n\n")
            await asyncio.sleep(RETRY_MILLISECONDS / 1000)
            continue
        for reply in replies:
            data = {"text": reply.text, "from": "staff", "staff_name": reply.staff_name}
            await stream.send(sse_event("message", data, reply.event_id))
            last_id = reply.event_id
        state = widget_state(view.state) if view else "bot"
        if state != sent_state:
            data = {"state": state, **({"text": HANDED_BACK} if state == "bot" and view else {})}
            await stream.send(sse_event("state", data))
            sent_state = state
        if state == "bot":
            break
        await stream.keep_alive()
        await asyncio.sleep(ctx.settings.handoff_poll_seconds)
    await response.eof()
    return None
