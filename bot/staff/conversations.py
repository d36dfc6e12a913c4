"""Visitors' conversations as Rasa keeps them: the ``events`` table of its SQL tracker store.

Read for subject-access exports and the unanswered-questions page, deleted
for erasure and the retention purge. Rasa owns the table (and creates it on
first use); until Rasa has stored anything there is simply nothing to read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, func, inspect, or_, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.leads.lead_query import escape_like
from bot.leads.validation import validate_email
from bot.privacy import EMAIL_PATTERN
from bot.storage.schema import Clock, utc_now

# Rasa 3.6's SQLTrackerStore.SQLEvent, the columns this module uses.
EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
DELETE_BATCH = 500


class ConversationStoreUnavailable(RuntimeError):
    """Rasa's tracker store cannot be reached right now; nothing was changed."""


@dataclass(frozen=True)
class UserMessage:
    sender_id: str
    at: float
    intent: str
    text: str


@dataclass(frozen=True)
class PurgedConversations:
    conversations: int
    events: int


class ConversationStore:
    def __init__(self, url: str, clock: Clock = utc_now):
        self.url = url
        self._clock = clock
        self._engine: Engine | None = None

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # -- reading ---------------------------------------------------------------

    def read(self, query) -> list:
        """The rows of a query on Rasa's ``events`` table; none while Rasa has stored nothing."""
        return self._rows(query) if self._has_events() else []

    def events_of(self, sender_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """Every stored event of these conversations, oldest first, as Rasa recorded it."""
        wanted = sorted(set(sender_ids))
        found: dict[str, list[dict[str, Any]]] = {sender: [] for sender in wanted}
        if not wanted or not self._has_events():
            return found
        query = (
            select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
            .where(EVENTS.c.sender_id.in_(wanted))
            .order_by(EVENTS.c.sender_id, EVENTS.c.id)
        )
        for sender, type_name, timestamp, data in self._rows(query):
            found[sender].append({"type": type_name, "timestamp": timestamp, "data": _json(data)})
        return found

    def senders_with_address(self, address: str) -> list[str]:
        """Conversations in which this exact email address appears (typed, or kept in a slot).

        ``address`` is in its normalised form (``normalised_email``). Every address
        found in an event is normalised the same way and compared whole, so
        ``kim@example.com`` never matches ``joakim@example.com``, and an address with
        non-ASCII letters (which Rasa stores JSON-escaped) is found.
        """
        if not address or not self._has_events():
            return []
        # SQL narrows the search to events that hold an "@" at all; Python decides on the exact address.
        query = select(EVENTS.c.sender_id, EVENTS.c.data).where(EVENTS.c.data.like("%@%")).order_by(EVENTS.c.id)
        found = set()
        for sender, data in self._rows(query):
            if sender not in found and address in _addresses_in(_json(data)):
                found.add(sender)
        return sorted(found)

    def user_messages(self, start: datetime, end: datetime, intents: Iterable[str]) -> Iterator[UserMessage]:
        """Visitor messages between ``start`` and ``end`` that NLU classified as one of ``intents``.

        The intent is read from the event's ``parse_data`` (a sub-intent such as
        ``out_of_scope/weather``, from models trained before the FAQ and out-of-scope
        questions became plain intents, counts as ``out_of_scope``). Answers typed while a form
        was asking (names, emails, phone numbers) are never questions, and are left out.
        """
        wanted = set(intents)
        if not self._has_events():
            return
        candidates = list(self._user_messages(start, end, wanted))
        in_form = self._answers_to_forms({message.sender_id for _, message in candidates})
        for event_id, message in candidates:
            if event_id not in in_form:
                yield message

    def _answers_to_forms(self, sender_ids: set[str]) -> set[int]:
        """Ids of the user events sent while a form of the conversation was active."""
        if not sender_ids:
            return set()
        query = (
            select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.data)
            .where(EVENTS.c.sender_id.in_(sorted(sender_ids)), EVENTS.c.type_name.in_(("user", "active_loop")))
            .order_by(EVENTS.c.sender_id, EVENTS.c.id)
        )
        active: dict[str, bool] = {}
        answers = set()
        for event_id, sender, kind, data in self._rows(query):
            if kind == "active_loop":
                active[sender] = bool(_json(data).get("name"))
            elif active.get(sender):
                answers.add(event_id)
        return answers

    def _user_messages(self, start: datetime, end: datetime, wanted: set[str]) -> Iterator[tuple[int, UserMessage]]:
        query = (
            select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.timestamp, EVENTS.c.intent_name, EVENTS.c.data)
            .where(
                EVENTS.c.type_name == "user",
                EVENTS.c.timestamp >= start.timestamp(),
                EVENTS.c.timestamp < end.timestamp(),
                or_(
                    EVENTS.c.intent_name.in_(sorted(wanted)),
                    EVENTS.c.intent_name.is_(None),
                    *(EVENTS.c.intent_name.like(f"{escape_like(name)}/%", escape="\\") for name in sorted(wanted)),
                ),
            )
            .order_by(EVENTS.c.id)
        )
        for event_id, sender, timestamp, intent_column, data in self._rows(query):
            if (intent_column or "").split("/", 1)[0] not in wanted and intent_column is not None:
                continue
            event = _json(data)
            parse_data = event.get("parse_data") if isinstance(event.get("parse_data"), dict) else {}
            intent = (parse_data.get("intent") or {}).get("name") or intent_column or ""
            base = intent.split("/", 1)[0]
            text = event.get("text")
            if base in wanted and isinstance(text, str) and text.strip():
                yield event_id, UserMessage(sender, timestamp, base, text)

    def count_conversations(self, start: datetime, end: datetime) -> int:
        """Conversations in which a visitor wrote at least once between ``start`` and ``end``."""
        if not self._has_events():
            return 0
        query = select(func.count(func.distinct(EVENTS.c.sender_id))).where(
            EVENTS.c.type_name == "user",
            EVENTS.c.timestamp >= start.timestamp(),
            EVENTS.c.timestamp < end.timestamp(),
        )
        return self._rows(query)[0][0]

    # -- deleting --------------------------------------------------------------

    def erase(self, sender_ids: Iterable[str]) -> int:
        """Delete every event of these conversations; returns how many events went."""
        wanted = sorted(set(sender_ids))
        if not wanted or not self._has_events():
            return 0
        deleted = 0
        try:
            with self._connect().begin() as connection:
                for start in range(0, len(wanted), DELETE_BATCH):
                    batch = wanted[start : start + DELETE_BATCH]
                    deleted += connection.execute(EVENTS.delete().where(EVENTS.c.sender_id.in_(batch))).rowcount
        except DBAPIError as error:
            raise ConversationStoreUnavailable(_describe(error)) from error
        return deleted

    def purge_older_than(self, days: int) -> PurgedConversations:
        """Delete conversations whose latest event is more than ``days`` days old."""
        if days < 1:
            raise ValueError("the retention period must be at least one day")
        if not self._has_events():
            return PurgedConversations(0, 0)
        cutoff = (self._clock() - timedelta(days=days)).timestamp()
        stale = (
            select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(func.max(EVENTS.c.timestamp) < cutoff)
        ).scalar_subquery()
        try:
            with self._connect().begin() as connection:
                conversations = connection.execute(
                    select(func.count(func.distinct(EVENTS.c.sender_id))).where(EVENTS.c.sender_id.in_(stale))
                ).scalar_one()
                events = connection.execute(EVENTS.delete().where(EVENTS.c.sender_id.in_(stale))).rowcount
        except DBAPIError as error:
            raise ConversationStoreUnavailable(_describe(error)) from error
        return PurgedConversations(conversations, events)

    # -- plumbing --------------------------------------------------------------

    def _connect(self) -> Engine:
        if self._engine is None:
            url = make_url(self.url)
            if url.get_backend_name() == "sqlite":
                self._engine = create_engine(url, future=True, connect_args={"timeout": 30})
            else:
                self._engine = create_engine(url, future=True, pool_pre_ping=True)
        return self._engine

    def _has_events(self) -> bool:
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            if not Path(url.database).exists():
                return False  # Rasa has not run yet: do not create its database for it
        try:
            return inspect(self._connect()).has_table("events")
        except DBAPIError as error:
            raise ConversationStoreUnavailable(_describe(error)) from error

    def _rows(self, query) -> list:
        try:
            with self._connect().connect() as connection:
                return connection.execute(query).all()
        except DBAPIError as error:
            raise ConversationStoreUnavailable(_describe(error)) from error


def _json(data: str | None) -> dict[str, Any]:
    try:
        value = json.loads(data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def normalised_email(text: str) -> str | None:
    """An email address in the form leads are stored in (lower case, Unicode domain), or None if it is not one."""
    result = validate_email(text)
    return result.value if result.ok else None


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _addresses_in(event: dict[str, Any]) -> set[str]:
    """Every email address written anywhere in an event, normalised."""
    found = set()
    for text in _strings(event):
        if "@" not in text:
            continue
        for match in EMAIL_PATTERN.finditer(text):
            address = normalised_email(match.group(0))
            if address:
                found.add(address)
    return found


def _describe(error: Exception) -> str:
    original = getattr(error, "orig", None) or error
    first_line = (str(original).strip().splitlines() or [type(original).__name__])[0]
    kind = "cannot be reached" if isinstance(error, OperationalError) else "failed"
    return f"the conversation store {kind}: {first_line}"
