"""Handoffs and staff availability in the application database.

Every gateway and action server reads and writes the same rows, so the state
survives a restart and is the same behind any load balancer.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import sessionmaker

from bot.handoff.states import CLOSED, HAND_BACK, LIVE, OPEN_STATES, REPLY, WAITING, HandoffClosed, next_state
from bot.staff.models import Handoff, StaffUser
from bot.storage.schema import Clock, utc_now
from bot.storage.transactions import transaction


@dataclass(frozen=True)
class HandoffView:
    id: int
    sender_id: str
    state: str
    requested_at: datetime
    accepted_at: datetime | None
    accepted_by: str | None
    closed_at: datetime | None
    seen_event_id: int
    lead_id: int | None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


def _view(row: Handoff) -> HandoffView:
    """The row's columns of the same names (the view holds no more and no less)."""
    return HandoffView(**{column.name: getattr(row, column.name) for column in fields(HandoffView)})


class HandoffStore:
    def __init__(self, sessions: sessionmaker, clock: Clock = utc_now):
        self._sessions = sessions
        self._clock = clock

    # -- availability ----------------------------------------------------------

    def available_staff(self) -> int:
        """Active members of staff marked available for live chats."""
        with transaction(self._sessions) as session:
            query = select(func.count(StaffUser.id)).where(StaffUser.active.is_(True), StaffUser.handoff_available)
            return session.execute(query).scalar_one()

    def set_available(self, user_id: int, available: bool) -> None:
        with transaction(self._sessions, write=True) as session:
            session.execute(update(StaffUser).where(StaffUser.id == user_id).values(handoff_available=available))

    def is_available(self, user_id: int) -> bool:
        with transaction(self._sessions) as session:
            value = session.execute(select(StaffUser.handoff_available).where(StaffUser.id == user_id)).scalar()
            return bool(value)

    # -- conversations ---------------------------------------------------------

    def start(self, sender_id: str) -> HandoffView:
        """Hand the conversation to staff; asking again while it is open keeps the same handoff."""
        with transaction(self._sessions, write=True) as session:
            existing = _open(session, sender_id)
            if existing is not None:
                return _view(existing)
            row = Handoff(sender_id=sender_id, state=WAITING, requested_at=self._clock(), seen_event_id=0)
            session.add(row)
            session.flush()
            return _view(row)

    def current(self, sender_id: str) -> HandoffView | None:
        """The open handoff of this conversation, if any."""
        with transaction(self._sessions) as session:
            row = _open(session, sender_id)
            return _view(row) if row is not None else None

    def latest(self, sender_id: str) -> HandoffView | None:
        """The newest handoff of this conversation, open or closed."""
        with transaction(self._sessions) as session:
            query = select(Handoff).where(Handoff.sender_id == sender_id).order_by(Handoff.id.desc()).limit(1)
            row = session.execute(query).scalar()
            return _view(row) if row is not None else None

    def get(self, handoff_id: int) -> HandoffView | None:
        with transaction(self._sessions) as session:
            row = session.get(Handoff, handoff_id)
            return _view(row) if row is not None else None

    def open_handoffs(self) -> list[HandoffView]:
        """Waiting and live conversations, the longest-waiting first."""
        with transaction(self._sessions) as session:
            query = select(Handoff).where(Handoff.state.in_(OPEN_STATES)).order_by(Handoff.requested_at, Handoff.id)
            return [_view(row) for row in session.execute(query).scalars()]

    def count_waiting(self) -> int:
        with transaction(self._sessions) as session:
            return session.execute(select(func.count(Handoff.id)).where(Handoff.state == WAITING)).scalar_one()

    def replied(self, handoff_id: int, staff_email: str) -> HandoffView:
        """A member of staff answered: the conversation is live (the first to answer takes it)."""
        with transaction(self._sessions, write=True) as session:
            row = _locked(session, handoff_id)
            row.state = next_state(row.state, REPLY)
            if row.state == LIVE and row.accepted_at is None:
                row.accepted_at = self._clock()
                row.accepted_by = staff_email
            return _view(row)

    def check_open(self, handoff_id: int) -> HandoffView:
        """The handoff, or HandoffClosed when it is no longer with staff."""
        view = self.get(handoff_id)
        if view is None or not view.is_open:
            raise HandoffClosed("this conversation is no longer with staff")
        return view

    def hand_back(self, handoff_id: int, staff_email: str) -> HandoffView:
        with transaction(self._sessions, write=True) as session:
            row = _locked(session, handoff_id)
            row.state = next_state(row.state, HAND_BACK)
            row.closed_at = self._clock()
            row.closed_by = staff_email
            return _view(row)

    def mark_seen(self, handoff_id: int, event_id: int) -> None:
        """Staff have seen the conversation up to tracker event ``event_id`` (never moves back)."""
        with transaction(self._sessions, write=True) as session:
            session.execute(
                update(Handoff)
                .where(Handoff.id == handoff_id, Handoff.seen_event_id < event_id)
                .values(seen_event_id=event_id)
            )

    def link_lead(self, handoff_id: int, lead_id: int) -> None:
        with transaction(self._sessions, write=True) as session:
            session.execute(update(Handoff).where(Handoff.id == handoff_id).values(lead_id=lead_id))

    def erase(self, sender_ids: list[str]) -> int:
        """Forget these conversations' handoffs (erasure: the tracker events go at the same time)."""
        if not sender_ids:
            return 0
        with transaction(self._sessions, write=True) as session:
            rows = session.execute(select(Handoff).where(Handoff.sender_id.in_(sorted(set(sender_ids))))).scalars()
            count = 0
            for row in rows:
                session.delete(row)
                count += 1
            return count


def _open(session, sender_id: str) -> Handoff | None:
    query = (
        select(Handoff)
        .where(Handoff.sender_id == sender_id, Handoff.state.in_(OPEN_STATES))
        .order_by(Handoff.id.desc())
        .limit(1)
    )
    return session.execute(query).scalar()


def _locked(session, handoff_id: int) -> Handoff:
    row = session.execute(select(Handoff).where(Handoff.id == handoff_id).with_for_update()).scalar()
    if row is None:
        raise HandoffClosed("there is no such handoff (it may have been erased)")
    return row


__all__ = ["CLOSED", "HandoffStore", "HandoffView"]
