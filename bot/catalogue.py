"""The course catalogue: load ``data/courses.yml``, validate it, search it.

Why it looks like this:

- Admissions staff edit the catalogue by hand, so a bad edit must fail with a
  message that names the file, the course (code, or position when the code is
  missing), the field and the line, never with a traceback from deep inside
  the bot. All problems in a file are reported at once.
- A search runs on every course question, so visitors' words are matched with
  a small deterministic normaliser, a synonym table and indexes built once at
  load, not with spaCy (which the NLU pipeline already ran upstream).
- "Today" is always passed in (``search(query, today)``) or comes from the
  store's injected clock, so date behaviour is testable.

Rules a catalogue file must follow (also summarised at the top of courses.yml):

- ``sessions`` may be empty only when ``delivery`` includes ``in-house``:
  in-house programmes run on dates agreed with each client. There is no
  self-paced / on-demand delivery; an online course lists its live online
  sessions, each with city and country ``Online``.
- A classroom session needs ``classroom`` in ``delivery``; an online session
  needs ``online``.
- Dates are ``YYYY-MM-DD``; fees are whole pounds above zero; codes look like
  ``HM-101`` and are unique; topics come from :data:`TOPICS`.
"""

from __future__ import annotations

import difflib
import heapq
import logging
import math
import os
import re
import threading
import time
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any, Literal, NamedTuple

import yaml
from pydantic import BaseModel, Field, PrivateAttr, ValidationError, conint, constr, root_validator, validator

logger = logging.getLogger(__name__)

FIELDS = ("healthcare management", "medical administration")
DELIVERY_MODES = ("classroom", "online", "in-house")
LEVELS = ("introductory", "intermediate", "advanced")
SORT_ORDERS = ("relevance", "price", "date")
ONLINE = "Online"

# Canonical topic names: the same values as the ``topic`` lookup table in
# data/entities.yml, so an NLU entity can be passed straight to CourseQuery.
TOPICS = (
    "policy development",
    "financial planning",
    "leadership",
    "strategic planning",
    "regulatory compliance",
    "workforce management",
    "quality and patient safety",
    "medical billing and coding",
    "patient records",
    "office administration",
    "scheduling and patient flow",
    "health information management",
    "patient communication",
)

# Words visitors use for each topic. A phrase may point at several topics
# ("records" is both patient records and health information management).
TOPIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "policy development": ("policy", "policies", "policy making", "policymaking", "health policy", "procedures"),
    "financial planning": (
        "finance", "finances", "financial", "financial management", "budget", "budgets", "budgeting",
        "money", "costs", "cost control", "funding", "accounting",
    ),
    "leadership": ("leader", "leaders", "leading", "lead", "leading teams", "team leadership", "executive"),
    "strategic planning": ("strategy", "strategic", "strategies", "long term planning", "business planning"),
    "regulatory compliance": (
        "compliance", "compliant", "governance", "regulation", "regulations", "regulatory", "regulator",
        "inspection", "accreditation", "cqc",
    ),
    "workforce management": (
        "hr", "human resources", "staffing", "staff", "people", "people management", "workforce",
        "recruitment", "retention", "personnel",
    ),
    "quality and patient safety": (
        "quality", "safety", "patient safety", "quality improvement", "risk management", "clinical risk", "incidents",
    ),
    "medical billing and coding": (
        "billing", "coding", "coding and billing", "billing and coding", "medical billing", "medical coding",
        "clinical coding", "coder", "claims", "invoicing", "reimbursement", "icd",
    ),
    "patient records": ("records", "record", "medical records", "record keeping", "ehr", "emr", "patient files"),
    "office administration": (
        "office", "reception", "receptionist", "front desk", "front office", "secretary", "medical secretary",
        "clerical",
    ),
    "scheduling and patient flow": (
        "scheduling", "schedule", "appointments", "booking", "patient flow", "waiting lists", "bed management",
    ),
    "health information management": (
        "records", "record", "ehr", "emr", "electronic health records", "health information", "informatics",
        "health data", "data",
    ),
    "patient communication": (
        "communication", "customer service", "complaints", "patient experience", "patient relations",
    ),
}  # fmt: skip

# Other spellings of places visitors type; values are normalised place names.
PLACE_ALIASES: dict[str, str] = {
    "uk": "united kingdom",
    "u k": "united kingdom",
    "great britain": "united kingdom",
    "britain": "united kingdom",
    "gb": "united kingdom",
    "england": "united kingdom",
    "central london": "london",
    "londres": "london",
    "ireland": "ireland",
    "eire": "ireland",
    "lisboa": "lisbon",
    "wien": "vienna",
    "geneve": "geneva",
    "genf": "geneva",
    "roma": "rome",
    "milano": "milan",
    "praha": "prague",
    "bruxelles": "brussels",
    "brussel": "brussels",
    "barca": "barcelona",
    "espana": "spain",
    "holland": "netherlands",
    "the netherlands": "netherlands",
    "czechia": "czech republic",
    "deutschland": "germany",
    "osterreich": "austria",
    "schweiz": "switzerland",
    "suisse": "switzerland",
    "italia": "italy",
    "virtual": "online",
    "remote": "online",
    "live online": "online",
    "web": "online",
    "mainland europe": "europe",
    "continental europe": "europe",
}
# "europe" matches classroom sessions outside the UK ("in London and across Europe").
_HOME_COUNTRY = "united kingdom"

# Scoring weights: a topic hit outweighs any number of loose word hits.
_TOPIC_HIT = 10.0
_MAIN_TOPIC_BONUS = 5.0
# A course scoring under this share of the best match only shares a stray word
# with the visitor's text (a summary mentioning "patient"): noise, not an answer.
_RELATIVE_CUTOFF = 0.25
_WORD_WEIGHTS = {"title": 3.0, "keywords": 2.0, "topics": 2.0, "summary": 1.0}
_NO_DATE = 10**9
_NO_FEE = 10**9
_MAX_QUERY_TEXT = 500


# ---------------------------------------------------------------- normaliser

