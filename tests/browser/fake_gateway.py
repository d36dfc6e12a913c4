"""A stand-in for the gateway's side of the live handoff (issue 16), for the widget's
browser tests: it serves the real widget files, answers POST /api/chat, and streams
staff messages and state changes over server-sent events that the test pushes.

The contract the widget implements:

- a reply to POST /api/chat may carry
  ``"handoff": {"state": "waiting"|"live", "events_url": "/api/chat/events?conversation_id=..."}``;
- the stream sends ``event: message`` (``{"text", "from": "staff", "staff_name"}``, with an ``id:``)
  and ``event: state`` (``{"state": "waiting"|"live"|"bot", "text": "optional notice"}``).

Like a real server after a reconnect, every new stream starts by replaying the events
already sent, so the widget has to drop the ones it has shown.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from pathlib import Path

from aiohttp import web

from tests.browser.host_site import host_page
from tests.browser.threaded_server import ThreadedServer

STATIC = Path(__file__).resolve().parents[2] / "bot" / "web" / "static"
HANDOFF_ANSWER = "I'm asking a member of our admissions team to join. They will reply here."
RAW_ERROR = "Unknown field 'attachment' in the JSON body (KeyError at chat.py:88)"


class FakeGateway(ThreadedServer):
    def __init__(self) -> None:
        super().__init__()
        self.handoffs: set[str] = set()
        self.events: dict[str, list[tuple[str, str, dict]]] = {}  # conversation -> (id, event, data)
        self.received: list[tuple[str, str]] = []  # (conversation, message)
        self.stream_opens: dict[str, int] = {}
        self._lock = threading.Lock()
        self._waiters: dict[str, asyncio.Event] = {}
        self._ids = itertools.count(1)
        self._conversations = itertools.count(1)

    # --- what tests do and ask ---------------------------------------------------

    def push(self, conversation: str, event: str, data: dict) -> str:
        """Send an event to the conversation's stream (now, and to every later stream)."""
        event_id = f"ev-{next(self._ids)}"
        with self._lock:
            self.events.setdefault(conversation, []).append((event_id, event, data))
            if event == "state" and data.get("state") == "bot":
                self.handoffs.discard(conversation)  # handed back: the bot answers again
        self.call(self._wake, conversation)
        return event_id

    def messages(self, conversation: str) -> list[str]:
        with self._lock:
            return [message for who, message in self.received if who == conversation]

    def opens(self, conversation: str) -> int:
        with self._lock:
            return self.stream_opens.get(conversation, 0)

    # --- the server --------------------------------------------------------------

    def _wake(self, conversation: str) -> None:
        waiter = self._waiters.pop(conversation, None)
        if waiter:
            waiter.set()

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/", self._page)
        app.router.add_get("/widget.js", self._static)
        app.router.add_get("/widget.css", self._static)
        app.router.add_post("/api/chat", self._chat)
        app.router.add_get("/api/chat/events", self._events)

    async def _page(self, _request: web.Request) -> web.Response:
        return web.Response(text=host_page("/widget.js", title="Handoff test page"), content_type="text/html")

    async def _static(self, request: web.Request) -> web.Response:
        name = request.path.lstrip("/")
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return web.Response(text=(STATIC / name).read_text(encoding="utf-8"), content_type=kind)

    def _handoff(self, conversation: str) -> dict:
        state = "waiting"
        with self._lock:
            for _, event, data in self.events.get(conversation, []):
                if event == "state":
                    state = data.get("state", state)
        return {"state": state, "events_url": f"/api/chat/events?conversation_id={conversation}"}

    async def _chat(self, request: web.Request) -> web.Response:
        body = await request.json()
        conversation = body.get("conversation_id") or f"conv-{next(self._conversations)}"
        message = body["message"]
        with self._lock:
            self.received.append((conversation, message))
        if "raw error" in message:
            return web.json_response({"error": RAW_ERROR}, status=422)
        reply: dict = {"conversation_id": conversation, "messages": []}
        if conversation in self.handoffs:
            reply["handoff"] = self._handoff(conversation)
        elif message == "/request_human":
            self.handoffs.add(conversation)
            reply["messages"] = [{"text": HANDOFF_ANSWER}]
            reply["handoff"] = self._handoff(conversation)
        else:
            reply["messages"] = [{"text": f"You said: {message}"}]
        return web.json_response(reply)

    async def _events(self, request: web.Request) -> web.StreamResponse:
        conversation = request.query.get("conversation_id", "")
        with self._lock:
            self.stream_opens[conversation] = self.stream_opens.get(conversation, 0) + 1
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
        await response.prepare(request)
        sent = 0
        while True:
            with self._lock:
                pending = self.events.get(conversation, [])[sent:]
            for event_id, event, data in pending:
                await response.write(f"id: {event_id}\nevent: {event}\ndata: {json.dumps(data)}\n\n".encode())
                sent += 1
            waiter = self._waiters.setdefault(conversation, asyncio.Event())
            try:
                await asyncio.wait_for(waiter.wait(), timeout=15)
            except asyncio.TimeoutError:
                await response.write(b": keep-alive\n\n")
