"""``POST /api/chat`` through Sanic's test client, against a fake Rasa REST
channel listening on a free localhost port."""

from __future__ import annotations

import pytest
from sanic_testing.reusable import ReusableClient

from bot.settings import Settings, SettingsError
from bot.web.app import create_app
from bot.web.conversation_ids import ConversationIds
from tests.browser.fake_rasa import DIFFERENCE_ANSWER, FakeRasa
from tests.browser.gateway_process import free_port


@pytest.fixture(scope="module")
def rasa():
    fake = FakeRasa(slow_seconds=2.0).start()
    yield fake
    fake.stop()


@pytest.fixture
def make_app(tmp_path, rasa):
    rasa.reset()

    def make(**env: str):
        values = {
            "BOT_PROJECT_ROOT": str(tmp_path),
            "RASA_URL": rasa.url,
            "ACTION_SERVER_URL": "http://127.0.0.1:9",
            "UPSTREAM_TIMEOUT": "0.5",
            **env,
        }
        return create_app(Settings.from_env(values))

    return make


@pytest.fixture
def app(make_app):
    return make_app()


def chat(app, body=None, headers=None, **fields):
    _, response = app.test_client.post("/api/chat", json=body if body is not None else fields, headers=headers)
    return response


# --- forwarding -------------------------------------------------------------


def test_message_goes_to_rasa_and_the_answer_comes_back(app, rasa):
    response = chat(app, message="What is the difference?")
    assert response.status == 200
    assert response.json["messages"] == [
        {
            "text": DIFFERENCE_ANSWER,
            "buttons": [
                {"title": "Recommend a course", "payload": "/recommend_course"},
                {"title": "Talk to admissions", "payload": "/request_human"},
            ],
        }
    ]
    assert "degraded" not in response.json
    assert rasa.messages() == ["What is the difference?"]


def test_one_conversation_keeps_one_sender(app, rasa):
    first = chat(app, message="hello")
    conversation_id = first.json["conversation_id"]
    second = chat(app, message="again", conversation_id=conversation_id)
    assert second.json["conversation_id"] == conversation_id
    senders = rasa.senders()
    assert senders[0] == senders[1] == ConversationIds.sender_id(conversation_id)


def test_keep_alive_connection_is_reused(make_app, rasa):
    app = make_app()
    client = ReusableClient(app, port=free_port())
    with client:
        for text in ("one", "two", "three"):
            _, response = client.post("/api/chat", json={"message": text})
            assert response.status == 200
    ports = rasa.client_ports()
    assert len(ports) == 3 and len(set(ports)) == 1


# --- conversation ids -------------------------------------------------------


def test_new_conversations_get_distinct_random_ids(app):
    ids = {chat(app, message=f"hi {n}").json["conversation_id"] for n in range(20)}
    assert len(ids) == 20
    assert all(len(token.partition(".")[0]) >= 24 for token in ids)


@pytest.mark.parametrize("chosen", ["victim", "web-victim", "abc.def", "", "x" * 300])
def test_the_visitor_cannot_choose_the_sender_id(app, rasa, chosen):
    response = chat(app, message="hello", conversation_id=chosen)
    assert response.status == 200
    issued = response.json["conversation_id"]
    assert issued != chosen
    sender = rasa.senders()[-1]
    assert sender == ConversationIds.sender_id(issued)
    assert chosen.partition(".")[0] not in sender or chosen == ""


def test_a_tampered_id_starts_a_fresh_conversation(app, rasa):
    issued = chat(app, message="hello").json["conversation_id"]
    token, _, signature = issued.partition(".")
    forged = f"{token[:-1]}{'A' if token[-1] != 'A' else 'B'}.{signature}"
    response = chat(app, message="again", conversation_id=forged)
    assert response.json["conversation_id"] not in (issued, forged)
    assert rasa.senders()[0] != rasa.senders()[1]


def test_ids_signed_with_another_secret_are_not_accepted(make_app):
    ours = make_app(GATEWAY_SECRET="one secret")
    theirs = make_app(GATEWAY_SECRET="another secret")
    issued = chat(theirs, message="hello").json["conversation_id"]
    assert chat(ours, message="hello", conversation_id=issued).json["conversation_id"] != issued
    assert chat(theirs, message="hello", conversation_id=issued).json["conversation_id"] == issued


