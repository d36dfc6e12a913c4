"""What visitors ask that the bot cannot answer, and how many conversations become leads.

For content editors: the questions that ended in a fallback (``nlu_fallback``)
or were recognised as out of scope, grouped by wording and most frequent
first. Email addresses and phone numbers in them are masked: the page is for
improving answers, not for reading about people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from bot.leads.lead_query import LeadFilter
from bot.leads.repository import LeadRepository
from bot.privacy import mask_personal_data
from bot.staff.conversations import ConversationStore

# Out-of-scope questions are plain intents (out_of_scope_other, ...); conversations
# recorded by older models hold "out_of_scope" with a sub-intent. Both read as "out_of_scope".
OUT_OF_SCOPE_INTENTS = (
    "out_of_scope",
    "out_of_scope_medical_advice",
    "out_of_scope_appointment",
    "out_of_scope_prescription",
    "out_of_scope_other",
)
UNANSWERED_INTENTS = ("nlu_fallback", *OUT_OF_SCOPE_INTENTS)
_TRAILING = re.compile(r"[\s?!.,;:]+$")


@dataclass(frozen=True)
class UnansweredQuestion:
    text: str  # the latest wording seen, masked
    count: int
    conversations: int
    last_asked: datetime
    kinds: tuple[str, ...]  # "nlu_fallback" and/or "out_of_scope"


@dataclass(frozen=True)
class Funnel:
    conversations: int
    leads: int

    @property
    def conversion(self) -> float | None:
        """Leads per conversation, or None when there were no conversations."""
        return self.leads / self.conversations if self.conversations else None


def question_key(text: str) -> str:
    """Wordings that differ only in case, spacing or final punctuation are the same question."""
    return _TRAILING.sub("", " ".join(text.casefold().split()))


def unanswered_questions(
    conversations: ConversationStore, start: datetime, end: datetime, limit: int = 100
) -> list[UnansweredQuestion]:
    groups: dict[str, dict] = {}
    for message in conversations.user_messages(start, end, UNANSWERED_INTENTS):
        key = question_key(message.text)
        if not key or key.startswith("/"):
            continue  # a button payload, not something typed
        group = groups.setdefault(key, {"count": 0, "senders": set(), "last": 0.0, "text": "", "kinds": set()})
        group["count"] += 1
        group["senders"].add(message.sender_id)
        group["kinds"].add("out_of_scope" if message.intent in OUT_OF_SCOPE_INTENTS else message.intent)
        if message.at >= group["last"]:
            group["last"], group["text"] = message.at, message.text
    questions = [
        UnansweredQuestion(
            text=mask_personal_data(" ".join(group["text"].split())),
            count=group["count"],
            conversations=len(group["senders"]),
            last_asked=datetime.fromtimestamp(group["last"], tz=timezone.utc),
            kinds=tuple(sorted(group["kinds"])),
        )
        for group in groups.values()
    ]
    questions.sort(key=lambda question: (-question.count, -question.last_asked.timestamp(), question.text))
    return questions[:limit]


def funnel(conversations: ConversationStore, leads: LeadRepository, start: datetime, end: datetime) -> Funnel:
    return Funnel(
        conversations=conversations.count_conversations(start, end),
        leads=leads.count(LeadFilter(received_from=start, received_before=end)),
    )
