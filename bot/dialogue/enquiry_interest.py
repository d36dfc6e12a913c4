"""What a visitor's enquiry is about, read from their words and the conversation:
catalogue courses (by code, title or topic) and the field they belong to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.catalogue import CatalogueStore, Course
from bot.course_references import course_by_topic
from bot.dialogue.contact_details import normalise, without_contact_details
from bot.dialogue.enquiry_form import Interest
from bot.knowledge import FIELDS, fields_named

IN_HOUSE_INTEREST = "in-house training"
# Short forms visitors type for the two fields, beside the entity ruler's terms.
_FIELD_WORDS = {
    "healthcare management": "healthcare management",
    "health care management": "healthcare management",
    "healthcare manager": "healthcare management",
    "hospital management": "healthcare management",
    "medical administration": "medical administration",
    "medical admin": "medical administration",
    "medical administrator": "medical administration",
    "medical office": "medical administration",
}


def field_of(courses: Sequence[Course]) -> str | None:
    fields = {course.field for course in courses}
    return fields.pop() if len(fields) == 1 else None


def fields_in_text(text: str) -> list[str]:
    lowered = normalise(text).lower()
    found = []
    for words, field in _FIELD_WORDS.items():
        if words in lowered and field not in found:
            found.append(field)
    return found


def courses_named(store: CatalogueStore, text: str, shown: Sequence[str] = ()) -> list[Course]:
    """The courses a message names: by code or title ("MA-208", "Medical Billing and Coding"), else by topic."""
    words = without_contact_details(text)
    if not words:
        return []
    by_code_or_title = store.find_course(words) if len(words.split()) <= 8 else None
    if by_code_or_title is None:
        by_code_or_title = next((store.find_course(code) for code in _codes_in(words)), None)
    if by_code_or_title is not None:
        return [by_code_or_title]
    by_topic, _ = course_by_topic(store, words, shown)
    return [by_topic] if by_topic is not None else []


def _codes_in(text: str) -> Iterable[str]:
    for token in text.replace(",", " ").split():
        if any(c.isdigit() for c in token) and any(c.isalpha() for c in token):
            yield token.strip(".!?()")


def read_interest(
    store: CatalogueStore, text: str, entities: Iterable[dict] = (), shown: Sequence[str] = ()
) -> Interest:
    """Courses and field a message names; ``Interest()`` when it names neither."""
    courses = courses_named(store, text, shown)
    fields = [f for f in fields_named(entities) if f in FIELDS] or fields_in_text(text)
    field = field_of(courses) or (fields[0] if len(fields) == 1 else None)
    return Interest(course_codes=tuple(course.code for course in courses), field=field)


def interest_from_context(
    store: CatalogueStore, course_codes: Sequence[str], field: str | None, delivery: str | None
) -> Interest:
    """What the conversation so far says the enquiry is about: courses chosen, else the field, else in-house."""
    courses = [course for course in (store.find_course(code) for code in course_codes) if course is not None]
    if courses:
        return Interest(tuple(course.code for course in courses), field_of(courses) or field)
    if field in FIELDS:
        return Interest(field=field)
    if delivery == "in-house":
        return Interest(words=IN_HOUSE_INTEREST)
    return Interest()
