"""The knowledge actions (actions/answers.py, actions/conversation.py) with
trackers recorded from real conversations (tests/data/trackers/, made by
``python -m tests.data.record_trackers``) and small hand-built ones."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.answers import (
    ActionAnswerFieldFollowUp,
    ActionAnswerInContext,
    ActionAnswerQuestion,
    ActionHelpChoose,
    ActionTellMeMore,
)
from actions.conversation import ActionRepeatLastReply
from tests.conftest import load_tracker

HM, MA = "healthcare management", "medical administration"


def tracker(intent: str, entities: list[dict] | None = None, text: str = "", events=None, **slots) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    return Tracker("test", slots, message, events or [], False, None, {}, "action_listen")


@pytest.mark.parametrize(
    ("tracker_name", "response"),
    [
        ("skills_for_a_role", "utter_skills_hm"),
        ("skills_follow_up", "utter_skills_ma"),
        ("qualification_letters", "utter_qualification_chap"),
        ("workplaces_both_fields", "utter_workplaces_both"),
    ],
)
async def test_answer_question_utters_the_fitting_response(dispatcher, domain, tracker_name, response):
    await ActionAnswerQuestion().run(dispatcher, load_tracker(tracker_name), domain)

    assert [message["response"] for message in dispatcher.messages] == [response]
    assert response in domain["responses"]


async def test_answer_question_asks_to_rephrase_an_intent_it_does_not_answer(dispatcher, domain):
    # No rule sends a greeting here; the action still answers something sensible if one arrives.
    await ActionAnswerQuestion().run(dispatcher, tracker("greet", text="hello there"), domain)

    assert [message["response"] for message in dispatcher.messages] == ["utter_fallback"]


async def test_an_answer_about_one_field_keeps_it_in_context(dispatcher, domain):
    entities = [{"entity": "field", "value": HM}]
    events = await ActionAnswerQuestion().run(dispatcher, tracker("ask_qualifications", entities), domain)

    assert events == [
        SlotSet("current_field", HM),
        SlotSet("current_topic", "qualifications"),
        SlotSet("field", HM),
    ]


async def test_a_choice_naming_one_field_keeps_it_in_focus(dispatcher, domain):
    entities = [{"entity": "field", "value": MA}]
    choosing = tracker("ask_choose", entities, current_field="both", current_topic="choose")

    events = await ActionHelpChoose().run(dispatcher, choosing, domain)

    assert [m["response"] for m in dispatcher.messages] == ["utter_choose"]
    assert events == [SlotSet("current_field", MA), SlotSet("field", MA)]


async def test_the_other_field_gets_the_same_topic(dispatcher, domain):
    entities = [{"entity": "field", "value": MA}]
    follow_up = tracker("follow_up_field", entities, current_field=HM, current_topic="qualifications", field=HM)

    events = await ActionAnswerFieldFollowUp().run(dispatcher, follow_up, domain)

    assert [m["response"] for m in dispatcher.messages] == ["utter_qualifications_ma"]
    assert SlotSet("current_field", MA) in events and SlotSet("field", MA) in events


async def test_a_field_after_a_course_list_runs_the_search_for_it(dispatcher, domain):
    entities = [{"entity": "field", "value": MA}]
    follow_up = tracker(
        "follow_up_field", entities, text="and for medical admin?", current_topic="courses", field=HM, courses_shown=[]
    )

    events = await ActionAnswerFieldFollowUp().run(dispatcher, follow_up, domain)

    codes = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "MA-" in codes and "HM-" not in codes
    assert any(e.get("name") == "courses_shown" for e in events)


@pytest.mark.parametrize(
    ("action", "intent", "text"),
    [
        (ActionAnswerInContext, "nlu_fallback", "tell me more about Medical Office Administration"),
        (ActionAnswerFieldFollowUp, "follow_up_field", "and Medical Office Administration?"),
        (ActionAnswerQuestion, "ask_overview", "so what is medical office administration exactly"),
        (ActionTellMeMore, "tell_me_more", "go on about the Medical Office Administration one"),
    ],
)
async def test_a_shown_course_named_by_its_title_gets_its_details(dispatcher, domain, action, intent, text):
    after_list = tracker(intent, text=text, current_topic="courses", courses_shown=["MA-203", "MA-207"])

    await action().run(dispatcher, after_list, domain)

    details = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "Medical Office Administration (MA-203)" in details and "MA-207" not in details


async def test_a_topic_question_naming_a_shown_title_still_gets_the_topic(dispatcher, domain):
    entities = [{"entity": "field", "value": MA}]
    after_list = tracker(
        "ask_careers",
        entities,
        text="what jobs does medical office administration lead to",
        current_topic="courses",
        courses_shown=["MA-203", "MA-207"],
    )

    await ActionAnswerQuestion().run(dispatcher, after_list, domain)

    assert [m["response"] for m in dispatcher.messages] == ["utter_careers_ma"]


async def test_tell_me_more_moves_on_to_the_next_topic(dispatcher, domain):
    events = await ActionTellMeMore().run(
        dispatcher, tracker("tell_me_more", current_field=MA, current_topic="careers"), domain
    )

    assert [m["response"] for m in dispatcher.messages] == ["utter_workplaces_ma"]
    assert SlotSet("current_topic", "workplaces") in events


async def test_repeat_sends_the_last_reply_again(dispatcher, domain):
    events = [
        {"event": "user", "text": "what skills?"},
        {"event": "bot", "text": "Leadership.", "data": {"buttons": [{"title": "More", "payload": "/tell_me_more"}]}},
        {"event": "user", "text": "sorry, can you repeat that?"},
    ]
    await ActionRepeatLastReply().run(dispatcher, tracker("ask_repeat", events=events), domain)

    assert [(m["text"], m["buttons"]) for m in dispatcher.messages] == [
        ("Leadership.", [{"title": "More", "payload": "/tell_me_more"}])
    ]


async def test_nothing_to_repeat_at_the_start(dispatcher, domain):
    events = [{"event": "user", "text": "repeat that"}]
    await ActionRepeatLastReply().run(dispatcher, tracker("ask_repeat", events=events), domain)

    assert [m["response"] for m in dispatcher.messages] == ["utter_nothing_to_repeat"]


async def test_an_unclear_message_naming_a_field_is_answered_in_context(dispatcher, domain):
    entities = [{"entity": "field", "value": MA}]
    unclear = tracker("nlu_fallback", entities, text="hmm, medical admin?", current_field=HM, current_topic="skills")

    await ActionAnswerInContext().run(dispatcher, unclear, domain)

    assert [m["response"] for m in dispatcher.messages] == ["utter_skills_ma"]


async def test_an_unclear_message_naming_nothing_asks_to_rephrase(dispatcher, domain):
    await ActionAnswerInContext().run(dispatcher, tracker("nlu_fallback", text="xqzv blorp"), domain)

    assert [m["response"] for m in dispatcher.messages] == ["utter_fallback"]


async def test_several_questions_in_one_message_get_one_answer_each(dispatcher, domain):
    entities = [{"entity": "field", "value": HM}]
    text = "What skills do healthcare managers need and where do they work?"

    await ActionAnswerQuestion().run(dispatcher, tracker("ask_skills", entities, text=text), domain)

    assert [m["response"] for m in dispatcher.messages] == ["utter_skills_hm", "utter_workplaces_hm"]