_WORD_RE = re.compile(r"[a-z0-9]+")
_IZ_RE = re.compile(r"iz(?=[aei])")
_STOPWORDS = frozenset(
    """a an the and or of for in on at to with about from by into as is are be was were am do does did
    can could would should will shall may might i im me my we our us you your they their it its this that these
    those there here what which who how when where want wants wanted need needs looking look like interested
    please thanks thank hi hello any some all course courses training trainings class classes programme
    programmes program programs session sessions available offer offers offered run runs running have has had
    get find show tell more info information something anything also just only very really next upcoming""".split()
)
# Word families the suffix rules cannot join (manager/management, UK/US spelling).
_IRREGULAR = {
    **dict.fromkeys(("manage", "manages", "managed", "managing", "manager", "managers", "management"), "manag"),
    **dict.fromkeys(
        ("admin", "admins", "administration", "administrations", "administrator", "administrators", "administrative"),
        "admin",
    ),
    **dict.fromkeys(("finance", "finances", "financial", "financing"), "financ"),
    **dict.fromkeys(("strategy", "strategies", "strategic"), "strateg"),
    **dict.fromkeys(("regulation", "regulations", "regulatory", "regulator", "regulators", "regulated"), "regul"),
    **dict.fromkeys(("communication", "communications", "communicate", "communicating"), "communic"),
    **dict.fromkeys(("leader", "leaders", "leading", "leads", "lead"), "lead"),
    **dict.fromkeys(("coder", "coders"), "cod"),
    **dict.fromkeys(("centre", "center", "centres", "centers"), "centr"),
    **dict.fromkeys(("practise", "practice", "practices", "practises"), "practic"),
    "people": "people",
    "data": "data",
}


def _fold(text: str) -> str:
    """Lower-case ASCII: 'Genève' and 'geneve' must compare equal."""
    text = unicodedata.normalize("NFKD", text.lower().replace("&", " and "))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@lru_cache(maxsize=8192)
