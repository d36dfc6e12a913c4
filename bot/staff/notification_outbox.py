"""The queue of new-lead notifications still to deliver.

``OutboxWriter`` is the staff side of the leads package's ``LeadEvents`` port:
``LeadRepository.submit`` calls it in the lead's own transaction, and it adds
one row per configured channel, so a lead is announced if and only if it was stored.

Any number of senders (the gateway's worker, a ``notify_new_lead`` thread,
``python -m bot notifications deliver``) may work the queue at once: a row is
claimed with a conditional UPDATE that only one of them can win, and held for
``lease``; a sender that dies mid-delivery loses the claim when it runs out.
Delivery is therefore at least once; the webhook carries an idempotency key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.staff.models import NotificationOutbox
from bot.storage.schema import Clock, utc_now
from bot.storage.transactions import transaction

RETRY_CEILING = timedelta(hours=1)
ERROR_MAX = 500


@dataclass(frozen=True)
class ClaimedNotification:
    id: int
    lead_id: int
    channel: str
    attempt: int  # 1 for the first try


@dataclass(frozen=True)
class QueuedNotification:
    id: int
    lead_id: int
    channel: str
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    failed_at: datetime | None
    last_error: str | None


class OutboxWriter:
    """Queues one notification per channel for each new lead (``bot.leads.events.LeadEvents``)."""

    def __init__(self, channels: Sequence[str]):
        self.channels = tuple(channels)

    def lead_stored(self, session: Session, lead_id: int, at: datetime) -> None:
        for channel in self.channels:
            session.add(NotificationOutbox(lead_id=lead_id, channel=channel, created_at=at, next_attempt_at=at))


def retry_delay(attempt: int, first_delay_seconds: float) -> timedelta:
    """After failed attempt ``attempt``: the first delay, doubled each time, at most an hour."""
    return min(timedelta(seconds=first_delay_seconds * 2 ** (attempt - 1)), RETRY_CEILING)


class NotificationQueue:
    def __init__(self, sessions: sessionmaker, clock: Clock = utc_now, lease: timedelta = timedelta(minutes=2)):
        self._sessions = sessions
        self._clock = clock
        self.lease = lease

    def claim_due(self, limit: int = 20, lead_id: int | None = None) -> list[ClaimedNotification]:
        now = self._clock()
        due = (
            select(NotificationOutbox.id)
            .where(
                NotificationOutbox.sent_at.is_(None),
                NotificationOutbox.failed_at.is_(None),
                NotificationOutbox.next_attempt_at <= now,
                or_(NotificationOutbox.claimed_until.is_(None), NotificationOutbox.claimed_until < now),
            )
            .order_by(NotificationOutbox.id)
            .limit(limit)
        )
        if lead_id is not None:
            due = due.where(NotificationOutbox.lead_id == lead_id)
        claimed = []
        with transaction(self._sessions, write=True) as session:
            for row_id in session.execute(due).scalars().all():
                won = session.execute(
                    update(NotificationOutbox)
                    .where(
                        NotificationOutbox.id == row_id,
                        NotificationOutbox.sent_at.is_(None),
                        or_(NotificationOutbox.claimed_until.is_(None), NotificationOutbox.claimed_until < now),
                    )
                    .values(claimed_until=now + self.lease, attempts=NotificationOutbox.attempts + 1)
                    .execution_options(synchronize_session=False)
                ).rowcount
                if won == 1:
                    row = session.get(NotificationOutbox, row_id)
                    claimed.append(ClaimedNotification(row.id, row.lead_id, row.channel, row.attempts))
        return claimed

    def mark_sent(self, notification_id: int) -> None:
        with transaction(self._sessions, write=True) as session:
            row = session.get(NotificationOutbox, notification_id)
            if row is not None:
                row.sent_at, row.claimed_until, row.last_error = self._clock(), None, None

    def mark_failed(self, notification_id: int, error: str, retry_after: timedelta | None) -> None:
        """Record a failed attempt: try again after ``retry_after``, or never (None)."""
        now = self._clock()
        with transaction(self._sessions, write=True) as session:
            row = session.get(NotificationOutbox, notification_id)
            if row is None:
                return  # the lead was erased meanwhile
            row.claimed_until, row.last_error = None, error[:ERROR_MAX]
            if retry_after is None:
                row.failed_at = now
            else:
                row.next_attempt_at = now + retry_after

    def for_lead(self, lead_id: int) -> list[QueuedNotification]:
        query = select(NotificationOutbox).where(NotificationOutbox.lead_id == lead_id).order_by(NotificationOutbox.id)
        with transaction(self._sessions) as session:
            return [
                QueuedNotification(
                    row.id,
                    row.lead_id,
                    row.channel,
                    row.attempts,
                    row.next_attempt_at,
                    row.sent_at,
                    row.failed_at,
                    row.last_error,
                )
                for row in session.execute(query).scalars()
            ]

    def waiting(self) -> int:
        """Rows neither sent nor given up on."""
        query = select(func.count(NotificationOutbox.id)).where(
            NotificationOutbox.sent_at.is_(None), NotificationOutbox.failed_at.is_(None)
        )
        with transaction(self._sessions) as session:
            return session.execute(query).scalar_one()
