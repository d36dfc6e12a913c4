"""Defect 2: a first message's retry is bound to the client that sent it.

Before: the replay key of a first message was ``("", client_message_id)``, so a
second client that sent the same client_message_id received the first
visitor's conversation id and replies.
"""

from __future__ import annotations

import pytest

from bot.settings import Settings
from bot.web.app import create_app
from tests.browser.fake_rasa import FakeRasa


@pytest.fixture(scope="module")
def rasa():
    fake = FakeRasa().start()
    yield fake
    fake.stop()


@pytest.fixture
def app(tmp_path, rasa):
    rasa.reset()
    settings = Settings.from_env(
        {
            "BOT_PROJECT_ROOT": str(tmp_path),
            "RASA_URL": rasa.url,
            "ACTION_SERVER_URL": "http://127.0.0.1:9",
            "GATEWAY_PROXIES_COUNT": "1",  # the client's address comes from X-Forwarded-For
        }
    )
    return create_app(settings)


def first_message(app, text: str, client: str, user_agent: str = "Firefox", message_id: str = "first-message-1"):
    headers = {"X-Forwarded-For": client, "User-Agent": user_agent}
    _, response = app.test_client.post(
        "/api/chat", json={"message": text, "client_message_id": message_id}, headers=headers
    )
    assert response.status == 200
    return response.json


@pytest.mark.parametrize(
    "second_client",
    [("203.0.113.9", "Safari"), ("192.0.2.1", "Firefox"), ("198.51.100.7", "Safari")],
    ids=["other-address-and-browser", "other-address", "same-address-other-browser"],
)
def test_a_second_client_with_the_same_message_id_never_joins_the_first_conversation(app, rasa, second_client):
    victim = first_message(app, "my email is kim@example.com", "198.51.100.7", "Firefox")
    attacker = first_message(app, "what did they say?", *second_client)
    assert attacker["conversation_id"] != victim["conversation_id"]
    assert "kim@example.com" not in str(attacker)
    assert rasa.messages() == ["my email is kim@example.com", "what did they say?"]
    assert len(set(rasa.senders())) == 2


def test_the_same_clients_retry_still_gets_its_own_reply(app, rasa):
    first = first_message(app, "first words", "198.51.100.7")
    retry = first_message(app, "first words", "198.51.100.7")
    assert retry == first
    assert rasa.messages() == ["first words"]
