"""Rasa's socket.io channel, as rasa-webchat uses it, with a real socket.io
client: session_request, then a message, then the bot's reply in the
session's room (which python-socketio 5.10+ breaks; 5.9.0 is pinned).
The client uses the polling transport: the locked python-engineio's
websocket client needs a newer aiohttp than Rasa allows; the server side,
which is what is under test, is the same for both transports."""

import asyncio
import uuid

import pytest
import socketio
import yaml

pytestmark = pytest.mark.e2e


async def converse(url: str, session_id: str, text: str) -> list[dict]:
    client = socketio.AsyncClient(reconnection=False)
    replies: list[dict] = []
    confirmed = asyncio.Event()
    answered = asyncio.Event()

    @client.on("session_confirm")
    async def on_confirm(_data) -> None:
        confirmed.set()

    @client.on("bot_uttered")
    async def on_reply(data) -> None:
        replies.append(data)
        answered.set()

    await client.connect(url, transports=["polling"], socketio_path="/socket.io")
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), 30)
        await client.emit("user_uttered", {"message": text, "session_id": session_id})
        await asyncio.wait_for(answered.wait(), 60)
        await asyncio.sleep(0.5)  # let any further messages of the same turn arrive
    finally:
        await client.disconnect()
    return replies


def test_persistent_session_gets_its_reply_and_keeps_its_conversation(rasa_stack, stack_settings, project_root):
    responses = yaml.safe_load((project_root / "data" / "responses.yml").read_text())["responses"]
    session_id = uuid.uuid4().hex
    replies = asyncio.run(converse(stack_settings.rasa_url, session_id, "tell me about medical administration"))
    assert replies[0]["text"] == responses["utter_overview_ma"][0]["text"]
    # A page reload reconnects with the same session id: the follow-up still knows the field.
    again = asyncio.run(converse(stack_settings.rasa_url, session_id, "and what jobs could I get?"))
    assert again[0]["text"] == responses["utter_careers_ma"][0]["text"]
