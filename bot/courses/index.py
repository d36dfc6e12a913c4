"""The search index built once per catalogue load, so a search does no per-course parsing."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, NamedTuple

from bot.courses.model import Course, Session, code_key
from bot.courses.vocabulary import (
    FIELDS,
    GENERIC_WORDS,
    HOME_COUNTRY,
    SYNONYM_WORDS,
    TOPICS,
    WORD_RE,
    fold_text,
    normalise_place,
    normalise_words,
)

# Scoring weights: a topic hit outweighs any number of loose word hits.
_TOPIC_HIT = 10.0
_MAIN_TOPIC_BONUS = 5.0
_WORD_WEIGHTS = {"title": 3.0, "keywords": 2.0, "topics": 2.0, "summary": 1.0}
NO_DATE = 10**9
_NO_FEE = 10**9


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


class Slot(NamedTuple):
    """Some of one course's sessions (all of them, or those at one place, in one
    month or of one mode), by date, so "from today on" is a bisect and a slice."""

    ordinals: tuple[int, ...]
    items: tuple[_SessionEntry, ...]
    sessions: tuple[Session, ...]
    cheapest_from: tuple[int, ...]  # cheapest_from[i]: lowest fee among sessions[i:]


def _slot(items: Sequence[_SessionEntry]) -> Slot:
    lowest, minima = _NO_FEE, [_NO_FEE]
    for item in reversed(items):
        lowest = min(lowest, item.fee)
        minima.append(lowest)
    return Slot(
        ordinals=tuple(i.ordinal for i in items),
        items=tuple(items),
        sessions=tuple(i.session for i in items),
        cheapest_from=tuple(reversed(minima)),
    )


@dataclass(frozen=True)
class _CourseEntry:
    course: Course
    slot: Slot
    main_topic: str
    in_house: bool
    title_words: frozenset[str]
    folded_title: str


def _session_entry(session: Session) -> _SessionEntry:
    city, country = normalise_place(session.city), normalise_place(session.country)
    places = {city, country}
    if not session.is_online and country != HOME_COUNTRY:
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


SESSION_OF = attrgetter("session")


class SearchIndex:
    """Everything a search needs, computed once per loaded catalogue."""

    def __init__(self, courses: Sequence[Course]) -> None:
        self.entries: list[_CourseEntry] = []
        self.by_code: dict[str, int] = {}
        self.by_field: dict[str, set[int]] = {f: set() for f in FIELDS}
        self.by_topic: dict[str, set[int]] = {t: set() for t in TOPICS}
        self.in_house: set[int] = set()
        # ("place", name) / ("ym", (y, m)) / ("mode", online?) -> course -> its sessions there
        self.session_index: dict[tuple[str, Any], dict[int, Slot]] = {}
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
                folded_title=" ".join(WORD_RE.findall(fold_text(course.title))),
            )
            self.entries.append(entry)
            self.by_code[code_key(course.code)] = position
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
            SYNONYM_WORDS
            | frozenset(
                w for weights in word_fields for w, weight in weights.items() if weight >= _WORD_WEIGHTS["keywords"]
            )
        ) - GENERIC_WORDS
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
