"""Rasa's HTTP API for staff replies: enabled on every Rasa server the stack starts, with a token the
gateway derives the same way (or the configured one), never on the command line."""

from __future__ import annotations

from pathlib import Path

from bot.handoff.rasa_api import HANDED_BACK, HANDED_BACK_RESPONSE, RESUME_EVENTS, rasa_api_token, staff_reply_event
from bot.runtime.stack import process_specs
from bot.settings import Settings


def test_token_is_derived_from_the_gateway_secret_unless_configured():
    derived = rasa_api_token("", b"secret one")
    assert derived == rasa_api_token("", b"secret one") and len(derived) == 64
    assert derived != rasa_api_token("", b"secret two")
    assert derived not in ("secret one",)
    assert rasa_api_token("configured-token", b"secret one") == "configured-token"


def test_the_stack_enables_the_api_without_a_token_in_the_process_list(tmp_path):
    settings = Settings.from_env({"BOT_VAR_DIR": str(tmp_path)})
    rasa = next(spec for spec in process_specs(settings, Path("model.tar.gz"), ("rasa",)))
    assert "--enable-api" in rasa.command
    # bot/runtime/rasa_runtime.py adds it inside the process; tests/browser/test_handoff_live.py replies through it.
    assert "--auth-token" not in rasa.command


def test_events_in_rasa_s_format():
    assert staff_reply_event("Hello", "Sam") == {"event": "bot", "text": "Hello", "metadata": {"handoff_staff": "Sam"}}
    assert RESUME_EVENTS[0] == {"event": "resume"} and RESUME_EVENTS[-1] == {"event": "action", "name": "action_listen"}
    assert RESUME_EVENTS[1:3] == [
        {"event": "action", "name": "utter_handed_back"},
        {"event": "bot", "text": HANDED_BACK},
    ]


def test_the_hand_back_says_what_its_response_says(project_root):
    import yaml

    responses = yaml.safe_load((project_root / "data" / "responses.yml").read_text())["responses"]
    assert responses[HANDED_BACK_RESPONSE] == [{"text": HANDED_BACK}]
