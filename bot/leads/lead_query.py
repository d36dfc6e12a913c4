"""Which leads someone is looking at: the one query object for every way of finding leads.

One ``LeadFilter`` drives the CLI's ``leads list`` and ``leads export``, the
console's list, its counts per status and its exports, and the JSON API, so
a search finds the same leads everywhere and "export what I see" exports
exactly what is seen. A filter that cannot hold (an unknown status, a naive
time) is refused when it is made, with ``InvalidFilter``: each edge turns that
into its own clear message (CLI exit 2, API 400, console notice).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timezone

from sqlalchemy import case, exists, func, or_

from bot.leads.models import STATUSES, Lead, LeadCourse

SEARCH_WORDS_MAX = 8
PLACE_COLUMNS = (Lead.location, Lead.delivery)
SEARCH_COLUMNS = (Lead.reference, Lead.name, Lead.email, Lead.organisation, Lead.interest_field, Lead.message)


class InvalidFilter(ValueError):
    """A filter that cannot be used; the message says why, in words for whoever typed it."""


@dataclass(frozen=True)
class LeadFilter:
    """Every field optional; all the given ones must hold.

    ``received_from`` is inclusive and ``received_before`` exclusive (UTC instants:
    the caller turns "yesterday in London" into them). ``place`` matches the
    location or the delivery preference (a case-insensitive substring).
    ``search`` is split into words (the first eight count) and every word must
    appear (any case, as a substring) in the reference, name, email,
    organisation, field of interest, message, location, delivery or a course
    code or title: "priya shah", "BA-7K3Q", "london billing". ``%`` and ``_``
    are plain characters. docs/leads.md says the same for staff.
    """

    status: str | None = None
    interest: str | None = None
    course: str | None = None
    place: str | None = None
    received_from: datetime | None = None
    received_before: datetime | None = None
    search: str | None = None

    def __post_init__(self) -> None:
        if self.status and self.status not in STATUSES:
            raise InvalidFilter(f"unknown status {self.status[:20]!r}; use one of {', '.join(STATUSES)}")
        for name in ("received_from", "received_before"):
            moment = getattr(self, name)
            if moment is not None and moment.tzinfo is None:
                raise InvalidFilter(f"{name.replace('_', ' ')} must be a time with its time zone")

    def without_status(self) -> LeadFilter:
        return replace(self, status=None)


def start_of_day(day: date) -> datetime:
    """Midnight UTC at the start of ``day``: what "received since 2026-11-01" means on the CLI and the API."""
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(column, text: str):
    return func.lower(column).like(f"%{escape_like(text.strip().lower())}%", escape="\\")


def apply_lead_filter(query, lead_filter: LeadFilter):
    """``query`` (a select over ``Lead``) narrowed to the filter."""
    f = lead_filter
    if f.status:
        query = query.where(Lead.status == f.status)
    if f.interest and f.interest.strip():
        query = query.where(func.lower(Lead.interest_field) == f.interest.strip().lower())
    if f.course and f.course.strip():
        code = f.course.strip().upper()
        query = query.where(exists().where(LeadCourse.lead_id == Lead.id, func.upper(LeadCourse.course_code) == code))
    if f.place and f.place.strip():
        query = query.where(or_(*(_contains(column, f.place) for column in PLACE_COLUMNS)))
    if f.received_from is not None:
        query = query.where(Lead.created_at >= f.received_from)
    if f.received_before is not None:
        query = query.where(Lead.created_at < f.received_before)
    for word in (f.search or "").split()[:SEARCH_WORDS_MAX]:
        in_courses = exists().where(
            LeadCourse.lead_id == Lead.id,
            or_(_contains(LeadCourse.course_code, word), _contains(LeadCourse.course_title, word)),
        )
        query = query.where(or_(*(_contains(column, word) for column in (*SEARCH_COLUMNS, *PLACE_COLUMNS)), in_courses))
    return query


#: The orders the console's list offers: key -> label. Ties go newest first.
LEAD_SORTS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "name": "Name (A-Z)",
    "status": "Status",
    "location": "Location",
    "assignee": "Assignee",
}


def lead_order(sort: str) -> tuple:
    """ORDER BY terms for one of ``LEAD_SORTS``; ValueError for any other."""
    newest = (Lead.created_at.desc(), Lead.id.desc())
    if sort == "newest":
        return newest
    if sort == "oldest":
        return (Lead.created_at, Lead.id)
    if sort == "name":
        return (func.lower(Lead.name), *newest)
    if sort == "status":
        return (case({status: rank for rank, status in enumerate(STATUSES)}, value=Lead.status, else_=99), *newest)
    if sort == "location":
        # Leads without a location last, on every database.
        return (Lead.location.is_(None), func.lower(Lead.location), *newest)
    if sort == "assignee":
        return (Lead.assignee.is_(None), func.lower(Lead.assignee), *newest)
    raise InvalidFilter(f"unknown sort {sort[:20]!r}; use one of {', '.join(LEAD_SORTS)}")
