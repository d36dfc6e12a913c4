"""Questions about the courses just shown: "the second one", "how much is it?", "when and where?".

``course_in_list`` picks a course by its position in the last list (the
``courses_shown`` slot); ``aspects_asked`` reads which facts a question asks
for; ``fact_values`` gives the values that fill the ``utter_course_<aspect>``
responses in data/responses.yml. Every value comes from the catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.courses.model import Course
from bot.courses.references import resolve_course_reference
from bot.courses.replies import SAMPLE_NOTE, button, format_date, format_fee
from bot.courses.store import CatalogueStore

MAX_DATES = 4

_ORDINALS = (
    (re.compile(r"\b(?:first|1st|top)\b|\b(?:number|option|no\.?|#)\s*(?:one|1)\b"), 0),
    (re.compile(r"\b(?:second|2nd)\b|\b(?:number|option|no\.?|#)\s*(?:two|2)\b"), 1),
    (re.compile(r"\b(?:third|3rd)\b|\b(?:number|option|no\.?|#)\s*(?:three|3)\b"), 2),
    (re.compile(r"\b(?:last|final|bottom)\s+(?:one|course|option|programme|program)\b"), -1),
)
_OTHER_ONE = re.compile(r"\b(?:the )?other (?:one|course|option|programme)\b")


class NotShown(LookupError):
    """The visitor named a position the last list does not have ("the third one" of two)."""


def course_in_list(text: str, shown: Sequence[str], last_course: str | None = None) -> str | None:
    """The course code a positional reference ("the second one", "the last one") picks from ``shown``.

    "The other one" picks the second of two when the first is in view, and
    the other way round. None when the text names no position (or is a button
    payload). Raises ``NotShown`` when it names a position the list lacks.
    """
    lowered = (text or "").lower()
    if not shown or lowered.startswith("/"):
        return None
    if _OTHER_ONE.search(lowered) and len(shown) == 2 and last_course in shown:
        return shown[1] if last_course == shown[0] else shown[0]
    for pattern, index in _ORDINALS:
        if pattern.search(lowered):
            if index >= len(shown):
                raise NotShown(lowered)
            return shown[index]
    return None


_CODE = re.compile(r"\b([a-z]{2,4})[\s_-]?(\d{3})\b", re.IGNORECASE)


def code_in_text(text: str) -> str | None:
    """A course code typed in a message ("is hm103 online?" -> "HM-103"), which beats any "it" or position."""
    found = _CODE.search(text or "")
    return f"{found[1].upper()}-{found[2]}" if found else None


_POINTING = re.compile(r"\b(?:it|its|(?:this|that) (?:one|course|programme|program))\b|\b(?:this|that)\W*$")


def points_at_course_in_view(text: str) -> bool:
    """ "How much does it cost?", "is that one online?": about the course in view, naming no other."""
    lowered = (text or "").lower()
    return not lowered.startswith("/") and bool(_POINTING.search(lowered))


def course_in_view(shown: Sequence[str], last_course: str | None) -> str | None:
    """The course "it" or "that one" means: the last one discussed, else the only one shown."""
    if last_course:
        return last_course
    return shown[0] if len(shown) == 1 else None


# What a question about a course asks for; one question may ask several ("when and where?").
ASPECTS = (
    ("fee", re.compile(r"\b(?:how much|cost|costs|price|prices|priced|fee|fees|expensive|cheap|pay)\b")),
    ("dates", re.compile(r"\b(?:when|dates?|start|starts|starting|begin|begins|next session)\b")),
    ("place", re.compile(r"\b(?:where|venue|venues|location|locations|city|cities|held|which countr\w*)\b")),
    ("delivery", re.compile(r"\b(?:online|in person|in-person|classroom|face to face|remote|virtual|format)\b")),
    ("duration", re.compile(r"\b(?:how long|duration|how many days|lasts?|length)\b")),
    ("level", re.compile(r"\b(?:level|beginners?|advanced|introductory|intermediate|new to)\b")),
)
_WHOLE_COURSE = re.compile(r"\b(?:tell me|more|details?|info|information|overview|describe)\b")
_POSITION_LAST = re.compile(r"\blast (?:one|course|option|programme|program)\b")


def aspects_asked(text: str) -> tuple[str, ...]:
    """The course facts a question asks about, in a fixed order; empty for "tell me about it"."""
    lowered = (text or "").lower()
    if lowered.startswith("/") or _WHOLE_COURSE.search(lowered):
        return ()
    found = [name for name, pattern in ASPECTS if pattern.search(lowered)]
    # "the last one" is a position, not a duration.
    if "duration" in found and not re.search(r"how long|duration|how many days|length", lowered):
        if not re.search(r"\blasts?\b", _POSITION_LAST.sub("", lowered)):
            found.remove("duration")
    return tuple(found)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _place(city: str, online: bool) -> str:
    return "online" if online else f"in {city}"


def fact_values(course: Course, today: date, sample: bool = False) -> dict[str, str]:
    """The values the ``utter_course_*`` responses are filled with, all from the catalogue entry."""
    upcoming = course.upcoming_sessions(today)
    fees: list[str] = []
    for session in upcoming:
        fee = f"{format_fee(session.fee_gbp)} {_place(session.city, session.is_online)}"
        if fee not in fees:
            fees.append(fee)
    places: list[str] = []
    for session in upcoming:
        place = "online" if session.is_online else f"in {session.city} ({session.country})"
        if place not in places:
            places.append(place)
    if "in-house" in course.delivery:
        places.append("in-house at your organisation")
    dates = [f"{format_date(s.start)} {_place(s.city, s.is_online)}" for s in upcoming[:MAX_DATES]]
    more = len(upcoming) - MAX_DATES
    modes = {"classroom": "in a classroom", "online": "online", "in-house": "in-house at your organisation"}
    return {
        "course_name": f"{course.title} ({course.code})",
        "course_code": course.code,
        "fee_list": _and(fees) if fees else "",
        "date_list": "; ".join(dates) + (f" (and {more} more)" if more > 0 else "") if dates else "",
        "place_list": _and(places) if places else "",
        "delivery_list": _and([modes[m] for m in course.delivery]),
        "duration": course.duration,
        "level": course.level,
        "audience": course.audience,
        "sample_note": SAMPLE_NOTE if sample else "",
    }


# Spelled out, so that `python -m bot validate` sees each response is used.
FACT_RESPONSES = {
    "fee": "utter_course_fee",
    "dates": "utter_course_dates",
    "place": "utter_course_place",
    "delivery": "utter_course_delivery",
    "duration": "utter_course_duration",
    "level": "utter_course_level",
}


def fact_response(aspect: str, course: Course, today: date) -> str:
    """The response answering ``aspect`` for ``course``: the fact, or the honest "none listed"."""
    if aspect in ("fee", "dates", "place") and not course.upcoming_sessions(today):
        return "utter_course_in_house_only" if "in-house" in course.delivery else "utter_course_no_dates"
    return FACT_RESPONSES[aspect]


def which_course_buttons(courses: Sequence[Course]) -> list[dict]:
    """One "details" button per course just shown, for "which one do you mean?"."""
    return [button(f"{c.title} ({c.code})", "ask_course_details", course=c.code) for c in courses]


_VAGUE = re.compile(r"\b(?:it|its|that|this|these|those|one|ones|them|they)\b")


def refers_to_one_shown(text: str) -> bool:
    """Whether a message points at a course without naming it ("that one", "how much is it?")."""
    lowered = (text or "").lower()
    return not lowered.startswith("/") and bool(_VAGUE.search(lowered) or aspects_asked(lowered))


def asks_about_one(text: str) -> bool:
    """A question about one course that names none ("how much is it?", "tell me more"): ask which."""
    lowered = (text or "").lower()
    return not lowered.startswith("/") and bool(aspects_asked(lowered) or _WHOLE_COURSE.search(lowered))


@dataclass(frozen=True)
class CourseMeant:
    """Which course a question is about; when it cannot tell, the shown courses to choose from."""

    course: Course | None
    choices: tuple[Course, ...] = ()
    ask_which: bool = False  # a question about one course that names none ("how much is it?")


def course_meant(
    store: CatalogueStore, text: str, named: str | None, shown: Sequence[str], last_course: str | None
) -> CourseMeant:
    """The course ``text`` is about: a code (``named`` or typed), a position in the last list,
    "it" (the course in view), else a title or topic (``bot.courses.references``)."""
    named = named or code_in_text(text)
    reference = named or text
    try:
        picked = None if named else course_in_list(text, shown, last_course)
    except NotShown:
        picked = ""
    if picked is None and not named and points_at_course_in_view(text):
        picked = course_in_view(shown, last_course)
    course = store.find_course(picked) if picked else None
    if course is None and picked is None:
        course = resolve_course_reference(store, reference, shown, last_course)
    if course is not None:
        return CourseMeant(course)
    choices = tuple(c for c in map(store.find_course, shown) if c) if refers_to_one_shown(reference) else ()
    if len(choices) < 2:
        return CourseMeant(None)
    return CourseMeant(None, choices, ask_which=asks_about_one(reference))
