"""The caching SQL tracker store (bot/runtime/tracker_cache.py) against a real SQLite file."""

from __future__ import annotations

import sqlalchemy as sa
from rasa.core.tracker_store import create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.runtime.tracker_cache import CachingSQLTrackerStore, install

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet]
slots:
  current_field:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
"""
)


def store_at(path, **kwargs) -> CachingSQLTrackerStore:
    return CachingSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(path), **kwargs)


def turn(tracker: DialogueStateTracker, text: str, field: str | None = None) -> None:
    tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
    if field:
        tracker.update(SlotSet("current_field", field))
    tracker.update(BotUttered(f"re: {text}"))
    tracker.update(ActionExecuted("action_listen"))


async def saved_conversation(store, sender="visitor-1", turns=3) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events(sender, [ActionExecuted("action_listen")], DOMAIN.slots)
    for number in range(turns):
        turn(tracker, f"message {number}", field="healthcare management")
    await store.save(tracker)
    return tracker


async def test_a_saved_conversation_is_served_from_the_cache_and_equals_the_stored_one(tmp_path):
    store = store_at(tmp_path / "t.db")
    saved = await saved_conversation(store)

    cached = await store.retrieve("visitor-1")
    rebuilt = await store_at(tmp_path / "t.db").retrieve("visitor-1")

    assert cached is saved and store.hits == 1
    assert [e.as_dict() for e in cached.events] == [e.as_dict() for e in rebuilt.events]
    assert rebuilt.get_slot("current_field") == "healthcare management"


async def test_messages_stored_by_another_rasa_server_are_read_from_the_database(tmp_path):
    here, there = store_at(tmp_path / "t.db"), store_at(tmp_path / "t.db")
    await saved_conversation(here)
    elsewhere = await there.retrieve("visitor-1")
    turn(elsewhere, "a message the other server handled", field="medical administration")
    await there.save(elsewhere)

    tracker = await here.retrieve("visitor-1")

    assert tracker.latest_message.text == "a message the other server handled"
    assert tracker.get_slot("current_field") == "medical administration"
    assert here.hits == 0


async def test_an_erased_conversation_is_not_served_from_memory(tmp_path):
    store = store_at(tmp_path / "t.db")
    await saved_conversation(store)
    with store.session_scope() as session:  # what erasure and the retention purge do
        session.execute(sa.delete(store.SQLEvent).where(store.SQLEvent.sender_id == "visitor-1"))
        session.commit()

    assert await store.retrieve("visitor-1") is None


async def test_part_of_a_conversation_deleted_is_read_again(tmp_path):
    store = store_at(tmp_path / "t.db")
    await saved_conversation(store, turns=3)
    with store.session_scope() as session:
        first_user = session.query(sa.func.min(store.SQLEvent.id)).filter(store.SQLEvent.type_name == "user").scalar()
        session.execute(sa.delete(store.SQLEvent).where(store.SQLEvent.id == first_user))
        session.commit()

    tracker = await store.retrieve("visitor-1")

    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["message 1", "message 2"]


async def test_a_message_that_failed_before_it_was_saved_leaves_no_trace(tmp_path):
    store = store_at(tmp_path / "t.db")
    await saved_conversation(store, turns=2)
    in_progress = await store.retrieve("visitor-1")
    turn(in_progress, "this message's processing failed")  # never saved

    tracker = await store.retrieve("visitor-1")

    assert tracker is not in_progress
    assert tracker.latest_message.text == "message 1"


async def test_a_new_session_is_cached_and_read_back_from_its_start(tmp_path):
    store = store_at(tmp_path / "t.db")
    tracker = await saved_conversation(store, turns=2)
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    turn(tracker, "back again")
    await store.save(tracker)

    assert await store.retrieve("visitor-1") is tracker
    rebuilt = await store_at(tmp_path / "t.db").retrieve("visitor-1")
    assert [e.text for e in rebuilt.events if isinstance(e, UserUttered)] == ["back again"]


async def test_the_cache_keeps_at_most_cache_size_conversations(tmp_path):
    store = store_at(tmp_path / "t.db", cache_size=2)
    for sender in ("a", "b", "c"):
        await saved_conversation(store, sender=sender, turns=1)

    await store.retrieve("a")  # evicted: read from the database
    await store.retrieve("c")

    assert (store.misses, store.hits) == (1, 1)


def test_install_makes_rasa_build_the_caching_store_for_type_sql(tmp_path, monkeypatch):
    from rasa.core import tracker_store

    monkeypatch.setattr(tracker_store, "SQLTrackerStore", tracker_store.SQLTrackerStore)
    install()
    endpoint = EndpointConfig(type="SQL", dialect="sqlite", db=str(tmp_path / "t.db"))

    store = create_tracker_store(endpoint, DOMAIN)

    assert isinstance(store, CachingSQLTrackerStore)
