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


class FakeRasa:
    def __init__(self, slow_seconds: float = 3.0, dies_mid_request: bool = False):
        self.slow_seconds = slow_seconds
        self.dies_mid_request = dies_mid_request  # drops every connection after reading the message
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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

    # --- life cycle (its own event loop in a thread) ---------------------------

    def start(self) -> FakeRasa:
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            app = web.Application()
            app.router.add_get("/", self._root)
            app.router.add_post("/webhooks/rest/webhook", self._webhook)
            self._runner = web.AppRunner(app, access_log=None)
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0, shutdown_timeout=0.5)
            self._loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()
            self._loop.close()

        self._thread = threading.Thread(target=serve, name="fake-rasa", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fake Rasa server did not start")
        return self

    async def _shutdown(self) -> None:
        await self._runner.cleanup()
        # Handlers still sleeping for a "slow" message the gateway gave up on.
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def stop(self) -> None:
        if self._loop and self._thread:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
