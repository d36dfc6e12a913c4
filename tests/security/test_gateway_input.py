"""Defect 4: hostile text at the gateway gets a clear 4xx, never a 500 and never reaches Rasa.

Before: a lone surrogate (``"\\ud800"`` in the JSON) went on to Rasa, whose spaCy
step crashed on it and wrote a 28 KB traceback each time; control characters
went through too, and nothing was normalised.

The fuzz tests use hypothesis: any Unicode text (surrogates and control
characters included) and any JSON value as the body.
"""

from __future__ import annotations

import json
import socket
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sanic_testing.reusable import ReusableClient

from bot.settings import Settings
from bot.web.app import create_app
from tests.browser.fake_rasa import FakeRasa

FUZZ = settings(
    max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CLIENT_ERRORS = {400, 413, 415, 422}
ALLOWED_CONTROLS = "\t\n\r"


@pytest.fixture(scope="module")
def rasa():
    fake = FakeRasa().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def app(tmp_path_factory, rasa):
    settings_ = Settings.from_env(
        {
            "BOT_PROJECT_ROOT": str(tmp_path_factory.mktemp("gateway")),
            "RASA_URL": rasa.url,
            "ACTION_SERVER_URL": "http://127.0.0.1:9",
            "GATEWAY_IP_BURST": "100000",  # the fuzzing client sends many messages from one address
            "CHAT_MAX_MESSAGE_CHARS": "300",
        }
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = ReusableClient(create_app(settings_), port=port)  # one server for the whole module
    with client:
        yield client


def post_raw(app, body: bytes):
    _, response = app.post("/api/chat", content=body, headers={"content-type": "application/json"})
    return response


def post_message(app, message: str):
    # json.dumps escapes lone surrogates as \ud800, exactly what a hostile client can send.
    return post_raw(app, json.dumps({"message": message}).encode())


def acceptable_for_rasa(text: str) -> bool:
    text.encode("utf-8")  # raises on a lone surrogate
    return (
        unicodedata.is_normalized("NFC", text)
        and all(unicodedata.category(c) != "Cc" or c in ALLOWED_CONTROLS for c in text)
        and 0 < len(text) <= 300
    )


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("hello \ud800 there", "lone surrogate (U+D800) at character 7"),
        ("\udfff", "lone surrogate"),
        ("bell\x07", "control character (U+0007)"),
        ("null\x00byte", "control character (U+0000)"),
        ("escape \x1b[31mred", "control character (U+001B)"),
        ("next line\x85", "control character (U+0085)"),
        ("non-character \ufffe", "non-character (U+FFFE)"),
    ],
)
def test_invalid_unicode_and_control_characters_get_a_clear_400(app, rasa, message, error):
    rasa.reset()
    response = post_message(app, message)
    assert response.status == 400
    assert error in response.json["error"]
    assert rasa.messages() == []


def test_a_lone_surrogate_in_the_conversation_id_is_a_400_not_a_crash(app, rasa):
    rasa.reset()
    response = post_raw(app, b'{"message": "hi", "conversation_id": "abc\\ud800.def"}')
    assert response.status == 400
    assert "conversation_id" in response.json["error"]
    assert rasa.messages() == []


def test_what_passes_reaches_rasa_in_nfc(app, rasa):
    rasa.reset()
    decomposed = "Cafe\u0301 in Mu\u0308nchen"  # e + combining acute, u + combining diaeresis
    response = post_message(app, decomposed)
    assert response.status == 200
    assert rasa.messages() == ["Caf\u00e9 in M\u00fcnchen"]


def test_tabs_and_new_lines_are_still_allowed(app, rasa):
    rasa.reset()
    assert post_message(app, "line one\nline two\twith a tab").status == 200
    assert rasa.messages() == ["line one\nline two\twith a tab"]


@FUZZ
@given(st.text(alphabet=st.characters(codec=None, categories=None), max_size=400))
def test_any_text_is_answered_or_refused_with_a_4xx_and_rasa_sees_only_clean_text(app, rasa, message):
    rasa.reset()
    response = post_message(app, message)
    assert response.status == 200 or response.status in CLIENT_ERRORS, response.body[:200]
    assert response.content_type.startswith("application/json")
    if response.status == 200:
        assert len(rasa.messages()) == 1 and acceptable_for_rasa(rasa.messages()[0])
    else:
        assert isinstance(response.json["error"], str) and rasa.messages() == []


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
FIELDS = st.sampled_from(["message", "conversation_id", "client_message_id", "sender", ""])


@FUZZ
@given(st.dictionaries(FIELDS, JSON_VALUES, max_size=4) | JSON_VALUES)
def test_any_json_body_gets_an_answer_or_a_clear_4xx(app, rasa, body):
    rasa.reset()
    response = post_raw(app, json.dumps(body).encode())
    assert response.status == 200 or response.status in CLIENT_ERRORS, response.body[:200]
    if response.status != 200:
        assert rasa.messages() == [] and response.json["error"]


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_as_the_body_get_a_clear_4xx(app, rasa, body):
    response = post_raw(app, body)
    assert response.status in CLIENT_ERRORS or response.status == 200
    assert response.json.get("error") or response.status == 200
