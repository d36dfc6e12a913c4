"""The tracker recorder (tests/data/record_trackers.py): what it keeps, and its errors."""

import pytest

from tests.data.record_trackers import (
    RECORDINGS,
    TRACKERS,
    ActionCalls,
    RecordingError,
    load_recordings,
    trimmed_tracker,
)

RASA_REQUEST_TRACKER = {
    "sender_id": "record-x-1234",
    "slots": {"current_field": "healthcare management", "field": None},
    "latest_message": {
        "text": "and the skills?",
        "intent": {"name": "ask_skills", "confidence": 0.91234},
        "intent_ranking": [{"name": "ask_skills", "confidence": 0.91234}],
        "entities": [],
        "message_id": "abc",
    },
    "events": [
        {"event": "action", "timestamp": 1.5, "name": "action_listen", "policy": "RulePolicy", "confidence": 1.0},
        {
            "event": "user",
            "timestamp": 2.5,
            "text": "and the skills?",
            "parse_data": {"text": "and the skills?", "intent": {"name": "ask_skills", "confidence": 0.91234}},
            "input_channel": "rest",
            "message_id": "abc",
            "metadata": {},
        },
    ],
    "active_loop": None,
    "latest_action_name": "action_listen",
    "paused": False,
}


def test_the_tracker_keeps_what_actions_read_under_a_stable_sender():
    state = trimmed_tracker(RASA_REQUEST_TRACKER, "skills")

    assert state["sender_id"] == "test-skills"
    assert state["slots"] == {"current_field": "healthcare management"}
    assert state["latest_message"] == {
        "text": "and the skills?",
        "intent": {"name": "ask_skills", "confidence": 0.91},
        "entities": [],
    }
    assert state["events"][0] == {"event": "action", "timestamp": 1.5, "name": "action_listen"}
    assert state["events"][1]["timestamp"] == 2.5  # times stay: slots such as enquiry_run hold them
    assert "input_channel" not in state["events"][1] and "message_id" not in state["events"][1]
    assert state["active_loop"] == {}
    assert "paused" not in state


def test_the_last_call_of_an_action_in_a_conversation_is_kept():
    calls = ActionCalls()
    for action, text in [("validate_enquiry_form", "yes"), ("action_ask_x", "-"), ("validate_enquiry_form", "Jo")]:
        calls.add({"next_action": action, "tracker": {"sender_id": "a", "latest_message": {"text": text}}})

    assert calls.last("a", "validate_enquiry_form")["tracker"]["latest_message"]["text"] == "Jo"
    assert calls.last("b", "validate_enquiry_form") is None
    assert calls.actions("a") == ["validate_enquiry_form", "action_ask_x", "validate_enquiry_form"]


def test_every_recorded_tracker_has_its_recipe_and_every_recipe_its_tracker():
    recipes = set(load_recordings())
    recorded = {path.stem for path in TRACKERS.glob("*.json")}
    assert recipes == recorded, f"record them: python -m tests.data.record_trackers (in {RECORDINGS.name})"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("- a list", "expected a mapping"),
        ("x:\n  say: [hi]\n", "give the action"),
        ("x:\n  say: hi\n  action: a\n", "give the messages to type"),
        ("x:\n  say: []\n  action: a\n", "give the messages to type"),
    ],
)
def test_a_broken_recordings_file_names_the_problem(tmp_path, text, error):
    path = tmp_path / "recordings.yml"
    path.write_text(text)
    with pytest.raises(RecordingError, match=error):
        load_recordings(path)
