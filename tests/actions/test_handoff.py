"""action_offer_handoff: a person joins when the office is open and someone is available; otherwise an
honest notice with the office hours, then the offer of an enquiry."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest
from rasa_sdk.events import ConversationPaused

from actions import dependencies
from actions.handoff import ActionOfferHandoff
from bot.handoff.store import HandoffStore
from bot.leads.database import create_engine_for, session_factory, upgrade
from bot.leads.repository import LeadStoreUnavailable
from bot.staff.models import StaffUser
from tests.actions.conftest import conversation, responses, texts

WEDNESDAY_MORNING = datetime(2026, 12, 2, 10, 15, tzinfo=timezone.utc)
WEDNESDAY_NIGHT = datetime(2026, 12, 2, 21, 0, tzinfo=timezone.utc)
SATURDAY = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(settings, monkeypatch):
    monkeypatch.setattr(dependencies, "settings", lambda: replace(settings, handoff_hours="Mon-Fri 09:00-17:30"))
    upgrade(settings.database_url)
    engine = create_engine_for(settings.database_url)
    yield HandoffStore(session_factory(engine), clock=lambda: WEDNESDAY_MORNING)
    engine.dispose()


def add_staff(store: HandoffStore, available: bool) -> None:
    with store._sessions() as session:  # noqa: SLF001 - test set-up on the same database
        user = StaffUser(email="sam@example.org", password_hash="x", created_at=WEDNESDAY_MORNING)
        session.add(user)
        session.commit()
        store.set_available(user.id, available)


def request_for_a_person():
    return conversation("courses_shown_billing", "could I speak to someone from admissions?", intent="request_human")


async def run(store, when, dispatcher, domain):
    tracker = request_for_a_person()
    events = await ActionOfferHandoff(clock=lambda: when, store=store).run(dispatcher, tracker, domain)
    return tracker, events


async def test_hands_over_when_open_and_someone_is_available(store, dispatcher, domain):
    add_staff(store, available=True)
    tracker, events = await run(store, WEDNESDAY_MORNING, dispatcher, domain)
    assert events == [ConversationPaused()]
    assert "A person will join this chat shortly" in texts(dispatcher)[0]
    assert responses(dispatcher) == [None]  # no enquiry offer on top
    handoff = store.current(tracker.sender_id)
    assert handoff is not None and handoff.state == "waiting"


async def test_nobody_available_says_so_and_offers_the_enquiry(store, dispatcher, domain):
    add_staff(store, available=False)
    tracker, events = await run(store, WEDNESDAY_MORNING, dispatcher, domain)
    assert events == []
    assert "Nobody from our admissions team is free" in texts(dispatcher)[0]
    assert responses(dispatcher) == [None, "utter_admissions_contact"]
    assert store.current(tracker.sender_id) is None


@pytest.mark.parametrize(("when", "next_opening"), [(WEDNESDAY_NIGHT, "tomorrow at 09:00"), (SATURDAY, "on Monday")])
async def test_outside_office_hours_says_when_it_opens(store, dispatcher, domain, when, next_opening):
    add_staff(store, available=True)  # someone left the toggle on: the hours still decide
    tracker, events = await run(store, when, dispatcher, domain)
    assert events == []
    notice = texts(dispatcher)[0]
    assert "isn't in right now" in notice and "Monday to Friday, 09:00 to 17:30 (UK time)" in notice
    assert next_opening in notice
    assert responses(dispatcher)[-1] == "utter_admissions_contact"
    assert store.current(tracker.sender_id) is None


async def test_database_down_is_said_honestly(store, dispatcher, domain, monkeypatch):
    def down() -> int:
        raise LeadStoreUnavailable("database unavailable")

    monkeypatch.setattr(store, "available_staff", down)
    _, events = await run(store, WEDNESDAY_MORNING, dispatcher, domain)
    assert events == []
    assert texts(dispatcher)[0] == "I can't reach our admissions team's live chat just now."
    assert responses(dispatcher)[-1] == "utter_admissions_contact"


async def test_asking_twice_keeps_one_handoff(store, dispatcher, domain):
    add_staff(store, available=True)
    tracker, _ = await run(store, WEDNESDAY_MORNING, dispatcher, domain)
    first = store.current(tracker.sender_id)
    await run(store, WEDNESDAY_MORNING, dispatcher, domain)
    assert store.current(tracker.sender_id).id == first.id and store.count_waiting() == 1
