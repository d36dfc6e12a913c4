"""A validated catalogue: search with filters, ranking, nearest alternatives and
recommendations when nothing matches."""

from __future__ import annotations

import difflib
import heapq
from bisect import bisect_left
from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel, PrivateAttr, validator

from bot.courses.index import NO_DATE, SESSION_OF, SearchIndex, Slot
from bot.courses.model import (
    CODE_IN_TEXT,
    Alternatives,
    Course,
    CourseQuery,
    Location,
    Match,
    NoMatch,
    Session,
    Venues,
    code_key,
)
from bot.courses.vocabulary import HOME_COUNTRY, TOPICS, WORD_RE, fold_text, normalise_place, normalise_words

# A course scoring under this share of the best match only shares a stray word
# with the visitor's text (a summary mentioning "patient"): noise, not an answer.
_RELATIVE_CUTOFF = 0.25


def _distance_in_days(sessions: Sequence[Session], day: date) -> int:
    """How close the nearest of ``sessions`` starts to ``day`` (no sessions: as far as can be)."""
    return min((abs(s.start.toordinal() - day.toordinal()) for s in sessions), default=NO_DATE)


def _target_month(query: CourseQuery, today: date) -> tuple[int, int] | None:
    if query.month is None:
        return None
    if query.year is not None:
        return (query.year, query.month)
    return (today.year if query.month >= today.month else today.year + 1, query.month)


class Catalogue(BaseModel):
    """A validated catalogue and the indexes that make searching it cheap.

    ``sample`` is true while the file is the illustrative sample (its first
    line is a ``# SAMPLE ...`` comment): replies then mark dates and fees as
    sample data, so no visitor mistakes them for real ones.
    """

    courses: tuple[Course, ...]
    sample: bool = False
    _index: SearchIndex = PrivateAttr()

    class Config:
        extra = "forbid"
        frozen = True

    @validator("courses")
    def _unique_codes(cls, courses: tuple[Course, ...]) -> tuple[Course, ...]:
        if not courses:
            raise ValueError("the catalogue has no courses")
        seen: dict[str, int] = {}
        for number, course in enumerate(courses, start=1):
            key = code_key(course.code)
            if key in seen:
                raise ValueError(f"course #{number} ({course.code}) repeats the code of course #{seen[key]}")
            seen[key] = number
        return courses

    def __init__(self, **data: Any) -> None:
        super().__init__(**data)
        self._index = SearchIndex(self.courses)

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
        source: dict[int, Slot] | None = None
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
                first = slot.ordinals[start] if sessions else NO_DATE
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
                sessions, first = tuple(map(SESSION_OF, picked)), picked[0].ordinal
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
        ordered = sorted(cities, key=lambda loc: (normalise_place(loc.country) != HOME_COUNTRY, loc.city))
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
        position = index.by_code.get(code_key(ref))
        if position is None:
            code = CODE_IN_TEXT.search(ref)
            position = index.by_code.get(code_key("".join(code.groups()))) if code else None
        if position is not None:
            return index.entries[position].course
        wanted = frozenset(normalise_words(ref))
        folded = " ".join(WORD_RE.findall(fold_text(ref)))
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
