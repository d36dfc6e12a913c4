"""Rasa's SQL tracker store, without rebuilding the conversation on every message.

Rasa 3.6 reads every event of the conversation back from the database for
each message, parses it from JSON and replays it into a new tracker: the cost
grows with the conversation (docs/benchmarks.md, "Where a message's time
goes"). This store keeps the trackers it last read or saved, and uses one
only when one small query shows the database still holds exactly what it
held then: as many events for the conversation, the same newest event id,
and no event added to the tracker since without being saved. A save then
writes the events added since, with no query to find them. Anything else — another Rasa server's message, an
erasure, the retention purge, a message that failed before it was saved —
makes it read the database as Rasa does.

Rasa's lock store serialises the messages of one conversation (Redis across
servers), so no other writer adds events between a check and the save that
follows it.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

# Conversations kept per Rasa process; a tracker of a long conversation is tens of kilobytes.
DEFAULT_CACHE_SIZE = 512
# How many events the database holds for a conversation (every session), and the newest one's id. A plain
# statement: Rasa's session-aware query costs more to build than to run.
STORED_MARK = sa.text("SELECT count(id), max(id) FROM events WHERE sender_id = :sender_id")


@dataclass
class _Cached:
    tracker: DialogueStateTracker
    stored_events: int  # in the database for this conversation, all sessions
    last_event_id: int | None
    synced_length: int  # len(tracker.events) when the tracker last matched the database


class CachingSQLTrackerStore(SQLTrackerStore):
    """``type: SQL`` as Rasa knows it, with a checked in-process cache of trackers."""

    def __init__(self, *args: Any, cache_size: int = DEFAULT_CACHE_SIZE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache_size = cache_size
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    # --- the cache -----------------------------------------------------------------

    def _remember(self, sender_id: str, entry: _Cached) -> None:
        with self._cache_lock:
            self._cache[sender_id] = entry
            self._cache.move_to_end(sender_id)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def forget(self, sender_id: str) -> None:
        with self._cache_lock:
            self._cache.pop(sender_id, None)

    def _cached(self, sender_id: str) -> _Cached | None:
        with self._cache_lock:
            return self._cache.get(sender_id)

    @staticmethod
    def _stored_mark(session: Any, sender_id: str) -> tuple[int, int | None]:
        count, last = session.execute(STORED_MARK, {"sender_id": sender_id}).one()
        return int(count or 0), last

    # --- Rasa's interface ------------------------------------------------------------

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        cached = self._cached(sender_id)
        if cached is not None:
            with self.session_scope() as session:
                mark = self._stored_mark(session, sender_id)
            unsaved = len(cached.tracker.events) != cached.synced_length  # a message failed before its save
            if mark == (cached.stored_events, cached.last_event_id) and not unsaved:
                self.hits += 1
                return cached.tracker
            self.forget(sender_id)
        self.misses += 1
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
            stored, last = self._stored_mark(session, sender_id)
        events = [json.loads(row.data) for row in rows]
        if not (self.domain and events):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        self._remember(sender_id, _Cached(tracker, stored, last, len(tracker.events)))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        cached = self._cached(tracker.sender_id)
        in_step = cached is not None and cached.tracker is tracker
        with self.session_scope() as session:
            if in_step:  # the events after the last sync are the new ones: no query needed
                new_events = list(itertools.islice(tracker.events, cached.synced_length, None))
            else:
                new_events = list(self._additional_events(session, tracker))
            rows = [self._row(tracker.sender_id, event) for event in new_events]
            session.add_all(rows)
            session.flush()  # assigns the ids
            if in_step:
                stored, last = cached.stored_events + len(rows), rows[-1].id if rows else cached.last_event_id
            else:
                stored, last = self._stored_mark(session, tracker.sender_id)
            session.commit()
        self._remember(tracker.sender_id, _Cached(tracker, stored, last, len(tracker.events)))

    def _row(self, sender_id: str, event: Any) -> Any:
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )


def install() -> None:
    """Make Rasa build this store wherever endpoints.yml says ``type: SQL``."""
    from rasa.core import tracker_store

    tracker_store.SQLTrackerStore = CachingSQLTrackerStore
