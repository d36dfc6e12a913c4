"""Several gateways share one replay cache in Redis: a retried message that lands
on another gateway still reaches Rasa once. Runs against the real Redis on
127.0.0.1 (skips without it; fails instead when BOT_REQUIRE_SERVICES=1)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio

from bot.settings import Settings
from bot.web.app import create_app
from bot.web.shared_replies import SharedReplies
from tests.browser.fake_rasa import FakeRasa
from tests.services import reachable_redis

pytestmark = pytest.mark.services

REDIS_URL = "redis://127.0.0.1:6379/6"


@pytest.fixture(scope="module")
def redis_available():
    with reachable_redis(REDIS_URL):
        pass


@pytest.fixture(scope="module")
def rasa():
    fake = FakeRasa(slow_seconds=1.0).start()
    yield fake
    fake.stop()


@pytest.fixture
def gateways(tmp_path, rasa, redis_available):
    """Two gateways, as behind a load balancer: same secret, same Redis, separate memory."""
    rasa.reset()
    env = {
        "BOT_PROJECT_ROOT": str(tmp_path),
        "RASA_URL": rasa.url,
        "ACTION_SERVER_URL": "http://127.0.0.1:9",
        "GATEWAY_SECRET": "a-secret-every-gateway-shares-0123456789",
        "REDIS_URL": REDIS_URL,
        "UPSTREAM_TIMEOUT": "3",
    }
    return create_app(Settings.from_env(env)), create_app(Settings.from_env(env))


def chat(app, **fields):
    _, response = app.test_client.post("/api/chat", json=fields)
    return response


def test_a_retry_on_another_gateway_gets_the_first_reply(gateways, rasa):
    first_gateway, second_gateway = gateways
    conversation_id = chat(first_gateway, message="hello").json["conversation_id"]
    message_id = uuid.uuid4().hex
    first = chat(first_gateway, message="what next?", client_message_id=message_id, conversation_id=conversation_id)
    retry = chat(second_gateway, message="what next?", client_message_id=message_id, conversation_id=conversation_id)

    assert retry.status == 200
    assert retry.json == first.json
    assert rasa.messages() == ["hello", "what next?"]


def test_a_retried_first_message_on_another_gateway_reaches_rasa_once(gateways, rasa):
    # The widget lost the answer to its first message, so it retries without a conversation id.
    first_gateway, second_gateway = gateways
    message_id = uuid.uuid4().hex
    first = chat(first_gateway, message="hello", client_message_id=message_id)
    retry = chat(second_gateway, message="hello", client_message_id=message_id)

    assert retry.json == first.json  # the same new conversation
    assert rasa.messages() == ["hello"]


def test_a_failed_reply_is_not_replayed_by_another_gateway(gateways, rasa):
    first_gateway, second_gateway = gateways
    message_id = uuid.uuid4().hex
    conversation_id = chat(first_gateway, message="hello").json["conversation_id"]
    failed = chat(first_gateway, message="error 500", client_message_id=message_id, conversation_id=conversation_id)
    retry = chat(second_gateway, message="error 500", client_message_id=message_id, conversation_id=conversation_id)

    assert failed.status == retry.status == 503
    assert rasa.messages() == ["hello", "error 500", "error 500"]  # the retry really tried again


def test_without_redis_the_gateway_still_answers(tmp_path, rasa):
    rasa.reset()
    env = {
        "BOT_PROJECT_ROOT": str(tmp_path),
        "RASA_URL": rasa.url,
        "ACTION_SERVER_URL": "http://127.0.0.1:9",
        "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens here
    }
    response = chat(create_app(Settings.from_env(env)), message="hello", client_message_id=uuid.uuid4().hex)

    assert response.status == 200
    assert response.json["messages"] == [{"text": "You said: hello"}]


async def test_a_message_in_flight_on_one_gateway_is_awaited_by_the_other(redis_available):
    client = redis.asyncio.Redis.from_url(REDIS_URL)
    first_gateway = SharedReplies(client, window_seconds=60, pending_seconds=5)
    second_gateway = SharedReplies(client, window_seconds=60, pending_seconds=5)
    turns: list[str] = []
    key = ("conversation", uuid.uuid4().hex)

    async def rasa_turn() -> dict:
        turns.append("turn")
        await asyncio.sleep(0.5)
        return {"text": "answer"}

    def keep(reply):
        return True

    def same(reply):
        return reply

    try:
        replies = await asyncio.gather(
            first_gateway.once(key, rasa_turn, keep, encode=same, decode=same),
            second_gateway.once(key, rasa_turn, keep, encode=same, decode=same),
        )
    finally:
        await client.close()
    assert replies == [{"text": "answer"}, {"text": "answer"}]
    assert turns == ["turn"]


async def test_a_claim_left_by_a_dead_gateway_expires(redis_available):
    client = redis.asyncio.Redis.from_url(REDIS_URL)
    shared = SharedReplies(client, window_seconds=60, pending_seconds=1)
    key = ("conversation", uuid.uuid4().hex)
    await client.set(shared._key(key), b"pending", ex=30)  # claimed by a gateway that then died

    async def rasa_turn() -> dict:
        return {"text": "answer"}

    try:
        reply = await asyncio.wait_for(shared.once(key, rasa_turn, bool, lambda r: r, lambda r: r), 5)
    finally:
        await client.close()
    assert reply == {"text": "answer"}
