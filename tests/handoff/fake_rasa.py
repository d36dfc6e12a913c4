"""A stand-in for Rasa for the handoff tests: the REST channel and the two API calls the gateway makes.

It keeps the conversation the way Rasa does: every message is written to the
tracker store's ``events`` table; a message asking for a "person" pauses the
conversation (as ``action_offer_handoff`` does, recording the handoff); while
paused it answers nothing; ``POST /conversations/<id>/tracker/events`` (token
checked) appends staff replies and resumes on a ``resume`` event.
"""

from __future__ import annotations

import json
import time

from aiohttp import web
from sqlalchemy import create_engine

from bot.handoff.store import HandoffStore
from bot.staff.conversations import EVENTS
from tests.browser.threaded_server import ThreadedServer

TOKEN = "rasa-api-test-token"
JOINING = "A person will join this chat shortly."


class FakeRasaWithApi(ThreadedServer):
    def __init__(self, tracker_url: str, handoffs: HandoffStore):
        super().__init__()
        self.engine = create_engine(tracker_url, future=True)
        EVENTS.metadata.create_all(self.engine)
        self.handoffs = handoffs
        self.paused: set[str] = set()
        self.appended: list[tuple[str, dict]] = []
        self.unauthorised = 0

    def write(self, sender: str, event: dict) -> None:
        event = {"timestamp": time.time(), **event}
        with self.engine.begin() as connection:
            connection.execute(
                EVENTS.insert().values(
                    sender_id=sender,
                    type_name=event["event"],
                    action_name=event.get("name"),
                    timestamp=event["timestamp"],
                    data=json.dumps(event),
                )
            )

    async def _webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        sender, message = body["sender"], body["message"]
        self.write(sender, {"event": "user", "text": message})
        if sender in self.paused:
            return web.json_response([])
        if "person" in message:
            self.handoffs.start(sender)
            self.paused.add(sender)
            self.write(sender, {"event": "bot", "text": JOINING})
            return web.json_response([{"recipient_id": sender, "text": JOINING}])
        answer = f"The assistant answers: {message}"
        self.write(sender, {"event": "bot", "text": answer})
        return web.json_response([{"recipient_id": sender, "text": answer}])

    async def _append(self, request: web.Request) -> web.Response:
        if request.query.get("token") != TOKEN:
            self.unauthorised += 1
            return web.json_response({"message": "not authorised"}, status=401)
        sender = request.match_info["sender"]
        for event in await request.json():
            self.appended.append((sender, event))
            if event["event"] == "resume":
                self.paused.discard(sender)
            self.write(sender, event)
        return web.json_response({"sender_id": sender})

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/webhooks/rest/webhook", self._webhook)
        app.router.add_post("/conversations/{sender}/tracker/events", self._append)

    def stop(self) -> None:
        super().stop()
        self.engine.dispose()
