"""Two readings of a course question that words, not the statistical model, decide.

- A place, or one of the academy's own subjects, and no other subject is a
  course search. "Other subjects" (the academy teaches only healthcare
  management and medical administration) is about subjects: "any courses in
  dentistry?" is one, "any courses in Tokyo?" is a search that should say
  honestly that nothing runs there, and "any courses on medical billing?" a
  search that finds one. The model sees "courses in <word>" alike in all
  three, so when it answers ``faq_other_topics`` for a message that names a
  place (the catalogue's, or one it does not list) or a field, topic or
  qualification of the catalogue's (the entity extractor's), and no other
  subject, the intent becomes ``recommend_course``.
- A question about "it" is about the course in focus. "Where is it held?",
  "how much is that one?", "can I do it online?" right after a course's
  details ask about that course, not about the academy in general, so a
  general FAQ reading becomes ``ask_course_details`` (and a course-details
  reading is kept, with no close rival left to ask about), which answers from
  the courses last shown (or asks which course when none was). A search
  reading of such a question ("is this course available online?") becomes one
  too; a bare pointer ("courses like that one") does not. The other way
  round, a details reading that asks which courses exist on one of the
  catalogue's subjects ("are there courses about patient records?", "is there
  a course on leadership?") is a course search.
- A question that names one of the catalogue's course codes is about that
  course: "what does HM-101 involve?" reads like a question about a field's
  duties, and "tell me more about MA-204" like a request for more of the last
  answer, but both ask about HM-101 and MA-204.
- Training in one of the catalogue's topics, with no field named, is a course
  search: "leadership training?", "I'd like to train in medical billing",
  "anything on patient scheduling?" ask for those courses, where
  ``ask_training`` answers what the training of a whole field covers ("does
  the healthcare management training teach budgeting?" stays with it), and
  neither the reason to train nor booking a doctor's appointment is asked.
- A question about the academy's places that names a place the catalogue has
  never listed is a course search, answered honestly: nothing runs in Tokyo,
  and the nearest places. "Is London the only city you train in?" and "do
  you teach in Europe?" stay the general answer about where it trains.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.courses.catalogue import Catalogue
from bot.courses.loading import load_catalogue
from bot.courses.model import codes_in_text
from bot.courses.requests import named_place, names_other_subject
from bot.nlp.rule_intent import RuleIntentComponent

OTHER_TOPICS = "other_topics_intent"
COURSE_SEARCH = "course_search_intent"
COURSE_DETAILS = "course_details_intent"
ABOUT_A_FIELD = "field_question_intents"
LOCATIONS = "locations_intent"
# Readings that a course word and a catalogue topic turn into a course search.
TOPIC_SEARCH_FROM = "topic_search_from_intents"
# Entities of the academy's own subjects (data/entities.yml): a course search names them.
CATALOGUE_TERMS = frozenset({"field", "topic", "qualification"})
DEFAULT_CATALOGUE = Path(__file__).resolve().parents[2] / "data" / "courses.yml"

_ONE_COURSE = (
    r"(?:it|that|this|that one|this one|that course|this course|the course"
    r"|the (?:first|second|third|last) (?:one|course))"
)
_DELIVERY = r"(?:online|remotely|remote|virtually|virtual|from home|in person|in-house|on site|part[- ]time)"
# "where is it held", "how much does this one cost", "when does that course start", "the second one",
# "can I do it online", "is that one in person". Not "is it worth it", "does it matter" or "whenever
# it suits me" (where, when, what time and what level need their verb: "when does it"): only
# questions of place, time, price, length, level and delivery.
_QUESTION_ABOUT_ONE_COURSE = re.compile(
    rf"\b(?:where|when|what time|what level)\s+(?:is|does|will|do|would)\s+{_ONE_COURSE}\b"
    rf"|\b(?:how much|how long)\s+(?:is|does|will|do|would)?\s*{_ONE_COURSE}\b"
    rf"|\b(?:can|could|may)\s+(?:i|we|you|my team)\s+(?:do|take|study|attend|follow|join|book)\s+{_ONE_COURSE}"
    rf"\s+{_DELIVERY}"
    rf"|\b(?:is|are)\s+{_ONE_COURSE}\s+(?:also\s+|available\s+|offered\s+|run\s+)?{_DELIVERY}",
    re.IGNORECASE,
)
# "the second one", "that course": a pointer at one course, though not a question by itself.
_POINTS_AT_ONE_COURSE = re.compile(
    r"\b(?:the\s+)?(?:first|second|third|last|latter|former)\s+(?:one|course)\b|\b(?:that|this)\s+(?:one|course)\b",
    re.IGNORECASE,
)


def names_a_catalogue_subject(entities: Iterable[dict]) -> bool:
    """The extractors found a field, topic or qualification the catalogue teaches."""
    return any(entity.get("entity") in CATALOGUE_TERMS for entity in entities)


def reads_as_course_search(text: str, catalogue: Catalogue, entities: Iterable[dict] = ()) -> bool:
    """A place, or a subject the academy teaches, and no subject it does not teach."""
    teaches = names_a_catalogue_subject(entities)
    return (teaches or named_place(text, catalogue) is not None) and not names_other_subject(text, catalogue)


# "courses", "a class", "train in", "training", "something on", "anything about".
_COURSE_WORDS = re.compile(
    r"\b(?:courses?|class(?:es)?|train(?:ing)?|programmes?|programs?|workshops?)\b"
    r"|\b(?:something|anything)\s+(?:on|about|in|covering|for)\b",
    re.IGNORECASE,
)


# "are there courses about ...", "is there a course on ...", "any billing classes?": asking what exists.
_ASKS_WHAT_EXISTS = re.compile(
    r"\b(?:are there|is there|do you (?:have|offer|run|teach)|have you got|got|any|what|which)\b[^.?!]*?"
    r"\b(?:courses|programmes|programs|classes|(?:a|an|any)\s+(?:[\w-]+\s+){0,3}?(?:course|programme|class))\b",
    re.IGNORECASE,
)


def asks_what_courses_exist(text: str, entities: Iterable[dict], catalogue: Catalogue) -> bool:
    """Courses on one of the catalogue's subjects asked for, not one course pointed at or named."""
    return (
        names_a_catalogue_subject(entities)
        and bool(_ASKS_WHAT_EXISTS.search(text))
        and not asks_about_one_course(text)
        and not names_course_code(text, catalogue)
    )


