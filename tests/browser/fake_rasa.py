"""A stand-in for Rasa's REST channel, on a free localhost port, for the gateway's
HTTP tests and the browser tests.

Deterministic replies; messages that ask for trouble get it ("slow", "empty",
"error 500", "not json"), and every message received is recorded with its sender
and the client port it came from (to see keep-alive at work).
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from dataclasses import dataclass

from aiohttp import web

from tests.browser.threaded_server import ThreadedServer

DIFFERENCE_ANSWER = (
    "Healthcare management sets an organisation's strategy; medical administration keeps its days "
    "running smoothly. Read more at https://example.org/courses."
)
COURSE_ANSWER = "I recommend the Healthcare Leadership course in London."
ADMISSIONS_ANSWER = "Our admissions team will be glad to help."


@dataclass(frozen=True)
class Received:
    sender: str
    message: str
    client_port: int


class FakeRasa(ThreadedServer):
    def __init__(self, slow_seconds: float = 3.0, dies_mid_request: bool = False):
        super().__init__()
        self.slow_seconds = slow_seconds
        self.dies_mid_request = dies_mid_request  # drops every connection after reading the message
        self.received: list[Received] = []
        self._lock = threading.Lock()

    # --- what tests ask ------------------------------------------------------

    def messages(self, sender: str | None = None) -> list[str]:
        with self._lock:
            return [r.message for r in self.received if sender is None or r.sender == sender]

    def senders(self) -> list[str]:
        with self._lock:
            return [r.sender for r in self.received]

    def count(self, message: str) -> Counter:
        """How many times each sender sent ``message``."""
        with self._lock:
            return Counter(r.sender for r in self.received if r.message == message)

    def client_ports(self) -> list[int]:
        with self._lock:
            return [r.client_port for r in self.received]

    def reset(self) -> None:
        with self._lock:
            self.received.clear()

    # --- the REST channel ----------------------------------------------------

    async def _webhook(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        sender, message = body["sender"], body["message"]
        peer = request.transport.get_extra_info("peername") if request.transport else None
        with self._lock:
            self.received.append(Received(sender, message, peer[1] if peer else 0))
        if self.dies_mid_request:
            request.transport.close()
            return web.Response(status=500)
        if "slow" in message:
            await asyncio.sleep(self.slow_seconds)
        if "empty" in message:
            return web.json_response([])
        if "error 500" in message:
            return web.Response(status=500, text="Internal Server Error")
        if "not json" in message:
            return web.Response(text="<html>oops</html>", content_type="text/html")
        return web.json_response(self.reply(sender, message))

    @staticmethod
    def reply(sender: str, message: str) -> list[dict]:
        if "difference" in message.lower() or message == "/ask_difference":
            return [
                {
                    "recipient_id": sender,
                    "text": DIFFERENCE_ANSWER,
                    "buttons": [
                        {"title": "Recommend a course", "payload": "/recommend_course"},
                        {"title": "Talk to admissions", "payload": "/request_human"},
                    ],
                }
            ]
        if message == "/recommend_course":
            return [{"recipient_id": sender, "text": COURSE_ANSWER}]
        if message == "/request_human":
            return [{"recipient_id": sender, "text": ADMISSIONS_ANSWER}]
        return [{"recipient_id": sender, "text": f"You said: {message}"}]

    async def _root(self, _request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa: 3.6.21")

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/", self._root)
        app.router.add_post("/webhooks/rest/webhook", self._webhook)
