"""What a visitor's enquiry is about, read from their words and the conversation:
catalogue courses (by code, title or topic) and the field they belong to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.courses.model import Course
from bot.courses.references import course_by_topic
from bot.courses.store import CatalogueStore
from bot.dialogue.contact_details import find_name, normalise, without_contact_details
from bot.dialogue.enquiry_form import Interest
from bot.dialogue.knowledge import FIELDS, fields_named

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


def _folded(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in normalise(text).lower()).split())


def without_personal_details(text: str) -> str:
    """The message without its email addresses, phone numbers and introduced name: "I'm Bill O'Neill"
    must not name the billing course."""
    words = without_contact_details(text)
    name = find_name(text)
    return " ".join(words.replace(name, " ").split()) if name else words


def courses_named(store: CatalogueStore, text: str, shown: Sequence[str] = ()) -> list[Course]:
    """The courses a message names: by title or code ("Medical Billing and Coding", "MA-208"), else by topic.

    A field named on its own ("healthcare management") names no course.
    """
    words = without_personal_details(text)
    if not words:
        return []
    folded = f" {_folded(words)} "
    by_title = [course for course in store.catalogue.courses if f" {_folded(course.title)} " in folded]
    if by_title:
        return by_title
    by_code = [course for course in (store.find_course(code) for code in _codes_in(words)) if course is not None]
    if by_code:
        return by_code
    if fields_in_text(words) and not _topic_words_beyond_field(words):
        return []
    if len(words.split()) <= 6:
        close_title = store.find_course(words)
        if close_title is not None:
            return [close_title]
    by_topic, _ = course_by_topic(store, words, shown)
    return [by_topic] if by_topic is not None else []


def _topic_words_beyond_field(text: str) -> bool:
    """Whether the text says more than a field ("healthcare management leadership course")."""
    rest = f" {_folded(text)} "
    for words in _FIELD_WORDS:
        rest = rest.replace(f" {words} ", " ").replace(f" {words}s ", " ")
    filler = {
        "i",
        "m",
        "im",
        "am",
        "interested",
        "in",
        "the",
        "a",
        "an",
        "course",
        "courses",
        "about",
        "enquire",
        "like",
        "to",
        "d",
        "would",
        "and",
        "of",
        "for",
        "please",
        "training",
        "field",
        "something",
        "area",
    }
    return any(word not in filler for word in rest.split())


def _codes_in(text: str) -> Iterable[str]:
    for token in text.replace(",", " ").split():
        if any(c.isdigit() for c in token) and any(c.isalpha() for c in token):
            yield token.strip(".!?()")


def _courses_in_entities(store: CatalogueStore, entities: Sequence[dict]) -> list[Course]:
    """Courses a button payload names (``/enquire{"course":"MA-201"}``)."""
    found = (store.find_course(str(e.get("value") or "")) for e in entities if e.get("entity") == "course")
    return [course for course in found if course is not None]


def read_interest(
    store: CatalogueStore, text: str, entities: Iterable[dict] = (), shown: Sequence[str] = ()
) -> Interest:
    """Courses and field a message names; ``Interest()`` when it names neither."""
    entities = list(entities)
    courses = _courses_in_entities(store, entities) or courses_named(store, text, shown)
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
