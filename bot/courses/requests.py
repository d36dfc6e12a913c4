"""Turns what a visitor said into a catalogue query.

NLU gives entities (field, topic, location); the rest of a course request
lives in ordinary words that are not worth an entity each: a month ("in
March", "next month"), a delivery mode ("online", "in-house"), an order
("cheapest", "soonest") or a budget ("under £3,000"). Anything left over is
passed on as free text so the catalogue can still match it.

A place the catalogue has never heard of ("courses in Tokyo") is still the
place the visitor asked for: it becomes the location filter, so the search
honestly finds nothing there instead of quietly searching everywhere (or in
the place of the previous search). Likewise a subject the academy does not
teach ("nursing courses") is reported, not searched for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.courses.catalogue import Catalogue
from bot.courses.model import CourseQuery
from bot.courses.vocabulary import FIELDS, normalise_place

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


# "in Tokyo", "near Abu Dhabi", "anywhere around kuala lumpur": the words after one of these may be a place.
_PLACE_LEAD = re.compile(r"\b(?:in|near|around)\s+(?=(?P<rest>.+))", re.IGNORECASE)
_TOKEN = re.compile(r"[\w'’-]+|[^\w\s]")
# What may follow a lower-case place name: the end of the request, or one of these.
_AFTER_A_PLACE = frozenset(MONTHS) | frozenset(
    """please pls thanks thank then too instead maybe perhaps or and in on at for from with during before after
    starting this next any anything anywhere soon later early late now area region city itself""".split()
)
_MAX_PLACE_WORDS = 3
# Words that follow "in" without being places ("in person", "in total", "in our clinic", "in the summer").
# Capitalised words are checked against the short list only ("in the Middle East").
_NOT_PLACE_WORDS = frozenset(
    """a an the my our your their his her its this that these those which what whatever some any every each
    other another one two it them us me you him there here general particular detail details total advance
    time charge touch mind case addition fact order short depth future past person house home team teams
    group groups office offices hospital hospitals clinic clinics practice practices surgery surgeries
    workplace work job role company organisation organization nhs private public sector english french german
    spanish italian portuguese dutch arabic language languages year years month months week weeks weekend
    weekends day days morning mornings evening evenings spring summer autumn fall winter term semester
    beginning end middle start january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec next last this coming soon please thanks then
    too also either as well instead only for with and or but so if to from on at by of about into during
    classroom class classes person online virtual remote format formats level levels depth full part
    healthcare health care medical management administration admin field fields area areas subject subjects
    topic topics course courses training programme programmes program programs med hm ma both big small large
    government agencies agency charities charity nonprofits non-profits context terms simple plain contact
    admissions instalments installments cash between general today tomorrow tonight christmas easter""".split()
)
# Subjects people ask for that the academy does not teach; a word ending like these is a subject too.
_OTHER_SUBJECTS = frozenset(
    """nursing nurse midwifery medicine dentistry dental pharmacy pharmacology physiotherapy physio radiology
    radiography sonography phlebotomy paramedic paramedics anatomy physiology psychology psychiatry counselling
    counseling nutrition dietetics optometry podiatry veterinary vet surgery surgical biology chemistry physics
    law legal engineering marketing sales computing programming cybersecurity teaching education
    childcare caregiving carer massage cosmetology beauty aesthetics acupuncture homeopathy yoga fitness
    first-aid cpr accountancy bookkeeping software translation interpreting hairdressing cooking culinary
    plumbing welding carpentry electrician music dance fashion journalism architecture""".split()
)
_SUBJECT_ENDINGS = ("ology", "istry", "iatry", "otherapy", "ometry", "graphy", "ics", "ery", "keeping")
# Never places, whatever their case: "in March", "in English", "in I.T.".
_NEVER_PLACES = frozenset(MONTHS) | frozenset(
    "i it nhs gp cpd mba mha cmom chap hm ma med british academy academy's english french german spanish italian "
    "portuguese dutch arabic house person classroom".split()
)
_COURSE_NOUNS = r"courses?|training|trainings|programmes?|programs?|classes|class|qualifications?|degrees?|diplomas?"
_SUBJECT_BEFORE = re.compile(rf"\b(?P<subject>[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*)?)\s+(?:{_COURSE_NOUNS})\b", re.I)
_SUBJECT_AFTER = re.compile(
    rf"\b(?:{_COURSE_NOUNS})\s+(?P<lead>in|on|about|covering)\s+(?P<subject>[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*)?)",
    re.I,
)
# "courses on offer", "on Mondays", "on campus": words after "on" or "about" that are no subject.
_NOT_SUBJECT_WORDS = frozenset(
    """offer offers sale demand site campus line request monday mondays tuesday tuesdays wednesday wednesdays
    thursday thursdays friday fridays saturday saturdays sunday sundays weekday weekdays list website page
    now today tomorrow time dates date schedule""".split()
)
# A follow-up that only changes a filter ("and in Paris?", "what about online?") keeps the subject.
_FOLLOW_UP = re.compile(r"^\W*(?:and|or|also|what about|how about|what if|same|those|these|them)\b", re.IGNORECASE)


@dataclass(frozen=True)
class CourseRequest:
    """A query, plus whether the visitor gave anything to search by.

    ``unknown_subject`` is a subject the visitor asked for that the catalogue
    does not teach ("nursing"); the query is then not worth running.
    """

    query: CourseQuery
    specific: bool
    unknown_subject: str | None = None


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


def _is_subject_word(word: str) -> bool:
    return word in _OTHER_SUBJECTS or (len(word) > 5 and word.endswith(_SUBJECT_ENDINGS))


def _could_be_place(word: str, capitalised: bool, catalogue: Catalogue) -> bool:
    lowered = word.lower()
    if not re.fullmatch(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", word) or (capitalised and not word[0].isupper()):
        return False  # "HM-101", "2027", or a lower-case word after a capitalised name
    if lowered in _NEVER_PLACES or lowered in _OTHER_SUBJECTS or delivery_in_text(lowered):
        return False
    if not capitalised and (lowered in _NOT_PLACE_WORDS or lowered in _AFTER_A_PLACE or _is_subject_word(lowered)):
        return False
    return not (catalogue.understands(lowered) or _CHEAPEST.search(lowered) or _SOONEST.search(lowered))


def asked_place(text: str, catalogue: Catalogue) -> str | None:
    """A place the visitor asked for that the catalogue does not list ("courses in Tokyo?", "in new york").

    The words after "in", "near" or "around", up to three. Capitalised words
    are a place name ("in Kuala Lumpur next year"). Lower-case words must be
    neither common words, months, formats, subjects nor words the catalogue
    knows, and must end the request: the message ends there, or punctuation
    or a word like "please", "next" or "in" follows ("in tokyo please", "in
    dubai in May"), so "in plain English" or "in med admin" are not places.
    Known places are found by ``_place_in_text`` first; this only catches the rest.
    """
    for lead in _PLACE_LEAD.finditer(text or ""):
        tokens = _TOKEN.findall(lead["rest"])
        if tokens and tokens[0].lower() == "the":
            tokens = tokens[1:]
        if not tokens:
            continue
        capitalised = tokens[0][0].isupper()
        place: list[str] = []
        for token in tokens[:_MAX_PLACE_WORDS]:
            if not _could_be_place(token, capitalised, catalogue):
                break
            place.append(token)
        if not place:
            continue
        following = tokens[len(place)] if len(place) < len(tokens) else ""
        if capitalised or not following[:1].isalnum() or following.lower() in _AFTER_A_PLACE:
            return " ".join(place)
    return None


def named_place(text: str, catalogue: Catalogue) -> str | None:
    """Any place the text asks about: one of the catalogue's, else one it does not list."""
    return _place_in_text(text, catalogue) or asked_place(text, catalogue)


def names_other_subject(text: str, catalogue: Catalogue) -> bool:
    """The text names a subject the academy does not teach, in a course request or anywhere in it."""
    words = [word.lower() for word in _TOKEN.findall(text or "")]
    return unknown_subject(text, catalogue) is not None or any(_is_subject_word(word) for word in words)


def unknown_subject(text: str, catalogue: Catalogue) -> str | None:
    """A subject the visitor asked courses about that the academy does not teach ("nursing courses")."""
    for pattern in (_SUBJECT_AFTER, _SUBJECT_BEFORE):
        for match in pattern.finditer(text or ""):
            typed = match["subject"].split()
            if catalogue.understands(match["subject"]):
                continue
            # "IT" is a subject; "it" is a pronoun.
            subject = [w.lower() for w in typed if _is_subject_word(w.lower()) or w == "IT"]
            if not subject and pattern is _SUBJECT_AFTER and match["lead"].lower() != "in":
                subject = _named_after_about(typed, catalogue)  # "courses on blockchain"
            if subject:
                return " ".join(subject)
    return None


def _named_after_about(words: list[str], catalogue: Catalogue) -> list[str]:
    """The words after "courses on/about/covering" when they can only be a subject the catalogue does not know.

    "on blockchain in London" names blockchain; "on offer", "on the weekend", "on zoom" name no subject.
    """
    subject: list[str] = []
    for word in (w.lower() for w in words):
        if (
            word in _NOT_PLACE_WORDS
            or word in _AFTER_A_PLACE
            or word in _NOT_SUBJECT_WORDS
            or word in _NEVER_PLACES
            or delivery_in_text(word)
            or catalogue.knows_place(word)
            or _CHEAPEST.search(word)
            or _SOONEST.search(word)
        ):
            break
        subject.append(word)
    return subject if subject and len(subject[0]) > 2 else []


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
    location = locations[0] if locations else _place_in_text(text, catalogue) or asked_place(text, catalogue)
    if location and normalise_place(location) == "online":
        location, delivery = None, "online"
    if location and delivery == "online" and not catalogue.knows_place(location):
        location = None  # "online from Tokyo": online courses can be followed from anywhere
    sort = "price" if _CHEAPEST.search(text) else "date" if _SOONEST.search(text) else "relevance"
    max_fee = _max_fee(text)

    said_something = bool(fields or topics or location or delivery or month or max_fee or sort != "relevance")
    free_text = None if text.startswith("/") else text  # button payloads carry no free words
    named_subject = bool(fields or topics) or bool(free_text and catalogue.understands(free_text))
    # A new search starts afresh: filters never leak into it. Only a follow-up that changes a
    # filter and names no subject ("and in Paris?", "what about online?") keeps the subject.
    keep_subject = not named_subject and (not said_something or bool(_FOLLOW_UP.search(text)))
    keep_filters = not (said_something or named_subject)
    query = CourseQuery(
        text=free_text[:500] if free_text else None,
        field=fields[0] if len(fields) == 1 else (remembered.get("field") if keep_subject else None),
        topics=tuple(topics) or ((remembered["topic"],) if "topic" in remembered and keep_subject else ()),
        location=location or (remembered.get("location") if keep_filters else None),
        delivery=delivery or (remembered.get("delivery") if keep_filters else None),
        month=month,
        year=year,
        max_fee=max_fee,
        sort=sort,
    )
    subject = None if named_subject else unknown_subject(free_text or "", catalogue)
    understood_text = bool(query.text and _has_topic_words(query, catalogue, today))
    specific = said_something or understood_text or bool(remembered) or subject is not None
    return CourseRequest(query=query, specific=specific, unknown_subject=subject)


def _has_topic_words(query: CourseQuery, catalogue: Catalogue, today: date) -> bool:
    """Whether the free text alone narrows the catalogue (it names a topic or title words)."""
    only_text = CourseQuery(text=query.text)
    found = catalogue.search(only_text, today)
    return 0 < len(found) < len(catalogue)


def slots_after_search(
    query: CourseQuery, slots: dict[str, str | None], in_form: bool = False
) -> dict[str, str | None]:
    """The context slots (field, topic, location, delivery) a search changes, with their new values.

    A search's filters replace the last search's: one it did not name is
    cleared, so nothing leaks into the next search. The field is conversation
    context, changed only when named. Inside a form (a course question in the
    middle of an enquiry) nothing is cleared, as the form may rely on it.
    """
    current = {
        "field": query.field,
        "topic": query.topics[0] if query.topics else None,
        "location": query.location,
        "delivery": query.delivery,
    }
    return {
        name: value
        for name, value in current.items()
        if value != slots.get(name) and (value is not None or (name != "field" and not in_form))
    }
