"""Answers to knowledge questions about the two fields, and the follow-ups
that lean on the conversation context ("and medical administrators?",
"tell me more"). Which answer fits is decided by ``bot.dialogue.context``;
the words are responses in data/responses.yml."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import dependencies
from actions.courses import ActionCourseDetails, ActionRecommendCourses
from actions.tracker_reading import latest_entities, latest_intent, latest_text
from bot.courses.references import shown_course_named
from bot.dialogue.clarification import did_you_mean, load_titles
from bot.dialogue.context import (
    COURSE_DETAILS,
    COURSES,
    RECOMMEND_COURSES,
    Answer,
    Context,
    answer_choice,
    answer_field_follow_up,
    answer_tell_me_more,
    answer_topic_questions,
    answers_for_unclear,
)
from bot.dialogue.course_followups import aspects_asked


def context_of(tracker: Tracker) -> Context:
    return Context(
        field=tracker.get_slot("current_field"),
        topic=tracker.get_slot("current_topic"),
        interest=tracker.get_slot("field"),
    )


def shown_course_answer(tracker: Tracker) -> Answer | None:
    """After a course list, a message naming one of its courses by code or whole title asks for its details."""
    if tracker.get_slot("current_topic") != COURSES:
        return None
    shown = tracker.get_slot("courses_shown") or []
    if shown_course_named(dependencies.catalogue(), latest_text(tracker), shown) is None:
        return None
    return Answer(context_of(tracker), action=COURSE_DETAILS)


# Questions that ask what something is, not one of its topics: when they name a course just shown,
# that course is what they ask about ("what is Medical Office Administration?" after a list).
GENERAL_QUESTIONS = frozenset({"ask_overview"})

# Follow-ups about courses are answered by the course actions themselves, run in the same turn.
COURSE_ACTIONS = {RECOMMEND_COURSES: ActionRecommendCourses, COURSE_DETAILS: ActionCourseDetails}


async def carry_out(
    answer: Answer, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[dict[str, Any]]:
    """Say the answer (or let the course action give it) and keep the context it leaves."""
    events: list[dict[str, Any]] = []
    changes = {"current_field": answer.context.field, "current_topic": answer.context.topic}
    if answer.interest:
        changes["field"] = answer.interest
    for slot, value in changes.items():
        if value != tracker.get_slot(slot):
            events.append(SlotSet(slot, value))
            tracker.slots[slot] = value  # what the next answer in this turn (or a course search) sees
    if answer.action in COURSE_ACTIONS:
        events += await COURSE_ACTIONS[answer.action]().run(dispatcher, tracker, domain)
    else:
        dispatcher.utter_message(response=answer.response or "utter_fallback")
    return events


async def carry_out_each(
    answers: list[Answer], dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[dict[str, Any]]:
    """Each part of a multi-part question, in order (each sees the context the one before left)."""
    events: list[dict[str, Any]] = []
    for answer in answers:
        events += await carry_out(answer, dispatcher, tracker, domain)
    return events


class ActionAnswerQuestion(Action):
    """A topic question (``ask_skills``, ...): the field named, else the one in context.

    Each part of a multi-part question ("what skills ... and where do they work?") is answered, in order.
    """

    def name(self) -> str:
        return "action_answer_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        # "Tell me about Medical Office Administration" after a list names a course, not the field.
        shown = shown_course_answer(tracker) if latest_intent(tracker) in GENERAL_QUESTIONS else None
        if shown:
            answers = [shown]
        else:
            answers = answer_topic_questions(
                latest_intent(tracker), latest_entities(tracker), context_of(tracker), latest_text(tracker)
            )
        if not answers:
            dispatcher.utter_message(response="utter_fallback")
            return []
        return await carry_out_each(answers, dispatcher, tracker, domain)


class ActionHelpChoose(Action):
    """ "Which should I choose?": the advice on choosing, keeping the one field the visitor named in focus."""

    def name(self) -> str:
        return "action_help_choose"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        return await carry_out(answer_choice(latest_entities(tracker)), dispatcher, tracker, domain)


class ActionAnswerFieldFollowUp(Action):
    """ "And medical administrators?", "the other one": the topic in context, for that field."""

    def name(self) -> str:
        return "action_answer_field_follow_up"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        about_a_course = bool(aspects_asked(latest_text(tracker)))
        # "and Medical Office Administration?" after a list names a course
        answer = shown_course_answer(tracker) or answer_field_follow_up(
            latest_entities(tracker), context_of(tracker), about_a_course, latest_text(tracker)
        )
        return await carry_out(answer, dispatcher, tracker, domain)


class ActionTellMeMore(Action):
    """ "Tell me more": the next topic about the same field, or the course in view."""

    def name(self) -> str:
        return "action_tell_me_more"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        # "more on Practice Manager Essentials" after a list
        answer = shown_course_answer(tracker) or answer_tell_me_more(context_of(tracker), latest_text(tracker))
        return await carry_out(answer, dispatcher, tracker, domain)


class ActionAnswerInContext(Action):
    """A message NLU was unsure about: answered from the field or topic it names; else, when its two
    best readings are close, "Did you mean ...?" with a button for each; else "please rephrase"."""

    def __init__(self) -> None:
        self.titles = load_titles()

    def name(self) -> str:
        return "action_answer_in_context"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        entities, text = latest_entities(tracker), latest_text(tracker)
        shown = shown_course_answer(tracker)
        if shown:
            answers = [shown]
        else:
            answers = answers_for_unclear(entities, context_of(tracker), text, about_a_course=bool(aspects_asked(text)))
        if answers:
            return await carry_out_each(answers, dispatcher, tracker, domain)
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        choices = did_you_mean(ranking, entities, self.titles)
        if choices:
            buttons = [{"title": choice.title, "payload": choice.payload} for choice in choices]
            dispatcher.utter_message(response="utter_ask_affirmation", buttons=buttons)
        else:
            dispatcher.utter_message(response="utter_fallback")
        return []
