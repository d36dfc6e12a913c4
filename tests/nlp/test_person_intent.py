"""bot.nlp.person_intent: asking for a person, however rudely, is a request for a person."""

from __future__ import annotations

import pytest

from bot.nlp.person_intent import PersonRequestRule, asks_for_a_person
from tests.nlp.readings import assert_decided, parsed


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


@pytest.mark.parametrize("intent", ["insult", "bot_challenge"])
def test_a_rude_or_bot_reading_that_asks_for_a_person_becomes_a_request_with_no_rival(intent):
    rule = PersonRequestRule.create({}, None, None, None)

    [message] = rule.process([parsed("rubbish bot, find me a person", intent, "request_human")])

    assert_decided(message, "request_human")


def test_other_readings_stay_as_the_model_read_them():
    rule = PersonRequestRule.create({}, None, None, None)

    [message] = rule.process([parsed("I need someone to explain the MBA", "ask_qualifications", "request_human")])

    assert message.get("intent") == {"name": "ask_qualifications", "confidence": 0.6}