def test_generated_secret_is_private_and_survives_a_restart(make_app, tmp_path):
    before_restart = make_app()
    issued = chat(before_restart, message="hello").json["conversation_id"]
    secret_file = tmp_path / "var" / "gateway_secret"
    assert secret_file.stat().st_mode & 0o777 == 0o600
    assert len(secret_file.read_text().strip()) >= 32
    after_restart = make_app()
    assert chat(after_restart, message="again", conversation_id=issued).json["conversation_id"] == issued


# --- validation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type", "status", "error"),
    [
        ('{"message": "hi"}', "text/plain", 415, "Content-Type: application/json"),
        ("message=hi", "application/x-www-form-urlencoded", 415, "JSON"),
        ('{"message": "hi"', "application/json", 400, "not valid JSON"),
        ("\xff\xfe", "application/json", 400, "not valid JSON"),
        pytest.param("[" * 20_000, "application/json", 400, "not valid JSON", id="nested-too-deep"),
        ("[]", "application/json", 422, "JSON object"),
        ('"hello"', "application/json", 422, "JSON object"),
        ("{}", "application/json", 422, '"message" is required'),
        ('{"message": 42}', "application/json", 422, '"message" must be a string'),
        ('{"message": ["hi"]}', "application/json", 422, '"message" must be a string'),
        ('{"message": "   \\n "}', "application/json", 422, "must not be empty"),
        ('{"message": "hi", "conversation_id": 7}', "application/json", 422, '"conversation_id" must be a string'),
        ('{"message": "hi", "client_message_id": "a b"}', "application/json", 422, '"client_message_id"'),
        ('{"message": "hi", "client_message_id": 12345678}', "application/json", 422, '"client_message_id"'),
        ('{"message": "hi", "sender": "victim"}', "application/json", 422, "Unknown field(s): sender"),
    ],
)
def test_bad_requests_get_a_clear_json_error(app, rasa, content, content_type, status, error):
    _, response = app.test_client.post(
        "/api/chat", content=content.encode("latin-1"), headers={"content-type": content_type}
    )
    assert response.status == status
    assert error in response.json["error"]
    assert rasa.messages() == []


def test_message_length_limit(app, rasa):
    assert chat(app, message="x" * 2000).status == 200
    too_long = chat(app, message="x" * 2001)
    assert too_long.status == 413
    assert "at most 2000 characters" in too_long.json["error"]
    assert rasa.messages() == ["x" * 2000]


def test_huge_bodies_are_refused_before_parsing(app, rasa):
    _, response = app.test_client.post(
        "/api/chat", content=b'{"message": "' + b"x" * 100_000 + b'"}', headers={"content-type": "application/json"}
    )
    assert response.status == 413
    assert "too large" in response.json["error"]
    assert rasa.messages() == []


# --- rate limits ------------------------------------------------------------------


def test_per_ip_limit_answers_429_with_retry_after(make_app, rasa):
    app = make_app(GATEWAY_IP_BURST="3", GATEWAY_IP_RATE_PER_MINUTE="1")
    statuses = [chat(app, message=f"hi {n}").status for n in range(3)]
    assert statuses == [200, 200, 200]
    limited = chat(app, message="one too many")
    assert limited.status == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert "Too many messages" in limited.json["error"]
    assert "one too many" not in rasa.messages()


def test_per_conversation_limit_leaves_other_conversations_alone(make_app, rasa):
    app = make_app(GATEWAY_CONVERSATION_BURST="2", GATEWAY_CONVERSATION_RATE_PER_MINUTE="1")
    conversation_id = chat(app, message="one").json["conversation_id"]
    assert chat(app, message="two", conversation_id=conversation_id).status == 200
    limited = chat(app, message="three", conversation_id=conversation_id)
    assert limited.status == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert chat(app, message="a new visitor").status == 200
    assert "three" not in rasa.messages()


# --- retries: client_message_id ---------------------------------------------------


def test_a_retried_message_reaches_rasa_once(app, rasa):
    conversation_id = chat(app, message="hello").json["conversation_id"]
    first = chat(app, message="the question", conversation_id=conversation_id, client_message_id="msg-0001")
    retry = chat(app, message="the question", conversation_id=conversation_id, client_message_id="msg-0001")
    assert retry.status == first.status == 200
    assert retry.json == first.json
    assert rasa.count("the question") == {ConversationIds.sender_id(conversation_id): 1}
    chat(app, message="the question", conversation_id=conversation_id, client_message_id="msg-0002")
    assert sum(rasa.count("the question").values()) == 2


