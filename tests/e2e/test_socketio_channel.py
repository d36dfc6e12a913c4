"""Rasa's socket.io channel, as rasa-webchat uses it, with a real socket.io
client: session_request, then a message, then the bot's reply in the
session's room (which python-socketio 5.10+ breaks; 5.9.0 is pinned)."""

import asyncio
import uuid

import pytest
import socketio

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

    await client.connect(url, transports=["websocket"], socketio_path="/socket.io")
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), 30)
        await client.emit("user_uttered", {"message": text, "session_id": session_id})
        await asyncio.wait_for(answered.wait(), 60)
        await asyncio.sleep(0.5)  # let any further messages of the same turn arrive
    finally:
        await client.disconnect()
    return replies


def test_persistent_session_gets_its_reply(rasa_stack, stack_settings):
    session_id = uuid.uuid4().hex
    replies = asyncio.run(
        converse(stack_settings.rasa_url, session_id, "what's the difference between HM and med admin?")
    )
    assert replies and "strateg" in replies[0]["text"].lower()
    # A reconnecting client with the same session id continues the same conversation.
    again = asyncio.run(converse(stack_settings.rasa_url, session_id, "and what jobs could I get?"))
    assert again and again[0]["text"]
