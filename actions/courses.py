"""Course recommendations and course details, from the catalogue."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import dependencies
from actions.tracker_reading import entity_value, latest_entities, latest_text, remember
from bot.courses.references import is_payload
from bot.courses.replies import (
    Reply,
    clarifying_question,
    course_details,
    course_not_found,
    no_match,
    recommendations,
    shown_codes,
    unknown_subject,
)
from bot.courses.requests import interpret, slots_after_search
from bot.dialogue.course_followups import aspects_asked, course_meant, fact_response, fact_values, which_course_buttons

REMEMBERED = ("field", "topic", "location", "delivery")


def _send(dispatcher: CollectingDispatcher, replies: list[Reply]) -> None:
    for reply in replies:
        dispatcher.utter_message(**reply.as_message())


class ActionRecommendCourses(Action):
    def name(self) -> str:
        return "action_recommend_courses"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        store = dependencies.catalogue()
        today = store.today()
        remembered = {name: tracker.get_slot(name) for name in REMEMBERED}
        request = interpret(latest_text(tracker), latest_entities(tracker), store.catalogue, today, remembered)
        if not request.specific:
            _send(dispatcher, [clarifying_question()])
            return []
        if request.unknown_subject:
            _send(dispatcher, [unknown_subject(request.unknown_subject)])
            return [SlotSet("courses_shown", [])]
        query = request.query
        sample = store.catalogue.sample
        matches = store.search(query)
        if matches:
            replies = recommendations(matches, query, sample)
        else:
            replies = no_match(query, store.explain_no_match(query), sample)
        _send(dispatcher, replies)
        events = [SlotSet("courses_shown", shown_codes(replies))]
        changed = slots_after_search(query, remembered, in_form=bool(tracker.active_loop_name))
        events += [SlotSet(name, value) for name, value in changed.items()]
        if tracker.get_slot("last_course"):  # "that one" now means one of the new list
            events.append(SlotSet("last_course", None))
        return events


class ActionCourseDetails(Action):
    def name(self) -> str:
        return "action_course_details"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        store = dependencies.catalogue()
        text = latest_text(tracker)
        shown = tracker.get_slot("courses_shown") or []
        meant = course_meant(store, text, entity_value(tracker, "course"), shown, tracker.get_slot("last_course"))
        course = meant.course
        if course is None:
            if meant.ask_which:  # "how much is it?" after a list: which one?
                dispatcher.utter_message(response="utter_which_course", buttons=which_course_buttons(meant.choices))
                return []
            reference = entity_value(tracker, "course") or text
            reply = course_not_found(None if is_payload(reference) else reference[:60])
            dispatcher.utter_message(text=reply.text, buttons=[*which_course_buttons(meant.choices), *reply.buttons])
            return []
        aspects = aspects_asked(text)
        if aspects:  # "how much is it?", "when and where?": just those facts
            values = fact_values(course, store.today(), store.catalogue.sample)
            for aspect in aspects:
                dispatcher.utter_message(response=fact_response(aspect, course, store.today()), **values)
        else:
            _send(dispatcher, course_details(course, store.today(), store.catalogue.sample))
        return [
            SlotSet("last_course", course.code),
            SlotSet("courses_of_interest", remember(tracker, "courses_of_interest", [course.code])),
        ]
