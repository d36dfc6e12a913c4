"""What the staff inbox shows: open handoffs with their transcript, unread counts and waiting time,
and a lead drafted from what the visitor already said."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.dialogue.contact_details import find_emails, find_name, find_phones
from bot.handoff.store import HandoffStore, HandoffView
from bot.handoff.transcript import HandoffConversations, Turn

REPLY_MAX = 2000
ERASED_AFTER = timedelta(minutes=2)
ERASURE_ACTOR = "erasure"


@dataclass(frozen=True)
class InboxItem:
    handoff: HandoffView
    unread: int
    waiting_seconds: int
    last_text: str
    turns: list[Turn] = field(default_factory=list)

    def as_json(self) -> dict:
        """The item for the console's live updates (rendered there as text, never as HTML)."""
        return {
            "id": self.handoff.id,
            "state": self.handoff.state,
            "requested_at": self.handoff.requested_at.isoformat(),
            "accepted_by": self.handoff.accepted_by,
            "waiting_seconds": self.waiting_seconds,
            "unread": self.unread,
            "last_text": self.last_text,
        }


def inbox_items(store: HandoffStore, conversations: HandoffConversations, now: datetime) -> list[InboxItem]:
    """Open handoffs, longest waiting first."""
    handoffs = [handoff for handoff in store.open_handoffs() if not _erased(store, conversations, handoff, now)]
    seen = {handoff.sender_id: handoff.seen_event_id for handoff in handoffs}
    unread = conversations.unread([handoff.sender_id for handoff in handoffs], seen)
    items = []
    for handoff in handoffs:
        last = conversations.turns(handoff.sender_id, limit=1)
        since = handoff.accepted_at if handoff.accepted_at else handoff.requested_at
        items.append(
            InboxItem(
                handoff=handoff,
                unread=unread.get(handoff.sender_id, 0),
                waiting_seconds=max(0, int((now - since).total_seconds())) if handoff.state == "waiting" else 0,
                last_text=last[-1].text[:200] if last else "",
            )
        )
    return items


def _erased(store: HandoffStore, conversations: HandoffConversations, handoff: HandoffView, now: datetime) -> bool:
    """A handoff whose conversation was erased (UK GDPR erasure, retention purge) leaves the inbox for good.

    Rasa stores a message's events after its actions ran, so a brand-new handoff may briefly have none:
    only one older than ``ERASED_AFTER`` without a single message counts as erased.
    """
    if (now - handoff.requested_at) < ERASED_AFTER or conversations.turns(handoff.sender_id, limit=1):
        return False
    store.hand_back(handoff.id, ERASURE_ACTOR)
    return True


def waiting_in_words(seconds: int) -> str:
    if seconds < 60:
        return "under a minute"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


@dataclass(frozen=True)
class LeadDraft:
    """Contact details the visitor typed in the conversation, for staff to check before a lead is made."""

    name: str = ""
    email: str = ""
    phone: str = ""
    message: str = ""


def draft_lead(turns: list[Turn]) -> LeadDraft:
    """The newest name, email and phone number the visitor typed, and their first question as the message."""
    name = email = phone = ""
    questions = []
    for turn in turns:
        if turn.sender != "visitor" or turn.text.startswith("/"):
            continue
        emails, phones, found_name = find_emails(turn.text), find_phones(turn.text), find_name(turn.text)
        email = emails[-1] if emails else email
        phone = phones[-1] if phones else phone
        name = found_name or name
        questions.append(turn.text)
    return LeadDraft(name=name, email=email, phone=phone, message=questions[0][:1000] if questions else "")


def lead_transcript(turns: list[Turn]) -> list[dict]:
    """The conversation for the lead: staff replies keep who wrote them (the lead page names them)."""
    rows = []
    for turn in turns:
        row = {"sender": "visitor" if turn.sender == "visitor" else "bot", "text": turn.text, "at": turn.at}
        if turn.sender == "staff" and turn.staff_name:
            row["staff"] = turn.staff_name
        rows.append(row)
    return rows
