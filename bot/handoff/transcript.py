"""A handed-over conversation as Rasa's tracker store holds it: what the inbox shows and the widget receives.

Visitor messages (stored by Rasa while it is paused) and staff replies (bot
events with ``metadata.handoff_staff``) are both tracker events, so the event's
row id orders them and is the events stream's ``id:`` for resuming.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from bot.staff.conversations import EVENTS, ConversationStore

STAFF_KEY = "handoff_staff"
TRANSCRIPT_LIMIT = 200


@dataclass(frozen=True)
class Turn:
    event_id: int
    sender: str  # "visitor", "bot" or "staff"
    text: str
    at: float | None
    staff_name: str | None = None


def staff_display_name(email: str) -> str:
    """The name a visitor sees for a member of staff: the first part of their address ("sam.jones@..." -> "Sam")."""
    local = (email or "").split("@", 1)[0]
    first = local.replace("_", ".").replace("-", ".").split(".", 1)[0]
    return first[:1].upper() + first[1:].lower() if first.isalpha() else "Admissions"


class HandoffConversations:
    """Reads Rasa's ``events`` table (the tracker store); never writes it (Rasa's HTTP API does)."""

    def __init__(self, url: str):
        self._store = ConversationStore(url)

    def close(self) -> None:
        self._store.close()

    def turns(self, sender_id: str, after_id: int = 0, limit: int = TRANSCRIPT_LIMIT) -> list[Turn]:
        """The conversation's messages after event ``after_id``, oldest first (the newest ``limit``)."""
        query = (
            select(EVENTS.c.id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
            .where(EVENTS.c.sender_id == sender_id, EVENTS.c.type_name.in_(("user", "bot")), EVENTS.c.id > after_id)
            .order_by(EVENTS.c.id.desc())
            .limit(limit)
        )
        turns = [turn for row in self._store.read(query) if (turn := _turn(*row)) is not None]
        return list(reversed(turns))

    def staff_replies(self, sender_id: str, after_id: int) -> list[Turn]:
        return [turn for turn in self.turns(sender_id, after_id) if turn.sender == "staff"]

    def unread(self, sender_ids: list[str], seen: dict[str, int]) -> dict[str, int]:
        """Visitor messages in each conversation after the event staff last saw."""
        counts = {}
        for sender in sender_ids:
            query = select(func.count(EVENTS.c.id)).where(
                EVENTS.c.sender_id == sender, EVENTS.c.type_name == "user", EVENTS.c.id > seen.get(sender, 0)
            )
            rows = self._store.read(query)
            counts[sender] = rows[0][0] if rows else 0
        return counts


def _turn(event_id: int, kind: str, timestamp: float | None, data: str | None) -> Turn | None:
    try:
        event: Any = json.loads(data or "{}")
    except ValueError:
        return None
    if not isinstance(event, dict):
        return None
    text = event.get("text")
    if not isinstance(text, str) or not text.strip():
        return None
    if kind == "user":
        return Turn(event_id, "visitor", text, timestamp)
    metadata = event.get("metadata") if isinstance(event.get("metadata"), dict) else {}
    staff = metadata.get(STAFF_KEY)
    if isinstance(staff, str) and staff:
        return Turn(event_id, "staff", text, timestamp, staff_name=staff)
    return Turn(event_id, "bot", text, timestamp)
