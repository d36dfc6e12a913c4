"""Turns what a visitor said into a catalogue query.

NLU gives entities (field, topic, location); the rest of a course request
lives in ordinary words that are not worth an entity each: a month ("in
March", "next month"), a delivery mode ("online", "in-house"), an order
("cheapest", "soonest") or a budget ("under £3,000"). Anything left over is
passed on as free text so the catalogue can still match it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.catalogue import FIELDS, Catalogue, CourseQuery, normalise_place

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
# "may" and "mar" are ordinary words too; they count only after "in"/"during"/... or before a year.
_AMBIGUOUS_MONTHS = {"may", "mar"}
_MONTH = re.compile(
    r"\b(?:(?P<lead>in|during|for|this|next|from|starting|start|early|late|mid)\s+)?"
    r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?(?:\s+(?P<year>20\d\d))?",
    re.IGNORECASE,
)
_NEXT_MONTH = re.compile(r"\bnext month\b", re.IGNORECASE)
_THIS_MONTH = re.compile(r"\bthis month\b", re.IGNORECASE)

_DELIVERY_WORDS = {
    "online": ("online", "on-line", "virtual", "virtually", "remote", "remotely", "from home", "e-learning",
               "elearning", "zoom", "live online", "distance"),
    "in-house": ("in-house", "in house", "inhouse", "on-site", "onsite", "on site", "at our hospital",
                 "at our clinic", "for our team", "for our staff", "corporate", "tailored"),
    "classroom": ("classroom", "face to face", "face-to-face", "in person", "in-person"),
}  # fmt: skip
_CHEAPEST = re.compile(
    r"\b(cheapest|cheaper|cheap|lowest (?:price|fee|cost)|least expensive|most affordable|affordable|"
    r"low(?:est)? cost|inexpensive)\b",
    re.IGNORECASE,
)
_SOONEST = re.compile(r"\b(soonest|earliest|next available|starting soon|as soon as possible|asap)\b", re.IGNORECASE)
# A number followed by one of these is a count or a time, not a budget ("up to 20 staff", "within 3 months").
_NOT_MONEY = (
    r"people|persons?|staff|employees|colleagues|participants|learners|delegates|members|nurses|"
    r"days?|weeks?|months?|years?|hours?|hrs|minutes|mins?|miles|km|places|seats|courses?"
)
_MAX_FEE = re.compile(
    r"\b(?:under|below|less than|up to|no more than|max(?:imum)?|within)\s*(?:£|gbp\s*)?"
    r"(?P<amount>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\d,.]?\d)\s*(?P<k>k\b)?"
    rf"(?!\s*(?:{_NOT_MONEY})\b)\s*(?:pounds|gbp|£)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CourseRequest:
    """A query, plus whether the visitor gave anything to search by."""

    query: CourseQuery
    specific: bool


def _month(text: str, today: date) -> tuple[int | None, int | None]:
    if _NEXT_MONTH.search(text):
        month = today.month % 12 + 1
        return month, today.year + (1 if month == 1 else 0)
    if _THIS_MONTH.search(text):
        return today.month, today.year
    for match in _MONTH.finditer(text):
        word = match["month"].lower()
        if word in _AMBIGUOUS_MONTHS and not (match["lead"] or match["year"]):
            continue
        return MONTHS[word], int(match["year"]) if match["year"] else None
    return None, None


def delivery_in_text(text: str) -> str | None:
    """The delivery mode a message names ("from home" -> online, "at our clinic" -> in-house), if any."""
    lowered = f" {text.lower()} "
    for mode, words in _DELIVERY_WORDS.items():
        if any(re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", lowered) for word in words):
            return mode
    return None


def _max_fee(text: str) -> int | None:
    match = _MAX_FEE.search(text)
    if not match:
        return None
    amount = float(match["amount"].replace(",", ""))
    if match["k"]:
        amount *= 1000
    return int(amount) if amount >= 1 else None


def _entity_values(entities: Iterable[dict], kind: str) -> list[str]:
    values = []
    for entity in entities:
        value = entity.get("value")
        if entity.get("entity") == kind and isinstance(value, str) and value.strip() and value not in values:
            values.append(value.strip())
    return values


def _place_in_text(text: str, catalogue: Catalogue) -> str | None:
    """A city or country of the catalogue named in free text ("anything in Spain?")."""
    words = normalise_place(text).split()
    places = {normalise_place(loc.city) for loc in catalogue.locations()} | {
        normalise_place(loc.country) for loc in catalogue.locations()
    }
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            candidate = normalise_place(" ".join(words[start : start + size]))
            if candidate in places or candidate == "europe":
                return candidate
    return None


def interpret(
    text: str,
    entities: Iterable[dict],
    catalogue: Catalogue,
    today: date,
    remembered: dict[str, str | None] | None = None,
) -> CourseRequest:
    """Build the query for one message.

    ``remembered`` holds what the conversation already established (field,
    topic, location, delivery). It is used only when this message names
    nothing to search by ("recommend me a course" after asking about
    leadership): a message that says something new is taken on its own, so
    a remembered field never hides courses of the topic just asked for.
    """
    entities = list(entities)
    text = (text or "").strip()
    remembered = {k: v for k, v in (remembered or {}).items() if v}
    fields = [f for f in _entity_values(entities, "field") if f in FIELDS]
    topics = _entity_values(entities, "topic")
    locations = _entity_values(entities, "location")
    # Through the same word table, so an entity like "in house" cannot make an invalid query.
    named = [delivery_in_text(value) for value in _entity_values(entities, "delivery")]
    delivery = delivery_in_text(text) or next(filter(None, named), None)
    month, year = _month(text, today)
    location = locations[0] if locations else _place_in_text(text, catalogue)
    if location and normalise_place(location) == "online":
        location, delivery = None, "online"
    sort = "price" if _CHEAPEST.search(text) else "date" if _SOONEST.search(text) else "relevance"
    max_fee = _max_fee(text)

    said_something = bool(fields or topics or location or delivery or month or max_fee or sort != "relevance")
    free_text = None if text.startswith("/") else text  # button payloads carry no free words
    query = CourseQuery(
        text=free_text[:500] if free_text else None,
        field=fields[0] if len(fields) == 1 else (remembered.get("field") if not said_something else None),
        topics=tuple(topics) or ((remembered["topic"],) if "topic" in remembered and not said_something else ()),
        location=location or (remembered.get("location") if not said_something else None),
        delivery=delivery or (remembered.get("delivery") if not said_something else None),
        month=month,
        year=year,
        max_fee=max_fee,
        sort=sort,
    )
    understood_text = bool(query.text and _has_topic_words(query, catalogue, today))
    specific = said_something or understood_text or bool(remembered)
    return CourseRequest(query=query, specific=specific)


def _has_topic_words(query: CourseQuery, catalogue: Catalogue, today: date) -> bool:
    """Whether the free text alone narrows the catalogue (it names a topic or title words)."""
    only_text = CourseQuery(text=query.text)
    found = catalogue.search(only_text, today)
    return 0 < len(found) < len(catalogue)
