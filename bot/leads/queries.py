"""Reading leads: one page of a ``LeadFilter``, counts, the filter menus' values, one lead in full.

Every method opens its own short transaction (``bot.storage.transactions``) and
returns the plain dataclasses of ``bot.leads.views``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import defer, selectinload, sessionmaker

from bot.leads.lead_query import LeadFilter, apply_lead_filter, lead_order
from bot.leads.models import STATUSES, Lead, LeadCourse
from bot.leads.serializer import export_row
from bot.leads.submission import CourseChoice
from bot.leads.views import FilterChoices, LeadDetail, LeadSummary, detail_of, summary_of
from bot.storage.schema import Clock, utc_now
from bot.storage.transactions import transaction

# Larger ids cannot exist, and SQLite refuses to even compare with them (OverflowError).
LEAD_ID_MAX = 2**63 - 1
EVERY_LEAD = LeadFilter()
# What a LeadDetail shows besides the lead's own row (courses load with the lead).
DETAIL_RELATIONS = (Lead.consent, Lead.status_changes, Lead.notes)


class LeadQueries:
    """The reads, for the console, the API, the CLI and the notifications (``LeadRepository`` adds the writes)."""

    def __init__(self, sessions: sessionmaker, clock: Clock = utc_now):
        self._sessions = sessions
        self._clock = clock

    def _transaction(self, write: bool = False):
        return transaction(self._sessions, write=write)

    def ping(self) -> None:
        """Raise ``DatabaseUnavailable`` unless the leads table can be read (for health checks)."""
        with self._transaction() as session:
            session.execute(select(Lead.id).limit(1)).all()

    def list_leads(
        self, lead_filter: LeadFilter = EVERY_LEAD, limit: int = 50, offset: int = 0, sort: str = "newest"
    ) -> list[LeadSummary]:
        """One page of the leads that match, in one of ``LEAD_SORTS`` (newest first by default)."""
        if limit < 1 or offset < 0:
            raise ValueError("limit must be at least 1 and offset at least 0")
        query = (
            apply_lead_filter(select(Lead), lead_filter)
            # A list never shows the transcript or the message: do not read them.
            .options(defer(Lead.transcript), defer(Lead.message))
            .order_by(*lead_order(sort))
            .limit(limit)
            .offset(offset)
        )
        with self._transaction() as session:
            return [summary_of(lead) for lead in session.execute(query).scalars()]

    def count(self, lead_filter: LeadFilter = EVERY_LEAD) -> int:
        with self._transaction() as session:
            return session.execute(apply_lead_filter(select(func.count(Lead.id)), lead_filter)).scalar_one()

    def status_counts(self, lead_filter: LeadFilter) -> dict[str, int]:
        """How many leads match the filter in each status (its own status ignored); every status listed."""
        query = apply_lead_filter(select(Lead.status, func.count(Lead.id)), lead_filter.without_status())
        with self._transaction() as session:
            found = dict(session.execute(query.group_by(Lead.status)).all())
        return {status: found.get(status, 0) for status in STATUSES}

    def export(self, lead_filter: LeadFilter = EVERY_LEAD) -> list[LeadDetail]:
        """Every matching lead in full, oldest first (for ``bot.leads.serializer.export_row``)."""
        query = (
            apply_lead_filter(select(Lead), lead_filter)
            .options(*(selectinload(relation) for relation in DETAIL_RELATIONS), selectinload(Lead.linked_lead))
            .order_by(*lead_order("oldest"))
        )
        with self._transaction() as session:
            return [detail_of(lead, ()) for lead in session.execute(query).scalars()]

    def export_rows(self, lead_filter: LeadFilter = EVERY_LEAD) -> list[dict[str, Any]]:
        """``export`` as the rows of ``bot.leads.export`` (CSV, .xlsx, JSON)."""
        return [export_row(lead) for lead in self.export(lead_filter)]

    def get(self, lead_id: int) -> LeadDetail | None:
        if not 0 < lead_id <= LEAD_ID_MAX:
            return None
        return self._detail(Lead.id == lead_id)

    def by_reference(self, reference: str) -> LeadDetail | None:
        return self._detail(Lead.reference == (reference or "").strip().upper())

    def find(self, id_or_reference: str) -> LeadDetail | None:
        """A lead by numeric id ("12") or reference ("BA-7K3Q9X", any case)."""
        text = (id_or_reference or "").strip()
        return self.get(int(text)) if text.isascii() and text.isdigit() else self.by_reference(text)

    def _detail(self, condition) -> LeadDetail | None:
        query = select(Lead).where(condition).options(*(selectinload(relation) for relation in DETAIL_RELATIONS))
        with self._transaction() as session:
            lead = session.execute(query).scalar()
            if lead is None:
                return None
            follow_ups = session.execute(
                select(Lead.reference).where(Lead.linked_lead_id == lead.id).order_by(Lead.created_at)
            ).scalars()
            return detail_of(lead, tuple(follow_ups))

    def filter_choices(self, limit: int = 40) -> FilterChoices:
        """The values the console offers in its filter menus, most used first (courses by code)."""
        interest = func.lower(Lead.interest_field)
        interests = (
            select(func.max(Lead.interest_field))
            .where(Lead.interest_field.is_not(None))
            .group_by(interest)
            .order_by(func.count(Lead.id).desc(), interest)
            .limit(limit)
        )
        courses = (
            select(LeadCourse.course_code, func.max(LeadCourse.course_title))
            .group_by(LeadCourse.course_code)
            .order_by(LeadCourse.course_code)
        )
        places: dict[str, tuple[str, int]] = {}
        with self._transaction() as session:
            interest_values = tuple(session.execute(interests).scalars())
            course_values = tuple(CourseChoice(code, title or "") for code, title in session.execute(courses).all())
            for column in (Lead.location, Lead.delivery):
                key = func.lower(column)
                rows = session.execute(
                    select(func.max(column), func.count(Lead.id)).where(column.is_not(None)).group_by(key)
                ).all()
                for shown, number in rows:
                    earlier = places.get(shown.lower(), (shown, 0))
                    places[shown.lower()] = (earlier[0], earlier[1] + number)
        ranked = sorted(places.values(), key=lambda item: (-item[1], item[0].lower()))
        return FilterChoices(
            interests=interest_values,
            courses=course_values,
            places=tuple(shown for shown, _ in ranked[:limit]),
        )

    def leads_for_email(self, email: str) -> list[LeadSummary]:
        """Every lead from one email address, oldest first (earlier and later enquiries of a person)."""
        address = (email or "").strip().lower()
        query = (
            select(Lead)
            .where(Lead.email == address)
            .options(defer(Lead.transcript), defer(Lead.message))
            .order_by(Lead.created_at, Lead.id)
        )
        with self._transaction() as session:
            return [summary_of(lead) for lead in session.execute(query).scalars()]
