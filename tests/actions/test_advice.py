"""The guided advice form (ValidateGuidedAdviceForm) and its result (ActionRecommendField)."""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet

from actions.advice import UNCLEAR, ActionRecommendField, ValidateGuidedAdviceForm
from bot.dialogue.guided_advice import advice_text, recommend_field
from tests.actions.conftest import conversation, responses, texts

LEAVE_OUT = "No problem, let's leave that one out."


def answer(text: str, slot: str = "advice_focus", intent: str = "ask_overview", confidence: float = 0.41, **slots):
    return conversation(
        "guided_advice_focus", text, intent=intent, confidence=confidence, slots={"requested_slot": slot, **slots}
    )


@pytest.mark.parametrize(
    ("slot", "text", "option"),
    [
        ("advice_focus", "strategy and policy", "strategy"),
        ("advice_contact", "not much, honestly", "little"),
        ("advice_background", "I'm a receptionist", "administrative"),
    ],
)
async def test_a_clear_answer_is_stored_as_its_option(dispatcher, domain, slot, text, option):
    events = await ValidateGuidedAdviceForm().run(dispatcher, answer(text, slot), domain)

    assert dispatcher.messages == []
    assert events == [SlotSet(slot, option), SlotSet("form_failures", None)]


async def test_a_clear_answer_forgets_earlier_failures_of_that_question(dispatcher, domain):
    tracker = answer("plenty", "advice_contact", form_failures={"advice_contact": 2, "advice_focus": 1})

    events = await ValidateGuidedAdviceForm().run(dispatcher, tracker, domain)

    assert events == [SlotSet("advice_contact", "plenty"), SlotSet("form_failures", {"advice_focus": 1})]


async def test_an_unclear_answer_is_explained_and_asked_again(dispatcher, domain):
    events = await ValidateGuidedAdviceForm().run(dispatcher, answer("banana"), domain)

    assert texts(dispatcher) == [UNCLEAR["advice_focus"]]
    assert events == [SlotSet("advice_focus", None), SlotSet("form_failures", {"advice_focus": 1})]


@pytest.mark.parametrize(
    ("slot", "default"),
    [("advice_focus", "both"), ("advice_contact", "some"), ("advice_background", "clinical")],
)
async def test_the_third_unclear_answer_fills_a_neutral_default(dispatcher, domain, slot, default):
    tracker = answer("banana", slot, form_failures={slot: 2})

    events = await ValidateGuidedAdviceForm().run(dispatcher, tracker, domain)

    assert texts(dispatcher) == [UNCLEAR[slot], LEAVE_OUT]
    assert events == [SlotSet(slot, default), SlotSet("form_failures", {slot: 0})]
    # the default counts towards neither field
    assert recommend_field({slot: default}).field is None


async def test_cancel_clears_the_answers_and_ends_the_form(dispatcher, domain):
    tracker = answer("cancel", "advice_contact", advice_focus="strategy", form_failures={"advice_contact": 1})

    events = await ValidateGuidedAdviceForm().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_advice_cancelled"]
    assert events == [
        SlotSet("advice_focus", None),
        SlotSet("advice_contact", None),
        SlotSet("advice_background", None),
        SlotSet("form_failures", None),
        SlotSet("requested_slot", None),
        ActiveLoop(None),
    ]


@pytest.mark.parametrize("slot", ["advice_focus", "advice_contact", "advice_background"])
async def test_why_do_you_ask_explains_the_question(dispatcher, domain, slot):
    events = await ValidateGuidedAdviceForm().run(dispatcher, answer("why do you ask?", slot), domain)

    assert responses(dispatcher) == [f"utter_explain_{slot}"]
    assert f"utter_explain_{slot}" in domain["responses"]
    assert events == [SlotSet(slot, None)]


async def test_a_confident_side_question_is_answered_and_the_question_stays_open(dispatcher, domain):
    tracker = answer("what skills would I need?", intent="ask_skills", confidence=0.95)

    events = await ValidateGuidedAdviceForm().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_skills_both"]
    assert events == [SlotSet("advice_focus", None)]


async def test_a_side_question_about_one_field_gets_that_fields_answer(dispatcher, domain):
    tracker = conversation(
        "guided_advice_focus",
        "what skills does a healthcare manager need?",
        intent="ask_skills",
        entities=[{"entity": "field", "value": "healthcare management"}],
        slots={"requested_slot": "advice_contact"},
    )

    events = await ValidateGuidedAdviceForm().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_skills_hm"]
    assert events == [SlotSet("advice_contact", None)]


async def test_a_plain_answer_is_never_taken_for_a_side_question(dispatcher, domain):
    events = await ValidateGuidedAdviceForm().run(
        dispatcher, answer("strategy", intent="ask_overview", confidence=0.9), domain
    )

    assert dispatcher.messages == []
    assert events[0] == SlotSet("advice_focus", "strategy")


async def test_an_unsure_side_question_counts_as_an_unclear_answer(dispatcher, domain):
    tracker = answer("what skills would I need?", intent="ask_skills", confidence=0.5)

    events = await ValidateGuidedAdviceForm().run(dispatcher, tracker, domain)

    assert texts(dispatcher) == [UNCLEAR["advice_focus"]]
    assert events[0] == SlotSet("advice_focus", None)


async def test_recommend_field_gives_advice_and_starter_courses(dispatcher, domain):
    events = await ActionRecommendField().run(dispatcher, conversation("guided_advice_done"), domain)

    advice = recommend_field({"advice_focus": "strategy", "advice_contact": "little", "advice_background": "business"})
    assert texts(dispatcher)[0] == advice_text(advice)
    assert texts(dispatcher)[0].startswith("From your answers, healthcare management looks like the better fit:")
    assert [text.split(":")[0] for text in texts(dispatcher)[1:]] == [
        "Introduction to Healthcare Management (HM-108)",  # introductory first
        "Leadership in Healthcare Organisations (HM-103)",
    ]
    assert events == [
        SlotSet("courses_shown", ["HM-108", "HM-103"]),
        SlotSet("advice_focus", None),
        SlotSet("advice_contact", None),
        SlotSet("advice_background", None),
        SlotSet("field", "healthcare management"),
    ]


async def test_recommend_field_when_the_answers_point_both_ways(dispatcher, domain):
    tracker = conversation(
        "guided_advice_done", slots={"advice_focus": "both", "advice_contact": "some", "advice_background": "new"}
    )

    events = await ActionRecommendField().run(dispatcher, tracker, domain)

    assert texts(dispatcher)[0].startswith("Your answers point both ways")
    assert [text.split(":")[0] for text in texts(dispatcher)[1:]] == [
        "Introduction to Healthcare Management (HM-108)",
        "Medical Office Administration (MA-203)",
    ]
    assert events == [
        SlotSet("courses_shown", ["HM-108", "MA-203"]),
        SlotSet("advice_focus", None),
        SlotSet("advice_contact", None),
        SlotSet("advice_background", None),
    ]


async def test_recommend_field_says_nothing_after_a_cancelled_form(dispatcher, domain):
    tracker = conversation("guided_advice_done", slots={"advice_contact": None, "advice_background": None})

    events = await ActionRecommendField().run(dispatcher, tracker, domain)

    assert events == []
    assert dispatcher.messages == []
