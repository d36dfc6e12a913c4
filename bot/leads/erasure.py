"""Deleting leads: one person's (erasure on request) and the expired ones (the retention period).

The database cascades to consent, courses, notes, history and outbox rows
(foreign keys are ON for SQLite too). Each deletion is audited in the same
transaction, naming the person only by masked email.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.leads.models import AuditEntry, Lead
from bot.leads.submission import LeadRejected
from bot.leads.views import ErasureResult
from bot.privacy import mask_email


def erase_email(session: Session, email: str, actor: str, now: datetime) -> ErasureResult:
    """Delete every lead (with consent, courses, notes, history) for one email address."""
    address = (email or "").strip().lower()
    if not address:
        raise LeadRejected("an email address is needed to erase leads", field="email")
    result = _delete_leads(session, Lead.email == address)
    detail = f"{result.count} lead(s): {', '.join(result.references)}"
    session.add(AuditEntry(at=now, actor=actor, action="lead.erase", subject=mask_email(address), detail=detail))
    return result


def purge_before(session: Session, days: int, actor: str, now: datetime) -> ErasureResult:
    """Delete leads created more than ``days`` days before ``now`` (the retention period)."""
    if days < 1:
        raise ValueError("the retention period must be at least one day")
    result = _delete_leads(session, Lead.created_at < now - timedelta(days=days))
    subject, detail = f"older than {days} days", f"{result.count} lead(s)"
    session.add(AuditEntry(at=now, actor=actor, action="lead.purge", subject=subject, detail=detail))
    return result


def _delete_leads(session: Session, condition) -> ErasureResult:
    rows = session.execute(select(Lead.id, Lead.reference, Lead.conversation_id).where(condition)).all()
    if rows:
        session.execute(
            delete(Lead).where(Lead.id.in_([row.id for row in rows])), execution_options={"synchronize_session": False}
        )
    conversations = sorted({row.conversation_id for row in rows if row.conversation_id})
    return ErasureResult(
        lead_ids=tuple(row.id for row in rows),
        references=tuple(row.reference for row in rows),
        conversation_ids=tuple(conversations),
    )
