"""Guided advice: a three-question form that recommends a field, then courses."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import dependencies
from actions.form_base import AssistantFormValidation
from bot.courses.model import CourseQuery
from bot.courses.replies import course_card
from bot.dialogue.guided_advice import QUESTIONS, advice_text, parse_option, recommend_field
from bot.dialogue.knowledge import FIELDS

UNCLEAR = {
    "advice_focus": "Sorry, I didn't catch which appeals more. Pick one of the buttons, or say 'strategy', "
    "'day-to-day operations' or 'a bit of both'.",
    "advice_contact": "Sorry, I didn't catch that. Would you like plenty, some or little contact with patients?",
    "advice_background": "Sorry, I didn't catch that. Is your background clinical, admin, business, or are you "
    "new to healthcare?",
}

# Filled in after three unclear answers: options that count towards neither field.
NEUTRAL_ANSWERS = {"advice_focus": "both", "advice_contact": "some", "advice_background": "clinical"}


class ValidateGuidedAdviceForm(AssistantFormValidation):
    form_slots = QUESTIONS
    cancelled_response = "utter_advice_cancelled"

    def name(self) -> str:
        return "validate_guided_advice_form"

    def looks_like_answer(self, slot: str, text: str) -> bool:
        return parse_option(slot, text) is not None

    def _validate(self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
        option = parse_option(slot, value if isinstance(value, str) else None)
        if option is None:
            return self.failed(slot, dispatcher, tracker, UNCLEAR[slot])
        return self.succeeded(slot, option, tracker)

    def on_third_failure(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Any:
        dispatcher.utter_message(text="No problem, let's leave that one out.")
        return NEUTRAL_ANSWERS[slot]

    async def validate_advice_focus(self, value, dispatcher, tracker, domain) -> dict:
        return self._validate("advice_focus", value, dispatcher, tracker)

    async def validate_advice_contact(self, value, dispatcher, tracker, domain) -> dict:
        return self._validate("advice_contact", value, dispatcher, tracker)

    async def validate_advice_background(self, value, dispatcher, tracker, domain) -> dict:
        return self._validate("advice_background", value, dispatcher, tracker)


class ActionRecommendField(Action):
    """After the form: which field fits, why, and courses to start with."""

    def name(self) -> str:
        return "action_recommend_field"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        answers = {slot: tracker.get_slot(slot) for slot in QUESTIONS}
        if not all(answers.values()):
            return []  # the form was cancelled; it has already said so
        advice = recommend_field(answers)
        dispatcher.utter_message(text=advice_text(advice))
        store = dependencies.catalogue()
        fields = [advice.field] if advice.field else list(FIELDS)
        shown = []
        for field in fields:
            matches = store.search(CourseQuery(field=field, sort="relevance"))
            starters = sorted(matches, key=lambda m: (m.course.level != "introductory", m.next_session is None))
            for match in starters[: 2 if advice.field else 1]:
                card = course_card(match, sample=store.catalogue.sample)
                dispatcher.utter_message(**card.as_message())
                shown.append(match.course.code)
        events = [SlotSet("courses_shown", shown), *(SlotSet(slot, None) for slot in QUESTIONS)]
        if advice.field:
            events.append(SlotSet("field", advice.field))
        return events
