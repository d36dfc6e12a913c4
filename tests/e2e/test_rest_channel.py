"""Questions through Rasa's REST channel, answered by the real Rasa server and
action server."""

import pytest
import yaml

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def responses(project_root):
    """Every response: domain.yml's (utter_default) and data/responses.yml's."""
    merged = yaml.safe_load((project_root / "domain.yml").read_text())["responses"]
    merged.update(yaml.safe_load((project_root / "data" / "responses.yml").read_text())["responses"])
    return merged


def first_text(responses, name):
    return responses[name][0]["text"]


@pytest.mark.parametrize(
    ("question", "response"),
    [
        ("whats the difference between healthcare management and medical administration", "utter_difference"),
        ("What skills does a practice manager need?", "utter_skills_ma"),
        ("where would a healthcare manager usually be employed", "utter_workplaces_hm"),
        ("what does CMOM stand for?", "utter_qualification_cmom"),
    ],
)
def test_question_gets_the_right_answer(visitor, responses, question, response):
    assert first_text(responses, response) in visitor.text(question)


def test_follow_up_keeps_the_field_from_the_previous_question(visitor, responses):
    visitor.say("tell me about medical administration")
    assert first_text(responses, "utter_careers_ma") in visitor.text("and what jobs could I get?")


def test_answers_come_with_next_step_buttons(visitor):
    messages = visitor.say("what is healthcare management")
    buttons = [b for m in messages for b in m.get("buttons", [])]
    assert buttons, messages
    assert all(b["payload"].startswith("/") and "{{" not in b["payload"] for b in buttons)


def test_button_payload_is_understood(visitor, responses):
    text = visitor.text('/ask_skills{"field":"healthcare management"}')
    assert first_text(responses, "utter_skills_hm") in text


def test_medical_advice_is_refused(visitor):
    text = visitor.text("I've had a terrible headache for three days, what tablets should I take?")
    assert "111" in text


def test_low_confidence_asks_to_rephrase_with_topic_buttons(visitor, responses):
    # What the FallbackClassifier produces below its threshold.
    messages = visitor.say("/nlu_fallback")
    assert messages[0]["text"] == first_text(responses, "utter_fallback")
    assert len(messages[0]["buttons"]) >= 3


def test_gibberish_is_not_answered_as_a_topic(visitor, responses):
    messages = visitor.say("xqzv blorp wug")
    # Either request to rephrase: the NLU fallback's, or the dialogue's when no rule fits a weak reading.
    allowed = {
        first_text(responses, "utter_fallback"),
        first_text(responses, "utter_default"),
        first_text(responses, "utter_out_of_scope_other"),
    }
    assert messages[0]["text"] in allowed


def test_admissions_contact_fills_in_the_address(visitor):
    text = visitor.text("can I talk to a real person please")
    assert "admissions@britishacademy.example" in text
    assert "{admissions_email}" not in text