def _lemma(word: str) -> str:
    """A deterministic stem: plurals, -ing and -ed, silent e, -ize/-ise."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.isdigit() or len(word) <= 3:
        return word
    word = _IZ_RE.sub("is", word)
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith("sses"):
        word = word[:-2]
    elif len(word) > 4 and word.endswith(("xes", "ches", "shes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    stripped = False
    if len(word) > 5 and word.endswith("ing"):
        word, stripped = word[:-3], True
    elif len(word) > 5 and word.endswith("ied"):
        word = word[:-3] + "y"
    elif len(word) > 5 and word.endswith("ed"):
        word, stripped = word[:-2], True
    if stripped and len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsfz":
        word = word[:-1]  # planning -> plann -> plan
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # code / coding -> cod
    return word


def normalise_words(text: str) -> tuple[str, ...]:
    """The searchable words of ``text``: folded, stop words dropped, stemmed.

    Applied to course text at load and to the visitor's words at query time,
    so both sides meet in the same form ("Budgets" and "budgeting" -> "budget").
    """
    raw = _WORD_RE.findall(_fold(text))
    words: list[str] = []
    i = 0
    while i < len(raw):
        word = raw[i]
        if word == "health" and i + 1 < len(raw) and raw[i + 1] == "care":
            word, i = "healthcare", i + 1
        i += 1
        if word not in _STOPWORDS:
            words.append(_lemma(word))
    return tuple(words)


def normalise_place(text: str) -> str:
    """A city or country as the location filter compares it."""
    place = " ".join(_WORD_RE.findall(_fold(text)))
    if place.startswith("the ") and place not in PLACE_ALIASES:
        place = place[4:]
    return PLACE_ALIASES.get(place, place)


def _build_phrase_table() -> dict[tuple[str, ...], frozenset[str]]:
    table: dict[tuple[str, ...], set[str]] = {}
    for topic in TOPICS:
        for phrase in (topic, *TOPIC_SYNONYMS.get(topic, ())):
            key = normalise_words(phrase)
            if key:
                table.setdefault(key, set()).add(topic)
    return {key: frozenset(topics) for key, topics in table.items()}


# Title and keyword words that say nothing about a subject ("new manager", "no-show", "first line").
_GENERIC_WORDS = frozenset(
    normalise_words(
        """new no show first long small keep list wait time term site making basic essential essentials fundamental
        fundamentals introduction overview advanced senior experienced change growth difficult conversation report
        writing filing control house 10"""
    )
)
_PHRASE_TOPICS = _build_phrase_table()
_LONGEST_PHRASE = max(len(key) for key in _PHRASE_TOPICS)
_SYNONYM_WORDS = frozenset(word for key in _PHRASE_TOPICS for word in key)


def topics_in_words(words: Sequence[str]) -> frozenset[str]:
    """Canonical topics named in already-normalised words, longest phrase first."""
    found: set[str] = set()
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST_PHRASE, len(words) - i), 0, -1):
            topics = _PHRASE_TOPICS.get(tuple(words[i : i + size]))
            if topics:
                found |= topics
                i += size
                break
        else:
            i += 1
    return frozenset(found)


def resolve_topic(name: str) -> frozenset[str]:
    """Canonical topics for a topic name or synonym ('budgets' -> financial planning); empty if unknown."""
    folded = " ".join(_WORD_RE.findall(_fold(name)))
    if folded in TOPICS:
        return frozenset((folded,))
    return _PHRASE_TOPICS.get(normalise_words(name), frozenset())


# ---------------------------------------------------------------- models

Text = constr(strict=True, strip_whitespace=True, min_length=1, max_length=300)
LongText = constr(strict=True, strip_whitespace=True, min_length=1, max_length=600)
Fee = conint(strict=True, gt=0, le=50_000)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CODE = re.compile(r"[A-Z]{2,4}-\d{3}")
_CODE_IN_TEXT = re.compile(r"\b([a-z]{2,4})[\s_-]*(\d{3})\b", re.IGNORECASE)
_DAYS = re.compile(r"(\d+)\s*days?\b", re.IGNORECASE)


def _code_key(code: str) -> str:
    """'ma204', 'MA 204' and 'MA-204' all find MA-204."""
    return re.sub(r"[^A-Z0-9]", "", code.upper())


class Session(BaseModel):
    """One scheduled public run of a course."""

    city: Text
    country: Text
    start: date
    fee_gbp: Fee

    class Config:
        extra = "forbid"
        frozen = True

    @validator("start", pre=True)
    def _iso_date(cls, value: Any) -> date:
        # YAML dates reach us as strings (see _CatalogueLoader); datetime is a date subclass.
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError as error:
                raise ValueError(f"invalid date {value!r}: {error}") from None
        raise ValueError(f"invalid date format, expected YYYY-MM-DD, got {value!r}")

    @validator("country")
    def _online_on_both(cls, country: str, values: dict[str, Any]) -> str:
        city = values.get("city")
        if city is not None and (city.lower() == "online") != (country.lower() == "online"):
            raise ValueError(f'online sessions use city "{ONLINE}" and country "{ONLINE}" together')
        return country

    @property
    def is_online(self) -> bool:
        return self.city.lower() == "online"


class Course(BaseModel):
    """One catalogue entry; sessions are kept sorted by start date."""

    code: str
    title: Text
    field: Literal["healthcare management", "medical administration"]
    topics: tuple[str, ...]
    keywords: tuple[Text, ...] = ()
    summary: LongText
    audience: LongText
    level: Literal["introductory", "intermediate", "advanced"]
    duration: Text
    duration_days: conint(strict=True, gt=0, le=60)
    delivery: tuple[Literal["classroom", "online", "in-house"], ...]
    sessions: tuple[Session, ...] = ()
    certificate: LongText

    class Config:
        extra = "forbid"
        frozen = True
        copy_on_model_validation = "none"

    @validator("code", pre=True)
    def _code_shape(cls, value: Any) -> str:
        if not isinstance(value, str) or not _CODE.fullmatch(value.strip()):
            raise ValueError(f"code must look like HM-101 (capital letters, hyphen, three digits), got {value!r}")
        return value.strip()

    @validator("topics", pre=True)
    def _known_topics(cls, value: Any) -> Any:
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise ValueError("topics must be a list, e.g. [leadership, strategic planning]")
        if not value:
            raise ValueError("list at least one topic")
        for topic in value:
            if topic not in TOPICS:
                raise ValueError(f"unknown topic {topic!r}; use one of: {', '.join(TOPICS)}")
        if len(set(value)) != len(value):
            raise ValueError("a topic is listed twice")
        return value

    @validator("duration_days")
    def _days_agree(cls, days: int, values: dict[str, Any]) -> int:
        found = _DAYS.search(values.get("duration") or "")
        if found and int(found.group(1)) != days:
            raise ValueError(f"is {days} but duration says {values['duration']!r}")
        return days

    @validator("delivery", pre=True)
    def _delivery_list(cls, value: Any) -> Any:
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise ValueError("delivery must be a list, e.g. [classroom, online]")
        if not value:
            raise ValueError("list at least one of: " + ", ".join(DELIVERY_MODES))
        if len(set(map(str, value))) != len(value):
            raise ValueError("a delivery mode is listed twice")
        return value

    @validator("sessions")
    def _sessions_fit_delivery(cls, sessions: tuple[Session, ...], values: dict[str, Any]) -> tuple[Session, ...]:
        delivery = values.get("delivery")
        if delivery is None:  # delivery itself failed; its error is reported
            return sessions
        if not sessions and "in-house" not in delivery:
            raise ValueError("no sessions: list at least one, or add in-house to delivery (dates agreed per client)")
        seen: set[tuple[str, date]] = set()
        for number, session in enumerate(sessions):
            mode = "online" if session.is_online else "classroom"
            if mode not in delivery:
                raise ValueError(
                    f"session {number} ({session.city}, {session.start}) is {mode} but delivery lacks {mode}"
                )
            key = (session.city.lower(), session.start)
            if key in seen:
                raise ValueError(f"session {number} ({session.city}, {session.start}) is listed twice")
            seen.add(key)
        return tuple(sorted(sessions, key=lambda s: (s.start, s.city)))

    def upcoming_sessions(self, today: date) -> tuple[Session, ...]:
        """Sessions a visitor can still book: those starting today or later."""
        return tuple(s for s in self.sessions if s.start >= today)


class CourseQuery(BaseModel):
    """What a visitor asked for. Every filter is optional.

    ``topics`` takes canonical names or synonyms; anything unrecognised is
    moved into ``text`` so it still counts as the visitor's words.
    ``month`` without ``year`` means its next occurrence (in November,
    "March" is next March; "November" is this November).
    """

    text: str | None = Field(None, max_length=_MAX_QUERY_TEXT)
    field: Literal["healthcare management", "medical administration"] | None = None
    topics: tuple[str, ...] = ()
    location: str | None = Field(None, max_length=100)
    delivery: Literal["classroom", "online", "in-house"] | None = None
    month: int | None = Field(None, ge=1, le=12)
    year: int | None = Field(None, ge=2000, le=2100)
    max_fee: int | None = Field(None, gt=0)
    sort: Literal["relevance", "price", "date"] = "relevance"
    limit: int | None = Field(None, gt=0)

    _words: tuple[str, ...] = PrivateAttr(default=())
    _text_topics: frozenset[str] = PrivateAttr(default=frozenset())

    class Config:
        extra = "forbid"
        allow_mutation = False

    @root_validator(pre=True)
    def _canonical_inputs(cls, values: dict[str, Any]) -> dict[str, Any]:
        values = dict(values)
        for name in ("field", "delivery", "sort"):
            if isinstance(values.get(name), str):
                values[name] = values[name].strip().lower() or None
        if isinstance(values.get("location"), str) and not values["location"].strip():
            values["location"] = None
        raw = values.get("topics") or ()
        if isinstance(raw, str):
            raw = (raw,)
        topics: list[str] = []
        unknown: list[str] = []
        for name in raw:
            resolved = resolve_topic(name) if isinstance(name, str) else frozenset()
            if resolved:
                topics.extend(t for t in TOPICS if t in resolved and t not in topics)
            elif isinstance(name, str) and name.strip():
                unknown.append(name.strip())
        values["topics"] = tuple(topics)
        if unknown:
            values["text"] = " ".join(filter(None, [values.get("text"), *unknown]))
        return values

    def __init__(self, **data: Any) -> None:
        super().__init__(**data)
        if self.text:
            words = normalise_words(self.text)
            self._words = tuple(dict.fromkeys(words))
            self._text_topics = topics_in_words(words)

    def relaxed(self, name: str) -> CourseQuery:
        """This query without one filter: month, location, delivery, max_fee or topic."""
        drop = {
            "month": {"month": None, "year": None},
            "location": {"location": None},
            "delivery": {"delivery": None},
            "max_fee": {"max_fee": None},
            "topic": {"topics": (), "text": None},
        }[name]
        return CourseQuery(**{**self.dict(), **drop})

    def has(self, name: str) -> bool:
        """Whether the filter ``relaxed(name)`` would drop is set."""
        if name == "month":
            return self.month is not None or self.year is not None
        if name == "topic":
            return bool(self.topics or self.text)
        return getattr(self, name) is not None


class Location(NamedTuple):
    city: str
    country: str


class Match(NamedTuple):
    """A course that fits a query, with the future sessions that fit it too.

    ``sessions`` is empty and ``next_session`` is None when nothing is
    scheduled (or for an in-house request, where dates are agreed per client).
    A NamedTuple because a broad search builds hundreds of them.
    """

    course: Course
    score: float
    sessions: tuple[Session, ...]
    next_session: Session | None
    matched_topics: tuple[str, ...]

    def __repr__(self) -> str:  # the full Course is too long for logs
        when = self.next_session.start.isoformat() if self.next_session else None
        return f"Match({self.course.code}, score={self.score}, next={when}, sessions={len(self.sessions)})"

    @property
    def cheapest_session(self) -> Session | None:
        return min(self.sessions, key=lambda s: (s.fee_gbp, s.start)) if self.sessions else None

    @property
    def lowest_fee(self) -> int | None:
        cheapest = self.cheapest_session
        return cheapest.fee_gbp if cheapest else None


@dataclass(frozen=True)
class Alternatives:
    """What the closest looser query found, and which filters were dropped to find it.

    ``around`` is the first day of the month asked for when the month was
    dropped: the matches are then ordered by how close their dates come to it.
    """

    relaxed: tuple[str, ...]
    query: CourseQuery
    matches: list[Match]
    around: date | None = None

    @property
    def found(self) -> bool:
        return bool(self.matches)


class Venues(NamedTuple):
    """Where the courses of a query run: classroom cities (UK first), online, in-house."""

    cities: tuple[str, ...]
    online: bool
    in_house: bool


@dataclass(frozen=True)
class NoMatch:
    """Why a query found nothing and what comes nearest.

    ``unknown_place`` is true when the place asked for has never had a session
    in the catalogue (Tokyo), as opposed to a catalogue place with nothing that
    fits the other filters (Lisbon in March). ``venues`` says where the same
    subject runs, without the place and delivery filters.
    """

    alternatives: Alternatives
    unknown_place: bool
    venues: Venues


# ---------------------------------------------------------------- index


@dataclass(frozen=True)
class _SessionEntry:
    """A session with everything a filter compares worked out in advance."""

    session: Session
    ordinal: int
    year: int
    year_month: tuple[int, int]
    places: frozenset[str]
    online: bool
    fee: int


class _Slot(NamedTuple):
    """Some of one course's sessions (all of them, or those at one place, in one
    month or of one mode), by date, so "from today on" is a bisect and a slice."""

    ordinals: tuple[int, ...]
    items: tuple[_SessionEntry, ...]
    sessions: tuple[Session, ...]
    cheapest_from: tuple[int, ...]  # cheapest_from[i]: lowest fee among sessions[i:]


def _slot(items: Sequence[_SessionEntry]) -> _Slot:
    lowest, minima = _NO_FEE, [_NO_FEE]
    for item in reversed(items):
        lowest = min(lowest, item.fee)
        minima.append(lowest)
    return _Slot(
        ordinals=tuple(i.ordinal for i in items),
        items=tuple(items),
        sessions=tuple(i.session for i in items),
        cheapest_from=tuple(reversed(minima)),
    )


@dataclass(frozen=True)
class _CourseEntry:
    course: Course
    slot: _Slot
    main_topic: str
    in_house: bool
    title_words: frozenset[str]
    folded_title: str


def _session_entry(session: Session) -> _SessionEntry:
    city, country = normalise_place(session.city), normalise_place(session.country)
    places = {city, country}
    if not session.is_online and country != _HOME_COUNTRY:
        places.add("europe")
    return _SessionEntry(
        session=session,
        ordinal=session.start.toordinal(),
        year=session.start.year,
        year_month=(session.start.year, session.start.month),
        places=frozenset(places),
        online=session.is_online,
        fee=session.fee_gbp,
    )


_SESSION_OF = attrgetter("session")


class _SearchIndex:
    """Everything a search needs, computed once per loaded catalogue."""

    def __init__(self, courses: Sequence[Course]) -> None:
        self.entries: list[_CourseEntry] = []
        self.by_code: dict[str, int] = {}
        self.by_field: dict[str, set[int]] = {f: set() for f in FIELDS}
        self.by_topic: dict[str, set[int]] = {t: set() for t in TOPICS}
        self.in_house: set[int] = set()
        # ("place", name) / ("ym", (y, m)) / ("mode", online?) -> course -> its sessions there
        self.session_index: dict[tuple[str, Any], dict[int, _Slot]] = {}
        grouped: dict[tuple[str, Any], dict[int, list[_SessionEntry]]] = {}
        word_fields: list[dict[str, float]] = []
        document_frequency: dict[str, int] = {}

        for position, course in enumerate(courses):
            sessions = tuple(_session_entry(s) for s in course.sessions)
            title_words = frozenset(normalise_words(course.title))
            entry = _CourseEntry(
                course=course,
                slot=_slot(sessions),
                main_topic=course.topics[0],
                in_house="in-house" in course.delivery,
                title_words=title_words,
                folded_title=" ".join(_WORD_RE.findall(_fold(course.title))),
            )
            self.entries.append(entry)
            self.by_code[_code_key(course.code)] = position
            self.by_field[course.field].add(position)
            for topic in course.topics:
                self.by_topic[topic].add(position)
            if entry.in_house:
                self.in_house.add(position)
            for item in sessions:
                keys = [("place", p) for p in item.places] + [("ym", item.year_month), ("mode", item.online)]
                for key in keys:
                    grouped.setdefault(key, {}).setdefault(position, []).append(item)

            weights: dict[str, float] = {}
            sources = {
                "title": title_words,
                "keywords": {w for k in course.keywords for w in normalise_words(k)},
                "topics": {w for t in course.topics for w in normalise_words(t)},
                "summary": set(normalise_words(course.summary)),
            }
            for source, words in sources.items():
                for word in words:
                    weights[word] = max(weights.get(word, 0.0), _WORD_WEIGHTS[source])
            word_fields.append(weights)
            for word in weights:
                document_frequency[word] = document_frequency.get(word, 0) + 1

        self.session_index = {
            key: {position: _slot(items) for position, items in by_course.items()} for key, by_course in grouped.items()
        }
        # Words that name what a course is about (not summary prose, not "new" or "first"): "do we teach this?"
        self.subject_words = (
            _SYNONYM_WORDS
            | frozenset(
                w for weights in word_fields for w, weight in weights.items() if weight >= _WORD_WEIGHTS["keywords"]
            )
        ) - _GENERIC_WORDS
        total = max(len(self.entries), 1)
        # Rare words say more about a course than words every title shares ("healthcare").
        self.postings: dict[str, dict[int, float]] = {}
        for position, weights in enumerate(word_fields):
            for word, weight in weights.items():
                idf = math.log(1.0 + total / document_frequency[word])
                self.postings.setdefault(word, {})[position] = weight * idf
        self.topic_hits: dict[str, dict[int, float]] = {
            topic: {
                p: _TOPIC_HIT + (_MAIN_TOPIC_BONUS if self.entries[p].main_topic == topic else 0.0)
                for p in sorted(positions)
            }
            for topic, positions in self.by_topic.items()
        }
        self.all_positions = frozenset(range(len(self.entries)))
        # Plain lists for the search loop: an index is cheaper than an attribute lookup per match.
        self.courses = [entry.course for entry in self.entries]
        self.slots = [entry.slot for entry in self.entries]


def _distance_in_days(sessions: Sequence[Session], day: date) -> int:
    """How close the nearest of ``sessions`` starts to ``day`` (no sessions: as far as can be)."""
    return min((abs(s.start.toordinal() - day.toordinal()) for s in sessions), default=_NO_DATE)


def _target_month(query: CourseQuery, today: date) -> tuple[int, int] | None:
    if query.month is None:
        return None
    if query.year is not None:
        return (query.year, query.month)
    return (today.year if query.month >= today.month else today.year + 1, query.month)


# ---------------------------------------------------------------- catalogue


class Catalogue(BaseModel):
    """A validated catalogue and the indexes that make searching it cheap.

    ``sample`` is true while the file is the illustrative sample (its first
    line is a ``# SAMPLE ...`` comment): replies then mark dates and fees as
    sample data, so no visitor mistakes them for real ones.
    """

    courses: tuple[Course, ...]
    sample: bool = False
    _index: _SearchIndex = PrivateAttr()

    class Config:
        extra = "forbid"
        frozen = True

    @validator("courses")
    def _unique_codes(cls, courses: tuple[Course, ...]) -> tuple[Course, ...]:
        if not courses:
            raise ValueError("the catalogue has no courses")
        seen: dict[str, int] = {}
        for number, course in enumerate(courses, start=1):
            key = _code_key(course.code)
            if key in seen:
                raise ValueError(f"course #{number} ({course.code}) repeats the code of course #{seen[key]}")
            seen[key] = number
        return courses

    def __init__(self, **data: Any) -> None:
        super().__init__(**data)
        self._index = _SearchIndex(self.courses)

    # -------------------------------------------------------------- search

    def search(self, query: CourseQuery, today: date) -> list[Match]:
        """Courses that fit ``query``, best first, with their bookable sessions.

        Course filters: field, topics (any of them), text (when it holds
        words the catalogue knows). Session filters: location, month/year,
        delivery, max_fee; only sessions starting on or after ``today``
        count. With no session filter, a course with nothing scheduled is
        still returned, with ``next_session=None``. ``delivery="in-house"``
        matches in-house courses whatever the place or date (they run at the
        client's site on agreed dates), so those matches carry no sessions.
        """
        index = self._index
        candidates: set[int] | frozenset[int] = index.all_positions
        if query.field is not None:
            candidates = index.by_field[query.field]
        if query.topics:
            wanted: set[int] = set()
            for topic in query.topics:
                wanted |= index.by_topic[topic]
            candidates = candidates & wanted

        words = [w for w in query._words if w in index.postings]
        topics = query._text_topics | frozenset(query.topics)
        # Each word and topic contributes {position: weight}; start from the largest (a C-level copy).
        parts = sorted([index.postings[w] for w in words] + [index.topic_hits[t] for t in topics], key=len)
        scores: dict[int, float] = dict(parts.pop()) if parts else {}
        for part in parts:
            for position, weight in part.items():
                scores[position] = scores.get(position, 0.0) + weight
        understood = bool(words or query._text_topics)
        if understood:  # the visitor's words narrow only when we understood some
            candidates = candidates & scores.keys()

        in_house = query.delivery == "in-house"
        if in_house:
            candidates = candidates & index.in_house
        target = _target_month(query, today)
        place = normalise_place(query.location) if query.location else None
        online: bool | None = None if query.delivery in (None, "in-house") else query.delivery == "online"
        max_fee, year = query.max_fee, (query.year if target is None else None)
        keys = [key for key in (("place", place), ("ym", target), ("mode", online)) if key[1] is not None]
        session_filtered = not in_house and bool(keys or max_fee is not None or year is not None)
        if understood and not session_filtered and candidates:  # nothing else can drop a course: cut noise now
            floor = max(scores[position] for position in candidates) * _RELATIVE_CUTOFF
            candidates = {position for position in candidates if scores[position] >= floor}

        # Start from the narrowest session index; only the other filters are checked per session.
        source: dict[int, _Slot] | None = None
        if session_filtered and keys:
            source_key = min(keys, key=lambda key: len(index.session_index.get(key, {})))
            source = index.session_index.get(source_key, {})
            candidates = candidates & source.keys()
            place = None if source_key[0] == "place" else place
            target = None if source_key[0] == "ym" else target
            online = None if source_key[0] == "mode" else online
        per_session = place is not None or target is not None or online is not None or year is not None

        today_ordinal = today.toordinal()
        courses, slots = index.courses, index.slots
        score_of = scores.get
        by_price, by_date = query.sort == "price", query.sort == "date"
        # One flat row per matching course, (k1, k2, k3, position, sessions, score),
        # ordered by plain tuple comparison; position is unique, so sessions are
        # never compared. Built inline because this loop runs once per match.
        rows: list[tuple[Any, ...]] = []
        for position in candidates:
            slot = source[position] if source is not None else slots[position]
            start = len(slot.ordinals) if in_house else bisect_left(slot.ordinals, today_ordinal)
            if not session_filtered:
                sessions = slot.sessions[start:]
                first = slot.ordinals[start] if sessions else _NO_DATE
                fee = slot.cheapest_from[start]
            elif start == len(slot.ordinals) or (max_fee is not None and slot.cheapest_from[start] > max_fee):
                continue
            elif per_session or max_fee is not None:
                picked = [
                    s
                    for s in slot.items[start:]
                    if (place is None or place in s.places)
                    and (target is None or s.year_month == target)
                    and (online is None or s.online == online)
                    and (max_fee is None or s.fee <= max_fee)
                    and (year is None or s.year == year)
                ]
                if not picked:
                    continue
                sessions, first = tuple(map(_SESSION_OF, picked)), picked[0].ordinal
                fee = min(s.fee for s in picked) if by_price else 0
            else:
                sessions, first, fee = slot.sessions[start:], slot.ordinals[start], slot.cheapest_from[start]
            score = score_of(position, 0.0)
            if by_price:
                rows.append((fee, first, -score, position, sessions, score))
            elif by_date:
                rows.append((first, -score, 0, position, sessions, score))
            else:
                rows.append((-score, first, 0, position, sessions, score))

        if understood and session_filtered and rows:
            floor = max(row[5] for row in rows) * _RELATIVE_CUTOFF
            rows = [row for row in rows if row[5] >= floor]
        if query.limit is not None and query.limit < len(rows):
            rows = heapq.nsmallest(query.limit, rows)
        else:
            rows.sort()
        matches = []
        new_match = tuple.__new__  # Match(...) minus a Python-level __new__ call per match
        for _, _, _, position, sessions, score in rows:
            course = courses[position]
            matched = tuple(filter(topics.__contains__, course.topics)) if topics else ()
            matches.append(new_match(Match, (course, score, sessions, sessions[0] if sessions else None, matched)))
        return matches

    def nearest_alternatives(self, query: CourseQuery, today: date, n: int = 3) -> Alternatives:
        """The closest looser query that finds something, for "nothing matched" replies.

        Filters are dropped in the order month, location, delivery, max_fee,
        topic: each on its own first, then cumulatively. ``relaxed`` names
        what was dropped (empty when the query itself finds courses).
        """
        exact = self.search(query, today)
        if exact:
            return Alternatives(relaxed=(), query=query, matches=exact[:n])
        order = [name for name in ("month", "location", "delivery", "max_fee", "topic") if query.has(name)]
        attempts = [(name,) for name in order] + [tuple(order[:k]) for k in range(2, len(order) + 1)]
        for dropped in attempts:
            looser = query
            for name in dropped:
                looser = looser.relaxed(name)
            if "max_fee" in dropped:
                looser = looser.copy(update={"sort": "price"})
            matches = self.search(looser, today)
            if matches:
                around = None
                if "month" in dropped:
                    year, month = _target_month(query, today) or (today.year, today.month)
                    around = date(year, month, 1)
                    matches = sorted(matches, key=lambda m: _distance_in_days(m.sessions, around))
                return Alternatives(relaxed=dropped, query=looser, matches=matches[:n], around=around)
        return Alternatives(relaxed=tuple(order), query=query, matches=[])

    def understands(self, text: str) -> bool:
        """Whether a word of ``text`` names what a course is about: a title, keyword or topic word."""
        return any(w in self._index.subject_words for w in normalise_words(text))

    def knows_place(self, place: str) -> bool:
        """Whether ``place`` is a city or country the catalogue has ever listed a session in (or Europe, online)."""
        name = normalise_place(place)
        return name in ("europe", "online") or ("place", name) in self._index.session_index

    def venues(self, query: CourseQuery, today: date) -> Venues:
        """Where the courses of ``query`` run, whatever its place and delivery filters."""
        anywhere = query.copy(update={"location": None, "delivery": None, "sort": "relevance", "limit": None})
        cities: dict[Location, None] = {}
        online = False
        for match in self.search(anywhere, today):
            for session in match.sessions:
                if session.is_online:
                    online = True
                else:
                    cities[Location(session.city, session.country)] = None
        ordered = sorted(cities, key=lambda loc: (normalise_place(loc.country) != _HOME_COUNTRY, loc.city))
        # In-house courses run on dates and at a price agreed with the client: only the subject counts.
        at_your_site = anywhere.copy(update={"delivery": "in-house", "month": None, "year": None, "max_fee": None})
        return Venues(tuple(loc.city for loc in ordered), online, bool(self.search(at_your_site, today)))

    def explain_no_match(self, query: CourseQuery, today: date, n: int = 3) -> NoMatch:
        """The nearest alternatives to a query that found nothing, and where its subject runs instead."""
        unknown_place = bool(query.location) and not self.knows_place(query.location or "")
        return NoMatch(
            alternatives=self.nearest_alternatives(query, today, n),
            unknown_place=unknown_place,
            venues=self.venues(query, today),
        )

    def cheapest(self, query: CourseQuery, today: date) -> Match | None:
        """The course whose cheapest bookable session (fitting ``query``) costs least."""
        priced = self.search(query.copy(update={"sort": "price", "limit": None}), today)
        return next((m for m in priced if m.sessions), None)

    def find_course(self, ref: str) -> Course | None:
        """A course by code ('MA-204', 'ma204', 'MA 204') or by (roughly) its title."""
        if not ref or not ref.strip():
            return None
        index = self._index
        position = index.by_code.get(_code_key(ref))
        if position is None:
            code = _CODE_IN_TEXT.search(ref)
            position = index.by_code.get(_code_key("".join(code.groups()))) if code else None
        if position is not None:
            return index.entries[position].course
        wanted = frozenset(normalise_words(ref))
        folded = " ".join(_WORD_RE.findall(_fold(ref)))
        matcher = difflib.SequenceMatcher(None, b=folded)
        best: tuple[float, float, float] = (0.0, 0.0, 0.0)
        best_course: Course | None = None
        for entry in index.entries:
            title = entry.title_words
            shared = len(wanted & title)
            overlap = shared / len(wanted | title) if wanted else 0.0
            covered = shared / len(wanted) if len(wanted) >= 2 else 0.0
            matcher.set_seq1(entry.folded_title)
            # ratio() is the slow part: skip it when even its upper bound cannot win.
            ratio = matcher.ratio() if matcher.real_quick_ratio() > best[0] and matcher.quick_ratio() > best[0] else 0.0
            rank = (max(overlap, covered, ratio), overlap, ratio)
            if rank > best:
                best, best_course = rank, entry.course
        return best_course if best[0] >= 0.6 else None

    def locations(self, today: date | None = None) -> list[Location]:
        """Cities with classroom sessions (from ``today`` on, when given), by country then city."""
        seen = {
            Location(s.city, s.country)
            for course in self.courses
            for s in course.sessions
            if not s.is_online and (today is None or s.start >= today)
        }
        return sorted(seen, key=lambda loc: (loc.country, loc.city))

    def topics(self) -> list[str]:
        """Canonical topics at least one course covers, in the standard order."""
        return [t for t in TOPICS if self._index.by_topic[t]]

    def __len__(self) -> int:
        return len(self.courses)


# ---------------------------------------------------------------- loading


class CatalogueError(ValueError):
    """The catalogue file cannot be used; the message says where and why.

    ``problems`` holds one line per problem (all are reported at once);
    ``course``, ``field`` and ``line`` describe the first.
    """

    def __init__(
        self,
        problems: Sequence[str],
        *,
        path: str,
        course: str | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)
        self.path = path
        self.course = course
        self.field = field
        self.line = line


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The first line of the sample file; the real catalogue goes in without it.
_SAMPLE_MARK = re.compile(r"\A\s*#[^\n]*\bSAMPLE\b")


class _CatalogueLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML with two changes: dates stay strings (so a bad date is
    reported against its course and field, not as a crash inside the YAML
    library), and a key repeated in one mapping is recorded, to be reported
    as an error instead of silently keeping the last value."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.repeated_keys: list[tuple[str, yaml.Mark]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                self.repeated_keys.append((str(key), key_node.start_mark))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_CatalogueLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_yaml(text: str, path: str) -> tuple[Any, yaml.Node | None, list[tuple[str, yaml.Mark]]]:
    loader = _CatalogueLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        message = f"{path}: {where}invalid YAML: {error.problem or error.context}"
        if error.context and error.problem and error.context_mark is not None:
            # The unclosed bracket or quote is usually on the line the context names.
            message += f" ({error.context} that starts on line {error.context_mark.line + 1})"
        raise CatalogueError([message], path=path, line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as error:
        raise CatalogueError([f"{path}: invalid YAML: {error}"], path=path) from None
    finally:
        loader.dispose()
    return data, node, loader.repeated_keys


def _child(node: yaml.Node | None, step: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((value for key, value in node.value if key.value == step), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step]
    return None


def _line_of(node: yaml.Node | None, loc: Iterable[Any]) -> int | None:
    """The line of the deepest node on ``loc`` that exists (a missing field points at its course)."""
    best = node
    for step in loc:
        node = _child(node, step)
        if node is None:
            break
        best = node
    return best.start_mark.line + 1 if best is not None else None


def _path_to(node: yaml.Node | None, mark: yaml.Mark) -> tuple[Any, ...]:
    """The keys and indexes leading from ``node`` to the mapping that holds ``mark``."""
    path: list[Any] = []
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if isinstance(node, yaml.MappingNode):
            items = [(key.value, value) for key, value in node.value]
        else:
            items = list(enumerate(node.value))
        inside = [(step, child) for step, child in items if child.start_mark.index <= mark.index < child.end_mark.index]
        if not inside:
            break
        step, node = inside[0]
        path.append(step)
    return tuple(path)


def load_catalogue(path: str | os.PathLike[str]) -> Catalogue:
    """Read and validate a catalogue file, or raise CatalogueError saying what to fix."""
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError([f"{shown}: cannot read the catalogue: {error}"], path=shown) from None
    data, root, repeated_keys = _parse_yaml(text, shown)

    def fail(message: str, field: str | None = None, line: int | None = None) -> CatalogueError:
        suffix = f" (line {line})" if line else ""
        return CatalogueError([f"{shown}: {message}{suffix}"], path=shown, field=field, line=line)

    if data is None:
        raise fail("the file is empty; it needs a top-level 'courses:' list")
    if not isinstance(data, dict):
        raise fail("the top level must be a mapping with a 'courses:' list", line=_line_of(root, ()))
    extra = [key for key in data if key != "courses"]
    if extra:
        raise fail(
            f"unknown top-level key {extra[0]!r}: this file holds only 'courses:'",
            field=str(extra[0]),
            line=_line_of(root, (extra[0],)),
        )
    if "courses" not in data:
        raise fail("courses: field required", field="courses")
    raw_courses = data["courses"]
    courses_node = _child(root, "courses")
    if not isinstance(raw_courses, list) or not raw_courses:
        raise fail("courses: must be a non-empty list of courses", field="courses", line=_line_of(courses_node, ()))

    def label_of(number: int) -> str:
        raw = raw_courses[number - 1]
        code = raw.get("code") if isinstance(raw, dict) else None
        return f"course #{number} ({code})" if isinstance(code, str) and code.strip() else f"course #{number}"

    problems: list[tuple[str, str | None, str | None, int | None]] = []  # (message, course label, field, line)
    for key, mark in repeated_keys:
        where = _path_to(root, mark)
        if len(where) >= 2 and where[0] == "courses" and isinstance(where[1], int):
            owner = label_of(where[1] + 1)
            field = " -> ".join(str(step) for step in (*where[2:], key))
            problems.append((f"{owner}: {field}: the key {key!r} appears twice", owner, field, mark.line + 1))
        else:
            field = " -> ".join(str(step) for step in (*where, key))
            problems.append((f"{field}: the key {key!r} appears twice", None, field, mark.line + 1))

    parsed: list[Course] = []
    first_with_code: dict[str, int] = {}
    for number, raw in enumerate(raw_courses, start=1):
        label = label_of(number)
        course_node = _child(courses_node, number - 1)
        if not isinstance(raw, dict):
            line = _line_of(course_node, ())
            problems.append((f"{label}: must be a mapping of fields, got {type(raw).__name__}", label, None, line))
            continue
        try:
            course = Course.parse_obj(raw)
        except ValidationError as error:
            for detail in error.errors():
                loc = tuple(step for step in detail["loc"] if step != "__root__")
                where = " -> ".join(str(step) for step in loc) or "course"
                line = _line_of(course_node, loc)
                message = detail["msg"]
                if detail["type"] == "type_error.str":  # e.g. country: NO, which YAML reads as false
                    message += " (YAML read this as a number or yes/no: put the value in quotes)"
                problems.append((f"{label}: {where}: {message}", label, where, line))
            continue
        key = _code_key(course.code)
        if key in first_with_code:
            line = _line_of(course_node, ("code",))
            message = f"{label}: code: duplicate code, already used by course #{first_with_code[key]}"
            problems.append((message, label, "code", line))
            continue
        first_with_code[key] = number
        parsed.append(course)

    if problems:
        lines = [f"{shown}: {message}" + (f" (line {line})" if line else "") for message, _, _, line in problems]
        _, label, field, line = problems[0]
        raise CatalogueError(lines, path=shown, course=label, field=field, line=line)
    return Catalogue(courses=tuple(parsed), sample=bool(_SAMPLE_MARK.match(text)))


# ---------------------------------------------------------------- store


def london_today() -> date:
    """The academy's date: courses start by UK calendar, whatever the server's zone."""
    try:
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo("Europe/London")).date()
    except Exception:  # no tz database on this machine
        return date.today()


class CatalogueStore:
    """The current catalogue for a long-running process (action server, gateway).

    Staff edit ``courses.yml`` while the bot runs, so the store looks at the
    file's size and mtime at most once every ``check_interval`` seconds and
    re-parses only when they changed. A broken edit is logged and the last
    good catalogue keeps serving; the first load must succeed (raises
    CatalogueError), because there is nothing to fall back on.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        clock: Callable[[], date] = london_today,
        *,
        check_interval: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self.clock = clock
        self.check_interval = check_interval
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._fingerprint = self._stat()
        self._catalogue = load_catalogue(self.path)
        self._checked_at = monotonic()
        self.last_error: CatalogueError | None = None

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size, info.st_ino)

    def refresh(self, force: bool = False) -> bool:
        """Re-read the file if it changed; True when a new catalogue was loaded."""
        now = self._monotonic()
        if not force and now - self._checked_at < self.check_interval:
            return False
        with self._lock:
            self._checked_at = now
            fingerprint = self._stat()
            if fingerprint == self._fingerprint:
                return False
            self._fingerprint = fingerprint  # a broken file is reported once, not on every check
            if fingerprint is None:
                self.last_error = CatalogueError([f"{self.path}: the file has gone"], path=str(self.path))
                logger.error("course catalogue unavailable, still serving the previous one: %s", self.last_error)
                return False
            try:
                catalogue = load_catalogue(self.path)
            except CatalogueError as error:
                self.last_error = error
                logger.error("course catalogue edit rejected, still serving the previous one:\n%s", error)
                return False
            self._catalogue = catalogue
            self.last_error = None
            logger.info("course catalogue reloaded from %s: %d courses", self.path, len(catalogue))
            return True

    @property
    def catalogue(self) -> Catalogue:
        self.refresh()
        return self._catalogue

    def today(self) -> date:
        return self.clock()

    def search(self, query: CourseQuery) -> list[Match]:
        return self.catalogue.search(query, self.clock())

    def nearest_alternatives(self, query: CourseQuery, n: int = 3) -> Alternatives:
        return self.catalogue.nearest_alternatives(query, self.clock(), n)

    def explain_no_match(self, query: CourseQuery, n: int = 3) -> NoMatch:
        return self.catalogue.explain_no_match(query, self.clock(), n)

    def cheapest(self, query: CourseQuery) -> Match | None:
        return self.catalogue.cheapest(query, self.clock())

    def find_course(self, ref: str) -> Course | None:
        return self.catalogue.find_course(ref)

    def locations(self) -> list[Location]:
        return self.catalogue.locations(self.clock())

    def topics(self) -> list[str]:
        return self.catalogue.topics()
