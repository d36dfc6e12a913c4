"""The catalogue's data model: sessions, courses, a visitor's query, and search results."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, Field, PrivateAttr, conint, constr, root_validator, validator

from bot.courses.vocabulary import DELIVERY_MODES, ONLINE, TOPICS, normalise_words, resolve_topic, topics_in_words

_MAX_QUERY_TEXT = 500


Text = constr(strict=True, strip_whitespace=True, min_length=1, max_length=300)
LongText = constr(strict=True, strip_whitespace=True, min_length=1, max_length=600)
Fee = conint(strict=True, gt=0, le=50_000)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CODE = re.compile(r"[A-Z]{2,4}-\d{3}")
CODE_IN_TEXT = re.compile(r"\b([a-z]{2,4})[\s_-]*(\d{3})\b", re.IGNORECASE)
_DAYS = re.compile(r"(\d+)\s*days?\b", re.IGNORECASE)


def code_key(code: str) -> str:
    """'ma204', 'MA 204' and 'MA-204' all find MA-204."""
    return re.sub(r"[^A-Z0-9]", "", code.upper())


def codes_in_text(text: str) -> list[str]:
    """Every course-code shape typed in ``text``, as ``code_key`` keys ("is ma 204 online?" -> ["MA204"])."""
    return [code_key("".join(found.groups())) for found in CODE_IN_TEXT.finditer(text or "")]


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
