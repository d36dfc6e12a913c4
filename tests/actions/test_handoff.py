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
from bot.staff.models import StaffUser
from bot.storage.engine import create_engine_for, session_factory
from bot.storage.migrate import upgrade
from bot.storage.transactions import DatabaseUnavailable
from tests.actions.conftest import ADMISSIONS_EMAIL, conversation, responses

WEDNESDAY_MORNING = datetime(2026, 12, 2, 10, 15, tzinfo=timezone.utc)
WEDNESDAY_NIGHT = datetime(2026, 12, 2, 21, 0, tzinfo=timezone.utc)
SATURDAY = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def handoffs(settings, monkeypatch):
    monkeypatch.setattr(dependencies, "settings", lambda: replace(settings, handoff_hours="Mon-Fri 09:00-17:30"))
    upgrade(settings.database_url)
    engine = create_engine_for(settings.database_url)
    yield HandoffStore(session_factory(engine), clock=lambda: WEDNESDAY_MORNING)
    engine.dispose()


def add_staff(handoffs: HandoffStore, available: bool) -> None:
    with handoffs._sessions() as session:  # noqa: SLF001 - test set-up on the same database
        user = StaffUser(email="sam@example.org", password_hash="x", created_at=WEDNESDAY_MORNING)
        session.add(user)
        session.commit()
        handoffs.set_available(user.id, available)


def said(dispatcher, domain, slots=None) -> list[str]:
    """The messages as the visitor reads them: each response's text filled with its values and the slots."""
    rendered = []
    for message in dispatcher.messages:
        if not message["response"]:
            rendered.append(message["text"])
            continue
        values = {"admissions_email": ADMISSIONS_EMAIL, **(slots or {})}
        values.update({k: v for k, v in message.items() if isinstance(v, str)})
        rendered.append(domain["responses"][message["response"]][0]["text"].format_map(values))
    return rendered


def request_for_a_person():
    return conversation("courses_shown_billing", "could I speak to someone from admissions?", intent="request_human")


async def run(handoffs, when, dispatcher, domain):
    tracker = request_for_a_person()
    events = await ActionOfferHandoff(clock=lambda: when, store=handoffs).run(dispatcher, tracker, domain)
    return tracker, events


async def test_hands_over_when_open_and_someone_is_available(handoffs, dispatcher, domain):
    add_staff(handoffs, available=True)
    tracker, events = await run(handoffs, WEDNESDAY_MORNING, dispatcher, domain)
    assert events == [ConversationPaused()]
    assert responses(dispatcher) == ["utter_handoff_joining"]  # no enquiry offer on top
    assert "A person will join this chat shortly" in said(dispatcher, domain)[0]
    handoff = handoffs.current(tracker.sender_id)
    assert handoff is not None and handoff.state == "waiting"


async def test_nobody_available_says_so_and_offers_the_enquiry(handoffs, dispatcher, domain):
    add_staff(handoffs, available=False)
    tracker, events = await run(handoffs, WEDNESDAY_MORNING, dispatcher, domain)
    assert events == []
    assert responses(dispatcher) == ["utter_handoff_nobody_free", "utter_admissions_contact"]
    assert "Nobody from our admissions team is free" in said(dispatcher, domain)[0]
    assert "Monday to Friday, 09:00 to 17:30 (UK time)" in said(dispatcher, domain)[0]
    assert handoffs.current(tracker.sender_id) is None


@pytest.mark.parametrize(("when", "next_opening"), [(WEDNESDAY_NIGHT, "tomorrow at 09:00"), (SATURDAY, "on Monday")])
async def test_outside_office_hours_says_when_it_opens(handoffs, dispatcher, domain, when, next_opening):
    add_staff(handoffs, available=True)  # someone left the toggle on: the hours still decide
    tracker, events = await run(handoffs, when, dispatcher, domain)
    assert events == []
    assert responses(dispatcher)[0] == "utter_handoff_closed"
    notice = said(dispatcher, domain)[0]
    assert "isn't in right now" in notice and "Monday to Friday, 09:00 to 17:30 (UK time)" in notice
    assert next_opening in notice
    assert responses(dispatcher)[-1] == "utter_admissions_contact"
    assert handoffs.current(tracker.sender_id) is None


async def test_database_down_is_said_honestly(handoffs, dispatcher, domain, monkeypatch):
    def down() -> int:
        raise DatabaseUnavailable("database unavailable")

    monkeypatch.setattr(handoffs, "available_staff", down)
    _, events = await run(handoffs, WEDNESDAY_MORNING, dispatcher, domain)
    assert events == []
    assert responses(dispatcher)[0] == "utter_handoff_unreachable"
    assert responses(dispatcher)[-1] == "utter_admissions_contact"


async def test_asking_twice_keeps_one_handoff(handoffs, dispatcher, domain):
    add_staff(handoffs, available=True)
    tracker, _ = await run(handoffs, WEDNESDAY_MORNING, dispatcher, domain)
    first = handoffs.current(tracker.sender_id)
    await run(handoffs, WEDNESDAY_MORNING, dispatcher, domain)
    assert handoffs.current(tracker.sender_id).id == first.id and handoffs.count_waiting() == 1


async def test_asking_for_a_person_inside_the_enquiry_form_keeps_the_form(dispatcher, domain):
    from actions.enquiry import ValidateEnquiryForm

    tracker = conversation("enquiry_form_email", "is there a human I can talk to?", intent="request_human")
    tracker.slots[tracker.slots["requested_slot"]] = None

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert responses(dispatcher)[0] == "utter_person_during_enquiry"
    assert "A person from our admissions team reads every enquiry" in said(dispatcher, domain, tracker.slots)[0]
    assert "admissions@britishacademy.example" in said(dispatcher, domain, tracker.slots)[0]
    assert "utter_admissions_contact" not in responses(dispatcher)  # no second offer of the form
    assert events[-1] == {"event": "slot", "timestamp": None, "name": "requested_slot", "value": "enquiry_email"}


async def test_the_enquiry_after_an_offer_keeps_the_details_given_with_the_request(dispatcher, domain):
    from actions.enquiry import ActionPrepareEnquiry

    tracker = conversation(
        "courses_shown_billing",
        "can I talk to someone? I'm Jo Bloggs, my email is jo.bloggs@example.net",
        intent="request_human",
    )
    tracker.events.append({"event": "action", "name": "action_offer_handoff"})
    tracker.events.append(
        {"event": "user", "text": "yes please", "parse_data": {"intent": {"name": "affirm", "confidence": 0.9}}}
    )
    tracker.latest_message = tracker.events[-1]["parse_data"] | {"text": "yes please"}

    events = await ActionPrepareEnquiry().run(dispatcher, tracker, domain)

    values = {event["name"]: event["value"] for event in events if event.get("event") == "slot"}
    assert values["enquiry_name"] == "Jo Bloggs" and values["enquiry_email"] == "jo.bloggs@example.net"
    assert responses(dispatcher) == ["utter_enquiry_intro"]
