"""Which course a visitor means when they ask about "MA-204", "the billing
course" or "that one", given what the conversation has shown them."""

from __future__ import annotations

from collections.abc import Sequence

from bot.courses.model import Course, CourseQuery, code_key, codes_in_text
from bot.courses.store import CatalogueStore
from bot.courses.vocabulary import normalise_words


def is_payload(reference: str) -> bool:
    """A button payload ("/ask_course_details") is not the visitor's words, so it names no course."""
    return reference.startswith("/")


def shown_course_named(store: CatalogueStore, text: str, shown: Sequence[str]) -> Course | None:
    """A course of the last list that the text names by code or by its whole title
    ("tell me more about Medical Office Administration" after a list that showed it)."""
    if not text or is_payload(text):
        return None
    words, typed_codes = set(normalise_words(text)), set(codes_in_text(text))
    for code in shown:
        course = store.find_course(code)
        if course and (code_key(course.code) in typed_codes or set(normalise_words(course.title)) <= words):
            return course
    return None


def course_by_topic(store: CatalogueStore, text: str, shown: Sequence[str]) -> tuple[Course | None, bool]:
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


def resolve_course_reference(
    store: CatalogueStore, reference: str, shown: Sequence[str], last_course: str | None
) -> Course | None:
    """The course ``reference`` means: by code or title, else by topic, else the course in view.

    "The course in view" ("that one") is the last course discussed, or the only
    course shown. It is not used when the visitor named a topic: answering
    about a different course than the one they named would mislead.
    """
    free_text = bool(reference) and not is_payload(reference)
    course = store.find_course(reference) if free_text else None
    named_a_topic = False
    if course is None and free_text:
        course, named_a_topic = course_by_topic(store, reference, shown)
    if course is None and not named_a_topic:
        in_view = last_course or (shown[0] if len(shown) == 1 else None)
        course = store.find_course(in_view) if in_view else None
    return course
