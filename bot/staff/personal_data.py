"""A person's rights over their data (UK GDPR): a copy of everything held, erasure,
and the retention purge, across the leads database and Rasa's conversations.

Each is recorded in the audit log under the person's masked email. Erasure
deletes the conversations first: if the tracker store cannot be reached,
nothing is deleted and the request can simply be made again.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.leads.repository import LeadRepository
from bot.leads.submission import LeadRejected
from bot.privacy import mask_email
from bot.staff.audit import AuditLog, lead_subject
from bot.staff.conversations import ConversationStore, normalised_email
from bot.storage.schema import Clock, utc_now


@dataclass(frozen=True)
class ErasureReport:
    masked_email: str
    references: tuple[str, ...]
    conversations: int
    events: int

    @property
    def leads(self) -> int:
        return len(self.references)


@dataclass(frozen=True)
class PurgeReport:
    days: int
    leads: int
    conversations: int
    events: int


def _address(email: str) -> str:
    """The address in the exact form leads store it: a match is on the whole address, never a part of it."""
    address = normalised_email(email or "")
    if address is None:
        raise LeadRejected("give the email address the person used", field="email")
    return address


def _conversation_ids(leads: LeadRepository, conversations: ConversationStore, address: str) -> set[str]:
    """The conversations behind the person's leads, and any other in which they typed their address."""
    found = {lead.conversation_id for lead in leads.leads_for_email(address) if lead.conversation_id}
    return found | set(conversations.senders_with_address(address))


def erase_person(
    leads: LeadRepository, conversations: ConversationStore, audit: AuditLog, email: str, actor: str
) -> ErasureReport:
    """Delete the person's leads (with consent, courses, notes, history, pending notifications) and conversations."""
    address = _address(email)
    senders = _conversation_ids(leads, conversations, address)
    events = conversations.erase(senders)
    audit.record(actor, "conversation.erase", mask_email(address), f"{len(senders)} conversation(s), {events} event(s)")
    erased = leads.erase_by_email(address, actor)  # audited there as lead.erase
    return ErasureReport(mask_email(address), erased.references, len(senders), events)


def subject_access(
    leads: LeadRepository,
    conversations: ConversationStore,
    audit: AuditLog,
    email: str,
    actor: str,
    clock: Clock = utc_now,
) -> dict[str, Any]:
    """Everything held about the person, as one JSON-ready document."""
    address = _address(email)
    details = [leads.get(summary.id) for summary in leads.leads_for_email(address)]
    details = [detail for detail in details if detail is not None]
    senders = _conversation_ids(leads, conversations, address)
    document = {
        "email": address,
        "generated_at": clock().isoformat(),
        "controller": "The British Academy",
        "leads": [_plain(dataclasses.asdict(detail)) for detail in details],
        "lead_history": {detail.reference: _history(audit, detail.id) for detail in details},
        "conversations": _plain(conversations.events_of(senders)),
    }
    audit.record(actor, "person.export", mask_email(address), f"{len(details)} lead(s), {len(senders)} conversation(s)")
    return document


def purge_expired(
    leads: LeadRepository, conversations: ConversationStore, audit: AuditLog, days: int, actor: str
) -> PurgeReport:
    """Delete leads received, and conversations last active, more than ``days`` days ago."""
    if days < 1:
        raise ValueError("the retention period must be at least one day")
    purged = conversations.purge_older_than(days)
    audit.record(
        actor,
        "conversation.purge",
        f"older than {days} days",
        f"{purged.conversations} conversation(s), {purged.events} event(s)",
    )
    removed = leads.purge_older_than(days, actor=actor)  # audited there as lead.purge
    return PurgeReport(days, removed.count, purged.conversations, purged.events)


def _history(audit: AuditLog, lead_id: int) -> list[dict[str, Any]]:
    return [_plain(dataclasses.asdict(entry)) for entry in audit.for_subject(lead_subject(lead_id))]


def _plain(value: Any) -> Any:
    """Dates as ISO strings, tuples as lists: ready for ``json.dumps``."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value