def asks_for_topic_courses(text: str, entities: Iterable[dict]) -> bool:
    """Course words and one of the catalogue's topics, with no field named."""
    named = {entity.get("entity") for entity in entities}
    return "topic" in named and "field" not in named and bool(_COURSE_WORDS.search(text))


def names_unlisted_place(text: str, catalogue: Catalogue) -> bool:
    """A place the catalogue has never listed a session in ("Tokyo", "Japan")."""
    place = named_place(text, catalogue)
    return place is not None and not catalogue.knows_place(place)


def names_course_code(text: str, catalogue: Catalogue) -> bool:
    """The text names a course code the catalogue has ("HM-101", "ma 204")."""
    return any(catalogue.find_course(key) for key in codes_in_text(text))


def asks_about_one_course(text: str) -> bool:
    return asks_a_question_about_one_course(text) or bool(_POINTS_AT_ONE_COURSE.search(text))


def asks_a_question_about_one_course(text: str) -> bool:
    """Where, when, how much, how long or in what form one course runs ("is this course available online?")."""
    return bool(_QUESTION_ABOUT_ONE_COURSE.search(text.replace("\u2019", "'")))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CourseIntentRules(RuleIntentComponent):
    """Moves a general reading to a course one when the words say so (see the module's docstring)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "catalogue": str(DEFAULT_CATALOGUE),
            OTHER_TOPICS: "faq_other_topics",
            COURSE_SEARCH: "recommend_course",
            COURSE_DETAILS: "ask_course_details",
            # Readings that answer about a field, or more of the last answer: a course code moves them.
            ABOUT_A_FIELD: [
                "ask_overview",
                "ask_responsibilities",
                "ask_qualifications",
                "ask_skills",
                "ask_careers",
                "ask_workplaces",
                "ask_patient_interaction",
                "ask_training",
                "tell_me_more",
            ],
            LOCATIONS: "faq_academy_locations",
            TOPIC_SEARCH_FROM: ["recommend_course", "ask_training", "faq_why_training", "out_of_scope_appointment"],
        }

    def __init__(self, config: dict[str, Any], catalogue: Catalogue) -> None:
        self.config = {**self.get_default_config(), **config}
        self.catalogue = catalogue

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> CourseIntentRules:
        return cls(config, load_catalogue(config["catalogue"]))

    def reading(self, text: str, intent: str | None, entities: list[dict]) -> str | None:
        if not intent:
            return None
        if intent == self.config[OTHER_TOPICS] and reads_as_course_search(text, self.catalogue, entities):
            return self.config[COURSE_SEARCH]
        course_details = self.config[COURSE_DETAILS]
        if (intent.startswith("faq_") or intent == course_details) and asks_about_one_course(text):
            return course_details
        # A search reading of a question about one course: "is this course available online?".
        if intent == self.config[COURSE_SEARCH] and asks_a_question_about_one_course(text):
            return course_details
        # A details reading of a search: "are there courses about patient records?".
        if intent == course_details and asks_what_courses_exist(text, entities, self.catalogue):
            return self.config[COURSE_SEARCH]
        about_a_field = intent.startswith("faq_") or intent in self.config[ABOUT_A_FIELD]
        if (about_a_field or intent == course_details) and names_course_code(text, self.catalogue):
            return course_details
        if intent in self.config[TOPIC_SEARCH_FROM] and asks_for_topic_courses(text, entities):
            return self.config[COURSE_SEARCH]
        if intent == self.config[LOCATIONS] and names_unlisted_place(text, self.catalogue):
            return self.config[COURSE_SEARCH]
        return None
