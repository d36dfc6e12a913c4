"""bot.nlp.person_intent: asking for a person, however rudely, is a request for a person."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.person_intent import PersonRequestRule, asks_for_a_person
from tests.nlp.test_course_intent import assert_decided


@pytest.mark.parametrize(
    "text",
    [
        "ugh, put me through to somebody who knows",
        "this is hopeless, I want a real human being",
        "I need to speak with an actual adviser",
        "let me chat to a member of staff please",
        "connect me with one of your advisers, you're clueless",
        "wanna talk to someone real",
    ],
)
def test_requests_for_a_person(text):
    assert asks_for_a_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "are you a real person?",
        "am I talking to a human or a machine",
        "is somebody typing these answers",
        "you are useless",
        "what does a practice manager need to know",
    ],
)
def test_not_requests_for_a_person(text):
    assert not asks_for_a_person(text)


def _parsed(text: str, intent: str) -> Message:
    ranking = [{"name": intent, "confidence": 0.7}, {"name": "request_human", "confidence": 0.2}]
    return Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking})


@pytest.mark.parametrize("intent", ["insult", "bot_challenge"])
def test_a_rude_or_bot_reading_that_asks_for_a_person_becomes_a_request_with_no_rival(intent):
    rule = PersonRequestRule(PersonRequestRule.get_default_config())

    [message] = rule.process([_parsed("rubbish bot, find me a person", intent)])

    assert_decided(message, "request_human")


def test_other_readings_stay_as_the_model_read_them():
    rule = PersonRequestRule(PersonRequestRule.get_default_config())

    [message] = rule.process([_parsed("I need someone to explain the MBA", "ask_qualifications")])

    assert message.get("intent") == {"name": "ask_qualifications", "confidence": 0.7}
