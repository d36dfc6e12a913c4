"""Behaviour every form of the assistant shares, so each form's validation
action only says how to read its own answers.

- "cancel" / "stop" leaves the form with its slots cleared (nothing kept);
- "why do you need this?" explains the question (``utter_explain_<slot>``)
  and asks it again;
- a side question (an FAQ, a course question) is answered and the form
  asks its question again;
- after three unusable answers to one question, ``on_third_failure`` lets
  the form offer a way out.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.side_questions import answer_side_question
from actions.tracker_reading import latest_intent, latest_text

FAILURES_SLOT = "form_failures"
MAX_FAILURES = 3

_CANCEL = re.compile(
    r"^\s*(cancel|stop|quit|exit|abort|never ?mind|forget it|i changed my mind|changed my mind|"
    r"stop (it|this|the form)|cancel (it|this|that|the form|my enquiry|the enquiry))\s*[.!]*\s*$",
    re.IGNORECASE,
)
_WHY = re.compile(
    r"\bwhy\b.*\b(need|want|ask|asking|require|collect|matter)\b|\bwhat('?s| is) (this|that|it) for\b",
    re.IGNORECASE,
)


def is_cancel(text: str, intent: str) -> bool:
    return intent == "cancel" or bool(_CANCEL.match(text or ""))


def is_why(text: str, intent: str = "") -> bool:
    return intent == "explain_why" or bool(_WHY.search(text or ""))


def _honour_early_end(events: list[dict]) -> list[dict]:
    """A validator that sets ``requested_slot`` to None ends the form, even
    when rasa_sdk then appends the next slot to ask for."""
    ends = [
        i
        for i, e in enumerate(events)
        if e.get("event") == "slot" and e.get("name") == "requested_slot" and e.get("value") is None
    ]
    if not ends:
        return events
    kept = [
        e
        for i, e in enumerate(events)
        if i <= ends[0] or not (e.get("event") == "slot" and e.get("name") == "requested_slot")
    ]
    return [*kept, ActiveLoop(None)]


class AssistantFormValidation(FormValidationAction):
    """Base class for the assistant's form validation actions."""

    #: slots the form owns; all cleared on cancel.
    form_slots: tuple[str, ...] = ()
    #: response uttered when the visitor cancels.
    cancelled_response: str = "utter_form_cancelled"

    @abstractmethod
    def name(self) -> str:
        """``validate_<form name>``; abstract so the action server skips this base class."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        requested = tracker.get_slot("requested_slot")
        text, intent = latest_text(tracker), latest_intent(tracker)
        answered_now = requested is not None and requested in tracker.slots_to_validate()

        if answered_now and is_cancel(text, intent):
            dispatcher.utter_message(response=self.cancelled_response)
            cleared = [SlotSet(slot, None) for slot in (*self.form_slots, FAILURES_SLOT)]
            return [*cleared, SlotSet("requested_slot", None), ActiveLoop(None)]

        if answered_now and is_why(text, intent):
            dispatcher.utter_message(response=f"utter_explain_{requested}")
            return [SlotSet(requested, None)]

        if answered_now and not self.looks_like_answer(requested, text) and answer_side_question(tracker, dispatcher):
            return [SlotSet(requested, None)]

        events = await super().run(dispatcher, tracker, domain)
        return _honour_early_end(events)

    def looks_like_answer(self, slot: str, text: str) -> bool:
        """Whether ``text`` is plainly an answer to ``slot`` (then it is never taken as a side question)."""
        return False

    def failed(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker, problem: str) -> dict[str, Any]:
        """Explain what was wrong; on the third failure offer a way out."""
        failures = dict(tracker.get_slot(FAILURES_SLOT) or {})
        failures[slot] = int(failures.get(slot, 0)) + 1
        dispatcher.utter_message(text=problem)
        if failures[slot] >= MAX_FAILURES:
            skipped = self.on_third_failure(slot, dispatcher, tracker)
            if skipped is not None:
                failures[slot] = 0
                return {slot: skipped, FAILURES_SLOT: failures}
        return {slot: None, FAILURES_SLOT: failures}

    def succeeded(self, slot: str, value: Any, tracker: Tracker) -> dict[str, Any]:
        failures = dict(tracker.get_slot(FAILURES_SLOT) or {})
        failures.pop(slot, None)
        return {slot: value, FAILURES_SLOT: failures or None}

    def on_third_failure(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Any | None:
        """Return a value to fill the slot with (skipping it), or None to keep asking."""
        return None
