"""Answers a question a visitor asks in the middle of a form, so the form
can carry on where it was (rasa-demo's "FAQ inside a form" idea, done in
one place for every form)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker_reading import latest_entities
from bot.knowledge import TOPICS, choose_answer

PLAIN_ANSWERS = {
    "ask_difference": "utter_difference",
    "ask_choose": "utter_choose",
    "ask_inhouse": "utter_inhouse_training",
    "bot_challenge": "utter_iamabot",
    "request_human": "utter_admissions_contact",
}
RETRIEVAL_INTENTS = ("faq", "out_of_scope")
TOPIC_INTENTS = tuple(f"ask_{topic}" for topic in TOPICS)
SIDE_QUESTION_INTENTS = frozenset((*PLAIN_ANSWERS, *RETRIEVAL_INTENTS, *TOPIC_INTENTS))
# Below this, the message is more likely an answer to the form's question.
MIN_CONFIDENCE = 0.8


def side_question_response(tracker: Tracker) -> str | None:
    """The response answering the latest message, if it is a confident side question."""
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    name, confidence = intent.get("name") or "", float(intent.get("confidence") or 0.0)
    if name not in SIDE_QUESTION_INTENTS or confidence < MIN_CONFIDENCE:
        return None
    if name in PLAIN_ANSWERS:
        return PLAIN_ANSWERS[name]
    if name in RETRIEVAL_INTENTS:
        selected = (message.get("response_selector") or {}).get(name) or {}
        key = (selected.get("response") or {}).get("intent_response_key")
        return f"utter_{key}" if key else None
    return choose_answer(name, latest_entities(tracker))


def answer_side_question(tracker: Tracker, dispatcher: CollectingDispatcher) -> bool:
    response = side_question_response(tracker)
    if response is None:
        return False
    dispatcher.utter_message(response=response)
    return True
