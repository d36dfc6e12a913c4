"""Course recommendations and course details, from the catalogue."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import dependencies
from actions.tracker_reading import entity_value, latest_entities, latest_text, remember
from bot.catalogue import CatalogueStore, Course, CourseQuery
from bot.course_replies import (
    Reply,
    clarifying_question,
    codes,
    course_details,
    course_not_found,
    no_match,
    recommendations,
)
from bot.course_requests import interpret

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
        query = request.query
        matches = store.search(query)
        if matches:
            _send(dispatcher, recommendations(matches, query))
            shown = codes(matches[:3])
        else:
            alternatives = store.nearest_alternatives(query)
            _send(dispatcher, no_match(query, alternatives))
            shown = codes(alternatives.matches[:3])
        events = [SlotSet("courses_shown", shown)]
        for name, value in (
            ("field", query.field),
            ("topic", query.topics[0] if query.topics else None),
            ("location", query.location),
            ("delivery", query.delivery),
        ):
            if value and value != tracker.get_slot(name):
                events.append(SlotSet(name, value))
        return events


def _course_by_topic(store: CatalogueStore, text: str, shown: list[str]) -> tuple[Course | None, bool]:
    """The one course a free-text reference names by topic ("the billing course"), and whether it named a topic.

    Among several, one already shown wins; a tie names no course, rather than guessing.
    """
    named = [m for m in store.search(CourseQuery(text=text)) if m.matched_topics]
    among_shown = [m for m in named if m.course.code in shown]
    candidates = among_shown or named
    if not candidates:
        return None, False
    if len(candidates) > 1 and candidates[0].score <= candidates[1].score:
        return None, True
    return candidates[0].course, True


class ActionCourseDetails(Action):
    def name(self) -> str:
        return "action_course_details"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        store = dependencies.catalogue()
        reference = entity_value(tracker, "course") or latest_text(tracker)
        free_text = bool(reference) and not reference.startswith("/")
        course = store.find_course(reference) if free_text else None
        shown = tracker.get_slot("courses_shown") or []
        named_a_topic = False
        if course is None and free_text:
            course, named_a_topic = _course_by_topic(store, reference, shown)
        if course is None and not named_a_topic:
            # "that one", "the first one": the course shown or discussed last.
            last = tracker.get_slot("last_course")
            fallback = last or (shown[0] if len(shown) == 1 else None)
            course = store.find_course(fallback) if fallback else None
        if course is None:
            _send(dispatcher, [course_not_found(None if reference.startswith("/") else reference[:60])])
            return []
        _send(dispatcher, course_details(course, store.today()))
        return [
            SlotSet("last_course", course.code),
            SlotSet("courses_of_interest", remember(tracker, "courses_of_interest", [course.code])),
        ]
