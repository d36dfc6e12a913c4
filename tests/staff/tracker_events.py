"""Rasa tracker-store rows for tests: the ``events`` table as Rasa 3.6's SQLTrackerStore writes it."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import create_engine

from bot.staff.conversations import EVENTS


class TrackerEvents:
    """Writes events the way SQLTrackerStore.save does (intent_name from parse_data, data as JSON)."""

    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(url, future=True)
        EVENTS.metadata.create_all(self.engine)

    def user(self, sender: str, text: str, at: datetime, intent: str = "greet", **extra) -> None:
        data = {
            "event": "user",
            "timestamp": at.timestamp(),
            "text": text,
            "parse_data": {"intent": {"name": intent, "confidence": 0.4}, "entities": [], "text": text},
            **extra,
        }
        self._add(sender, "user", at, intent, None, data)

    def bot(self, sender: str, text: str, at: datetime) -> None:
        self._add(sender, "bot", at, None, None, {"event": "bot", "timestamp": at.timestamp(), "text": text})

    def slot(self, sender: str, name: str, value: str, at: datetime) -> None:
        data = {"event": "slot", "timestamp": at.timestamp(), "name": name, "value": value}
        self._add(sender, "slot", at, None, None, data)

    def active_loop(self, sender: str, name: str | None, at: datetime) -> None:
        data = {"event": "active_loop", "timestamp": at.timestamp(), "name": name}
        self._add(sender, "active_loop", at, None, None, data)

    def senders(self) -> set[str]:
        with self.engine.connect() as connection:
            return {row[0] for row in connection.execute(EVENTS.select().with_only_columns(EVENTS.c.sender_id))}

    def count(self, sender: str | None = None) -> int:
        query = EVENTS.select()
        if sender is not None:
            query = query.where(EVENTS.c.sender_id == sender)
        with self.engine.connect() as connection:
            return len(connection.execute(query).all())

    def close(self) -> None:
        self.engine.dispose()

    def _add(self, sender, type_name, at, intent, action, data) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                EVENTS.insert().values(
                    sender_id=sender,
                    type_name=type_name,
                    timestamp=at.timestamp(),
                    intent_name=intent,
                    action_name=action,
                    data=json.dumps(data),
                )
            )
