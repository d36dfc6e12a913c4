"""Answers a question a visitor asks in the middle of a form, so the form
can carry on where it was (rasa-demo's "FAQ inside a form" idea, done in
one place for every form)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker_reading import latest_entities
from bot.dialogue.contact_details import is_question
from bot.dialogue.enquiry_form import Reply
from bot.dialogue.knowledge import TOPICS, choose_answer

PLAIN_ANSWERS = {
    "ask_difference": "utter_difference",
    "ask_choose": "utter_choose",
    "ask_inhouse": "utter_inhouse_training",
    "bot_challenge": "utter_iamabot",
    "request_human": "utter_admissions_contact",
}
# Each FAQ and out-of-scope question is a plain intent answered by its own
# response, utter_<intent> (faq_salary -> utter_faq_salary).
OWN_RESPONSE_PREFIXES = ("faq_", "out_of_scope_")
TOPIC_INTENTS = tuple(f"ask_{topic}" for topic in TOPICS)
# Course questions are answered by the course actions themselves, but only
# when shaped like a question: "the billing course" is an answer, not a question.
COURSE_INTENTS = ("recommend_course", "ask_course_details")
SIDE_QUESTION_INTENTS = frozenset((*PLAIN_ANSWERS, *TOPIC_INTENTS))
# Below this, the message is more likely an answer to the form's question. On the dev hold-out the
# tf-idf model is right 314 times and wrong twice at 0.7 or more; the old model was right 244 times
# and wrong 6 times at its 0.8 (docs/conversation.md, "Questions inside a form").
MIN_CONFIDENCE = 0.7


def _intent(tracker: Tracker) -> tuple[str, float]:
    intent = (tracker.latest_message or {}).get("intent") or {}
    return intent.get("name") or "", float(intent.get("confidence") or 0.0)


def side_question_response(tracker: Tracker) -> str | None:
    """The response answering the latest message, if it is a confident side question."""
    name, confidence = _intent(tracker)
    if confidence < MIN_CONFIDENCE:
        return None
    if name.startswith(OWN_RESPONSE_PREFIXES):
        return f"utter_{name}"
    if name not in SIDE_QUESTION_INTENTS:
        return None
    if name in PLAIN_ANSWERS:
        return PLAIN_ANSWERS[name]
    return choose_answer(name, latest_entities(tracker))


def _is_course_question(tracker: Tracker) -> bool:
    name, confidence = _intent(tracker)
    text = (tracker.latest_message or {}).get("text") or ""
    return name in COURSE_INTENTS and confidence >= MIN_CONFIDENCE and is_question(text)


def is_side_question(tracker: Tracker) -> bool:
    return side_question_response(tracker) is not None or _is_course_question(tracker)


def _course_action(tracker: Tracker):
    from actions.courses import ActionCourseDetails, ActionRecommendCourses

    name, _ = _intent(tracker)
    return ActionRecommendCourses() if name == "recommend_course" else ActionCourseDetails()


async def side_question_replies(tracker: Tracker, domain: dict[str, Any]) -> tuple[list[Reply], list[dict]]:
    """The answer to a side question, as replies, and the events it sets (courses shown)."""
    response = side_question_response(tracker)
    if response == PLAIN_ANSWERS["request_human"]:
        # In the enquiry form a person already reads what is being written: offering the form again would
        # be wrong (a "yes" would be taken as the answer), so the form carries on (issue 16).
        return [Reply(response="utter_person_during_enquiry")], []
    if response is not None:
        return [Reply(response=response)], []
    if not _is_course_question(tracker):
        return [], []
    collected = CollectingDispatcher()
    events = await _course_action(tracker).run(collected, tracker, domain)
    replies = [
        Reply(
            text=message.get("text"),
            response=message.get("response"),
            buttons=tuple(message.get("buttons") or ()),
        )
        for message in collected.messages
    ]
    return replies, list(events or [])


def answer_side_question(tracker: Tracker, dispatcher: CollectingDispatcher) -> bool:
    """For the guided-advice form: answer a confident FAQ or topic question."""
    response = side_question_response(tracker)
    if response is None:
        return False
    dispatcher.utter_message(response=response)
    return True
