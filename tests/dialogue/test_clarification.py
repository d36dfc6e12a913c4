"""Two close readings of a message: "Did you mean ...?" with a readable button for each."""

from __future__ import annotations

import pytest
import yaml
from rasa_sdk import Tracker

from actions.answers import ActionAnswerInContext
from bot.dialogue.clarification import close_readings, did_you_mean, load_titles, payload

TITLES = {"ask_skills": "Skills needed", "ask_qualifications": "Qualifications needed", "enquire": "Make an enquiry"}


def ranking(*pairs):
    return [{"name": "nlu_fallback", "confidence": 0.2}] + [{"name": n, "confidence": c} for n, c in pairs]


def test_two_close_readings_are_both_offered_best_first():
    assert close_readings(ranking(("ask_qualifications", 0.31), ("ask_skills", 0.33)), TITLES) == [
        "ask_skills",
        "ask_qualifications",
    ]


@pytest.mark.parametrize(
    "readings",
    [
        (("ask_skills", 0.6), ("ask_qualifications", 0.3)),  # one clear reading
        (("ask_skills", 0.33), ("insult", 0.31)),  # a reading that has no title is never offered
        (("ask_skills", 0.08), ("ask_qualifications", 0.07)),  # both too weak to offer
        (("ask_skills", 0.9),),  # a single reading
    ],
)
def test_no_question_when_the_readings_are_not_two_close_offerable_ones(readings):
    assert close_readings(ranking(*readings), TITLES) == []


def test_the_buttons_carry_the_entities_of_the_message():
    entities = [
        {"entity": "field", "value": "medical administration"},
        {"entity": "field", "value": "healthcare management"},
        {"entity": "role", "value": ""},
    ]
    choices = did_you_mean(ranking(("ask_skills", 0.3), ("ask_qualifications", 0.29)), entities, TITLES)

    assert [(c.title, c.payload) for c in choices] == [
        ("Skills needed", '/ask_skills{"field": "medical administration"}'),
        ("Qualifications needed", '/ask_qualifications{"field": "medical administration"}'),
    ]
    assert payload("enquire", []) == "/enquire"


def test_every_title_names_an_intent_of_the_domain(project_root):
    intents = set(yaml.safe_load((project_root / "domain.yml").read_text(encoding="utf-8"))["intents"])
    titles = load_titles()
    assert set(titles) <= intents
    assert all(not title.startswith(("ask_", "faq_")) for title in titles.values())  # phrases, not intent names


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("intent_titles: {}\n", "non-empty mapping"),
        ("intent_titles:\n  ask_skills: ''\n", "without a text: ask_skills"),
    ],
)
def test_a_malformed_titles_file_gets_a_clear_error(tmp_path, text, problem):
    path = tmp_path / "titles.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        load_titles(path)


def unclear(intent_ranking, text="", entities=None) -> Tracker:
    message = {
        "text": text,
        "intent": {"name": "nlu_fallback", "confidence": 0.2},
        "intent_ranking": intent_ranking,
        "entities": entities or [],
    }
    return Tracker("test", {}, message, [], False, None, {}, "action_listen")


async def test_the_action_asks_did_you_mean_with_a_button_per_reading(dispatcher, domain):
    close = ranking(("start_guided_advice", 0.27), ("recommend_course", 0.25), ("enquire", 0.1))

    await ActionAnswerInContext().run(dispatcher, unclear(close, text="pick something for me"), domain)

    (message,) = dispatcher.messages
    assert message["response"] == "utter_ask_affirmation" and "utter_ask_affirmation" in domain["responses"]
    assert [b["payload"] for b in message["buttons"]] == ["/start_guided_advice", "/recommend_course"]
    assert [b["title"] for b in message["buttons"]] == ["Help choosing a course", "Find a course"]


async def test_the_action_asks_to_rephrase_when_one_reading_is_merely_weak(dispatcher, domain):
    weak = ranking(("start_guided_advice", 0.15), ("recommend_course", 0.05))

    await ActionAnswerInContext().run(dispatcher, unclear(weak, text="pick something for me"), domain)

    assert [message["response"] for message in dispatcher.messages] == ["utter_fallback"]
