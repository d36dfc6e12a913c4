"""The audit log: who signed in, changed, exported, erased or purged what, and when.

Entries name visitors only by lead (``lead:42``) or by masked email, never by
address or phone number in clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from bot.leads.lead_query import LeadFilter
from bot.leads.models import SHORT_TEXT_MAX, AuditEntry
from bot.privacy import mask_personal_data
from bot.storage.schema import Clock, utc_now
from bot.storage.transactions import transaction


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    actor: str
    action: str
    subject: str
    detail: str


def lead_subject(lead_id: int) -> str:
    return f"lead:{lead_id}"


def describe_filter(lead_filter: LeadFilter) -> str:
    """For the audit log: which leads were exported, with any personal data in a search masked."""
    parts = [
        f"{name}: {value.isoformat() if hasattr(value, 'isoformat') else value}"
        for name, value in vars(lead_filter).items()
        if value
    ]
    return mask_personal_data(", ".join(parts) or "all leads")


class AuditLog:
    def __init__(self, sessions: sessionmaker, clock: Clock = utc_now):
        self._sessions = sessions
        self._clock = clock

    def record(self, actor: str, action: str, subject: str, detail: str = "") -> None:
        entry = AuditEntry(
            at=self._clock(),
            actor=actor[:SHORT_TEXT_MAX],
            action=action[:64],
            subject=subject[:SHORT_TEXT_MAX],
            detail=detail,
        )
        with transaction(self._sessions, write=True) as session:
            session.add(entry)

    def for_subject(self, subject: str) -> list[AuditRecord]:
        """Oldest first: the story of one record."""
        query = select(AuditEntry).where(AuditEntry.subject == subject).order_by(AuditEntry.at, AuditEntry.id)
        with transaction(self._sessions) as session:
            return [_record(entry) for entry in session.execute(query).scalars()]

    def recent(self, limit: int = 100, offset: int = 0, action: str | None = None) -> list[AuditRecord]:
        """Newest first, optionally one kind of action only."""
        query = select(AuditEntry)
        if action:
            query = query.where(AuditEntry.action == action)
        query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit).offset(offset)
        with transaction(self._sessions) as session:
            return [_record(entry) for entry in session.execute(query).scalars()]

    def count(self, action: str | None = None) -> int:
        query = select(func.count(AuditEntry.id))
        if action:
            query = query.where(AuditEntry.action == action)
        with transaction(self._sessions) as session:
            return session.execute(query).scalar_one()

    def actions(self) -> list[str]:
        with transaction(self._sessions) as session:
            return list(session.execute(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).scalars())


def _record(entry: AuditEntry) -> AuditRecord:
    return AuditRecord(entry.at, entry.actor, entry.action, entry.subject, entry.detail or "")