def test_a_retried_first_message_keeps_its_new_conversation(app, rasa):
    first = chat(app, message="first words", client_message_id="first-message-1")
    retry = chat(app, message="first words", client_message_id="first-message-1")
    assert retry.json["conversation_id"] == first.json["conversation_id"]
    assert sum(rasa.count("first words").values()) == 1


def test_the_same_client_message_id_in_another_conversation_is_a_new_message(app, rasa):
    one = chat(app, message="hi").json["conversation_id"]
    two = chat(app, message="hi").json["conversation_id"]
    chat(app, message="same id", conversation_id=one, client_message_id="shared-0001")
    chat(app, message="same id", conversation_id=two, client_message_id="shared-0001")
    assert sorted(rasa.count("same id").values()) == [1, 1]


def test_failed_attempts_are_not_replayed(app, rasa):
    for _ in range(2):
        assert chat(app, message="error 500", client_message_id="failing-01").status == 503
    assert sum(rasa.count("error 500").values()) == 2


def test_apologies_are_not_replayed(app, rasa):
    # "empty answer": what Rasa returns when it could not finish the turn; the gateway apologises (200).
    for _ in range(2):
        response = chat(app, message="empty answer please", client_message_id="empty-0001")
        assert response.status == 200 and response.json["degraded"] is True
    assert sum(rasa.count("empty answer please").values()) == 2


def test_replay_window_zero_turns_replays_off(make_app, rasa):
    app = make_app(GATEWAY_REPLAY_WINDOW="0")
    conversation_id = chat(app, message="hi").json["conversation_id"]
    for _ in range(2):
        chat(app, message="twice", conversation_id=conversation_id, client_message_id="no-replay-1")
    assert sum(rasa.count("twice").values()) == 2


# --- when Rasa cannot answer ------------------------------------------------------


def assert_friendly_apology(response, status):
    assert response.status == status
    assert response.json["degraded"] is True
    assert response.json["conversation_id"]
    (message,) = response.json["messages"]
    assert message["text"].startswith("Sorry")
    assert "admissions@britishacademy.example" in message["text"]
    assert {"title": "Talk to admissions", "payload": "/request_human"} in message["buttons"]
    assert message["links"] == [{"title": "Email admissions", "url": "mailto:admissions@britishacademy.example"}]


def test_upstream_timeout_becomes_a_friendly_503(app):
    assert_friendly_apology(chat(app, message="slow please"), 503)


@pytest.mark.parametrize("message", ["error 500", "not json"])
def test_upstream_errors_become_a_friendly_503(app, message):
    assert_friendly_apology(chat(app, message=message), 503)


def test_upstream_down_becomes_a_friendly_503(make_app):
    app = make_app(RASA_URL=f"http://127.0.0.1:{free_port()}")
    assert_friendly_apology(chat(app, message="anyone there?"), 503)


def test_empty_answer_from_rasa_becomes_a_friendly_degraded_message(app):
    # What Rasa returns when the action server is down.
    assert_friendly_apology(chat(app, message="empty answer please"), 200)


def test_conversation_survives_an_upstream_failure(app):
    conversation_id = chat(app, message="hi").json["conversation_id"]
    failed = chat(app, message="error 500", conversation_id=conversation_id)
    assert failed.json["conversation_id"] == conversation_id


# --- several Rasa servers ------------------------------------------------------------


@pytest.fixture(scope="module")
def second_rasa():
    fake = FakeRasa(slow_seconds=2.0).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def dying_rasa():
    fake = FakeRasa(dies_mid_request=True).start()
    yield fake
    fake.stop()


def test_messages_are_spread_over_the_rasa_servers(make_app, rasa, second_rasa):
    second_rasa.reset()
    app = make_app(RASA_URL=f"{rasa.url},{second_rasa.url}")
    conversation_id = chat(app, message="one").json["conversation_id"]
    for text in ("two", "three", "four"):
        assert chat(app, message=text, conversation_id=conversation_id).status == 200

    assert sorted(rasa.messages() + second_rasa.messages()) == ["four", "one", "three", "two"]
    assert len(rasa.messages()) == len(second_rasa.messages()) == 2
    assert set(rasa.senders()) == set(second_rasa.senders()) == {ConversationIds.sender_id(conversation_id)}


def test_a_stopped_rasa_server_is_stepped_round(make_app, rasa):
    app = make_app(RASA_URL=f"http://127.0.0.1:{free_port()},{rasa.url}")
    for text in ("one", "two", "three"):
        response = chat(app, message=text)
        assert response.status == 200
        assert response.json["messages"] == [{"text": f"You said: {text}"}]
    assert rasa.messages() == ["one", "two", "three"]


def test_a_rasa_server_dying_mid_message_passes_it_to_the_next(make_app, rasa, dying_rasa):
    dying_rasa.reset()
    app = make_app(RASA_URL=f"{dying_rasa.url},{rasa.url}")
    first = chat(app, message="first")
    second = chat(app, message="second")

    assert first.json["messages"] == [{"text": "You said: first"}]
    assert second.json["messages"] == [{"text": "You said: second"}]
    # The dead server rests: the second message is not offered to it first.
    assert dying_rasa.messages() == ["first"]
    assert rasa.messages() == ["first", "second"]


def test_an_error_answer_is_not_repeated_on_another_server(make_app, rasa, second_rasa):
    # Rasa may have half-handled the message: only a connection failure is safe to repeat.
    second_rasa.reset()
    app = make_app(RASA_URL=f"{rasa.url},{second_rasa.url}")
    assert_friendly_apology(chat(app, message="error 500"), 503)
    assert len(rasa.messages() + second_rasa.messages()) == 1


def test_every_rasa_server_down_is_the_friendly_503(make_app, dying_rasa):
    app = make_app(RASA_URL=f"http://127.0.0.1:{free_port()},{dying_rasa.url}")
    assert_friendly_apology(chat(app, message="anyone there?"), 503)


def test_health_counts_the_servers_without_naming_them(make_app, rasa):
    app = make_app(RASA_URL=f"{rasa.url},http://127.0.0.1:{free_port()}")
    _, response = app.test_client.get("/healthz")
    assert response.json == {
        "gateway": "ok",
        "rasa": "degraded",
        "action_server": "unreachable",
        "rasa_servers_up": "1/2",
        "action_servers_up": "0/1",
    }
    assert "127.0.0.1" not in response.text


# --- CORS -------------------------------------------------------------------------

ALLOWED = "https://www.example.org"


@pytest.fixture
def cors_app(make_app):
    return make_app(GATEWAY_ALLOWED_ORIGINS=f"{ALLOWED}, https://partner.example.net")


def test_allowed_origin_gets_cors_headers(cors_app):
    response = chat(cors_app, headers={"origin": ALLOWED}, message="hi")
    assert response.status == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "Origin" in response.headers["vary"]


def test_other_origins_are_refused(cors_app, rasa):
    response = chat(cors_app, headers={"origin": "https://evil.example.com"}, message="hi")
    assert response.status == 403
    assert "not allowed" in response.json["error"]
    assert "access-control-allow-origin" not in response.headers
    assert rasa.messages() == []


def test_same_origin_and_originless_requests_are_fine(cors_app):
    same = chat(cors_app, headers={"origin": "https://chat.example.org", "host": "chat.example.org"}, message="hi")
    assert same.status == 200
    assert "access-control-allow-origin" not in same.headers
    assert chat(cors_app, message="hi").status == 200


def test_preflight_for_an_allowed_origin(cors_app):
    _, response = cors_app.test_client.options(
        "/api/chat",
        headers={
            "origin": ALLOWED,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert response.status == 204
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()
    assert int(response.headers["access-control-max-age"]) > 0


def test_preflight_for_another_origin_is_refused(cors_app):
    _, response = cors_app.test_client.options(
        "/api/chat", headers={"origin": "https://evil.example.com", "access-control-request-method": "POST"}
    )
    assert response.status == 403
    assert "access-control-allow-origin" not in response.headers


def test_allowed_origins_setting_is_checked():
    with pytest.raises(SettingsError, match="GATEWAY_ALLOWED_ORIGINS"):
        Settings.from_env({"GATEWAY_ALLOWED_ORIGINS": "*"})
    with pytest.raises(SettingsError, match="GATEWAY_ALLOWED_ORIGINS"):
        Settings.from_env({"GATEWAY_ALLOWED_ORIGINS": "https://example.org/path"})
    settings = Settings.from_env({"GATEWAY_ALLOWED_ORIGINS": "https://A.example.org/, http://b.example.org:8080"})
    assert settings.allowed_origins == ("https://a.example.org", "http://b.example.org:8080")


def test_api_responses_carry_security_headers(app):
    response = chat(app, message="hi")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in response.headers["content-security-policy"]
