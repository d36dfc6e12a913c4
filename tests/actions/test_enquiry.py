"""The enquiry form's actions: preparing it, turning each typed answer into
events (the decision itself is tested in tests/dialogue), the consent and
summary questions, and storing the lead once (a real LeadRepository on SQLite)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet

from actions import dependencies
from actions.enquiry import (
    FORM_SLOTS,
    PERSONAL_SLOTS,
    ActionAskEnquiryConfirm,
    ActionAskEnquiryConsent,
    ActionPrepareEnquiry,
    ActionSubmitEnquiry,
    ValidateEnquiryForm,
)
from bot.courses.loading import CatalogueError
from bot.dialogue.enquiry_form import refusal_notice
from bot.dialogue.enquiry_lead import privacy_notice
from bot.settings import Settings
from bot.staff.back_office import BackOffice
from tests.actions.conftest import ADMISSIONS_EMAIL, PRIVACY_URL, conversation, responses, texts


def requested(slot: str | None) -> dict:
    return SlotSet("requested_slot", slot)


def answer(name: str, text: str | None = None, **kwargs):
    """A recorded form tracker whose latest message answers the requested slot.

    The enquiry slots have custom mappings: Rasa puts nothing in the slot, the
    validation action reads the text itself.
    """
    tracker = conversation(name, text, **kwargs)
    tracker.slots[tracker.slots["requested_slot"]] = None
    return tracker


def slot_events(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


# --- preparing the form --------------------------------------------------------


async def test_prepare_starts_a_fresh_run_and_fills_what_the_conversation_knows(dispatcher, domain):
    tracker = conversation("enquiry_start_course")
    events = await ActionPrepareEnquiry().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_enquiry_intro"]
    assert events[: len(FORM_SLOTS)] == [SlotSet(slot, None) for slot in FORM_SLOTS]
    filled = slot_events(events)
    # "I'd like to enquire about MA-201": the course named now is the one the enquiry is about.
    assert filled["courses_of_interest"] == ["MA-201"]
    assert filled["enquiry_interest"] == "medical administration"
    # the time of the visitor's message that started this run
    assert filled["enquiry_run"] == str(tracker.get_last_event_for("user")["timestamp"])
    assert (filled["enquiry_location"], filled["enquiry_team_size"]) == ("London", "20")
    assert filled["requested_slot"] is None


async def test_prepare_keeps_the_details_typed_in_the_opening_message(dispatcher, domain):
    tracker = conversation(
        "enquiry_start_course",
        "I'm Jo Bloggs, jo@example.com, 07400 123456, interested in Medical Billing and Coding",
        slots={"courses_of_interest": None, "location": None, "team_size": None},
    )

    filled = slot_events(await ActionPrepareEnquiry().run(dispatcher, tracker, domain))

    assert (filled["enquiry_name"], filled["enquiry_email"], filled["enquiry_phone"]) == (
        "Jo Bloggs",
        "jo@example.com",
        "+447400123456",
    )
    assert filled["enquiry_consent"] is None  # consent is still asked first
    assert len(filled["courses_of_interest"]) == 1


async def test_prepare_an_in_house_enquiry_from_the_words(dispatcher, domain):
    tracker = conversation(
        "enquiry_start_course",
        "we'd like training delivered at our hospital for the whole team",
        entities=[],
        slots={"courses_of_interest": None, "location": None, "team_size": None},
    )

    filled = slot_events(await ActionPrepareEnquiry().run(dispatcher, tracker, domain))

    assert filled["delivery"] == "in-house"
    assert filled["enquiry_interest"] == "in-house training"


async def test_prepare_uses_the_field_discussed_when_no_course_is_named(dispatcher, domain):
    tracker = conversation(
        "enquiry_start_course",
        "can I leave my details?",
        entities=[],
        slots={"courses_of_interest": None, "location": None, "team_size": None, "field": "healthcare management"},
    )

    filled = slot_events(await ActionPrepareEnquiry().run(dispatcher, tracker, domain))

    assert filled["enquiry_interest"] == "healthcare management"
    assert filled["courses_of_interest"] is None


# --- each answer -------------------------------------------------------------------


async def test_consent_yes_is_recorded_with_its_time(dispatcher, domain):
    before = datetime.now(timezone.utc)

    events = await ValidateEnquiryForm().run(dispatcher, answer("enquiry_form_consent", "sure, go ahead"), domain)

    assert dispatcher.messages == []
    filled = slot_events(events)
    assert filled["enquiry_consent"] == "given"
    given_at = datetime.fromisoformat(filled["enquiry_consent_at"])
    assert before <= given_at <= datetime.now(timezone.utc) + timedelta(seconds=1)
    assert events[-1] == requested("enquiry_name")


async def test_refused_consent_says_what_is_kept_clears_everything_and_ends_the_form(dispatcher, domain):
    tracker = answer("enquiry_form_consent", "no thanks", intent="deny")

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert texts(dispatcher) == [refusal_notice(ADMISSIONS_EMAIL, 730, PRIVACY_URL)]
    assert events == [*(SlotSet(slot, None) for slot in FORM_SLOTS), requested(None), ActiveLoop(None)]


async def test_an_email_nlu_reads_as_cancel_is_stored_and_the_form_goes_on(dispatcher, domain):
    tracker = answer("enquiry_form_email", "Cancel@Example.org", intent="cancel", confidence=0.99)

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert dispatcher.messages == []
    assert slot_events(events)["enquiry_email"] == "cancel@example.org"
    assert events[-1] == requested("enquiry_phone")


async def test_every_turn_sets_a_slot_so_rasa_never_hands_the_text_to_another_intent(dispatcher, domain):
    tracker = answer("enquiry_form_email", "hmm", intent="nlu_fallback", confidence=0.2)

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert any(e["event"] == "slot" and e["name"] != "requested_slot" for e in events)
    assert events[-1] == requested("enquiry_email")


async def test_stop_asks_first(dispatcher, domain):
    events = await ValidateEnquiryForm().run(dispatcher, answer("enquiry_form_email", "never mind"), domain)

    assert dispatcher.messages == []
    assert slot_events(events)["enquiry_stop"] == "enquiry_email"
    assert events[-1] == requested("enquiry_stop")


async def test_yes_to_stop_ends_the_form_with_nothing_kept_in_it(dispatcher, domain):
    tracker = conversation(
        "enquiry_form_email", "Yes, stop", slots={"requested_slot": "enquiry_stop", "enquiry_stop": "enquiry_email"}
    )

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert "Nothing was sent" in texts(dispatcher)[0]
    assert events == [*(SlotSet(slot, None) for slot in FORM_SLOTS), requested(None), ActiveLoop(None)]


async def test_a_side_question_is_answered_and_the_question_asked_again(dispatcher, domain):
    tracker = answer("enquiry_form_email", "are you a bot?", intent="bot_challenge", confidence=0.97)

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_iamabot"]
    assert events[-1] == requested("enquiry_email")


async def test_a_course_question_in_the_form_is_answered_from_the_catalogue(dispatcher, domain):
    tracker = answer(
        "enquiry_form_email", "do you run any billing courses in London?", intent="recommend_course", confidence=0.95
    )

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert "London" in " ".join(t or "" for t in texts(dispatcher))
    assert "courses_shown" in slot_events(events)
    assert events[-1] == requested("enquiry_email")


async def test_why_an_email_is_needed(dispatcher, domain):
    tracker = answer("enquiry_form_email", "why do you need my email?", intent="explain_why")

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_explain_enquiry_email"]
    assert events[-1] == requested("enquiry_email")


@pytest.mark.parametrize(
    ("slots", "next_question"),
    [
        ({}, "enquiry_location"),
        ({"delivery": "in-house"}, "enquiry_organisation"),
        ({"courses_of_interest": ["IH-302"]}, "enquiry_organisation"),
    ],
)
async def test_organisation_and_team_size_are_asked_only_for_in_house(dispatcher, domain, slots, next_question):
    tracker = answer("enquiry_form_email", "skip", slots={"requested_slot": "enquiry_phone", **slots})
    tracker.slots["enquiry_email"] = "jo@example.org"

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert events[-1] == requested(next_question)


async def test_a_broken_catalogue_does_not_stop_the_form(dispatcher, domain, monkeypatch):
    def broken():
        raise CatalogueError(["data/courses.yml: course #1: code: missing"], path="data/courses.yml")

    monkeypatch.setattr(dependencies, "catalogue", broken)
    tracker = answer("enquiry_form_email", "jo@example.org")

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert slot_events(events)["enquiry_email"] == "jo@example.org"


# --- the summary ---------------------------------------------------------------------


async def test_typed_send_it_confirms_and_completes_the_form(dispatcher, domain):
    events = await ValidateEnquiryForm().run(
        dispatcher, answer("enquiry_form_confirm", "that's right, send it"), domain
    )

    assert dispatcher.messages == []
    assert slot_events(events)["enquiry_confirm"] == "confirmed"
    assert events[-1] == requested(None)


async def test_change_email_button_asks_for_the_email_again(dispatcher, domain):
    events = await ValidateEnquiryForm().run(dispatcher, answer("enquiry_form_confirm", "Change email"), domain)

    assert slot_events(events)["enquiry_email"] is None
    assert events[-1] == requested("enquiry_email")


async def test_ask_enquiry_confirm_shows_the_lead_with_buttons_whose_payload_is_their_title(dispatcher, domain):
    tracker = conversation("enquiry_form_confirm", slots={"enquiry_confirm": None})

    events = await ActionAskEnquiryConfirm().run(dispatcher, tracker, domain)

    assert events == []
    assert texts(dispatcher) == [
        "This is what I'll send to admissions:\n"
        "Name: Jo Bloggs\n"
        "Email: jo@example.org\n"
        "Phone: +447911123456\n"
        "Courses: Medical Billing and Coding (MA-201)\n"
        "Interest: medical administration\n"
        "Location: London"
    ]
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["title"] for b in buttons] == [
        "Send it",
        "Change name",
        "Change email",
        "Change phone",
        "Change interest",
        "Change location",
        "Change message",
    ]
    assert all(b["payload"] == b["title"] for b in buttons)


async def test_ask_enquiry_consent_shows_the_privacy_notice(dispatcher, domain):
    events = await ActionAskEnquiryConsent().run(dispatcher, conversation("enquiry_form_consent"), domain)

    assert events == []
    assert texts(dispatcher) == [privacy_notice(ADMISSIONS_EMAIL, 730, PRIVACY_URL)]
    assert dispatcher.messages[0]["buttons"] == [
        {"title": "Yes, I agree", "payload": "Yes, I agree"},
        {"title": "No thanks", "payload": "No thanks"},
    ]


# --- submitting ------------------------------------------------------------------------


def cleared_personal_slots(reference: str) -> list[dict]:
    return [*(SlotSet(slot, None) for slot in PERSONAL_SLOTS), SlotSet("last_enquiry_reference", reference)]


async def test_a_confirmed_enquiry_is_stored_with_consent_courses_and_transcript(dispatcher, domain, repository):
    confirmed = conversation("enquiry_confirmed")
    events = await ActionSubmitEnquiry().run(dispatcher, confirmed, domain)

    (lead,) = repository.list_leads()
    assert dispatcher.messages[0]["response"] == "utter_enquiry_received"
    assert dispatcher.messages[0]["reference"] == lead.reference
    assert dispatcher.messages[0]["name"] == "Jo Bloggs"
    assert events == cleared_personal_slots(lead.reference)

    detail = repository.get(lead.id)
    assert (detail.name, detail.email, detail.phone) == ("Jo Bloggs", "jo@example.org", "+447911123456")
    assert (detail.location, detail.message, detail.interest_field) == ("London", None, "medical administration")
    assert detail.conversation_id == "test-enquiry_confirmed"
    assert [(c.code, c.title) for c in detail.courses] == [("MA-201", "Medical Billing and Coding")]
    assert detail.consent.notice_version == "2026-11"
    assert detail.consent.notice_url == PRIVACY_URL
    # the time the form recorded when the visitor said yes to the consent question
    consented = datetime.fromisoformat(confirmed.slots["enquiry_consent_at"])
    assert detail.consent.given_at.replace(tzinfo=timezone.utc) == consented.astimezone(timezone.utc)
    first_message = next(e for e in confirmed.events if e["event"] == "user")
    assert detail.transcript[0] == {
        "sender": "visitor",
        "text": "I'd like to enquire about MA-201",
        "at": datetime.fromtimestamp(first_message["timestamp"], timezone.utc).isoformat(),
    }
    assert {turn["sender"] for turn in detail.transcript} == {"visitor", "bot"}


async def test_the_same_enquiry_submitted_twice_is_stored_once(dispatcher, domain, repository):
    first = await ActionSubmitEnquiry().run(dispatcher, conversation("enquiry_confirmed"), domain)
    second = await ActionSubmitEnquiry().run(dispatcher, conversation("enquiry_confirmed"), domain)

    assert repository.count() == 1
    assert first == second
    assert dispatcher.messages[0]["reference"] == dispatcher.messages[1]["reference"]


async def test_a_new_run_of_the_form_is_a_new_enquiry(dispatcher, domain, repository):
    await ActionSubmitEnquiry().run(dispatcher, conversation("enquiry_confirmed"), domain)
    await ActionSubmitEnquiry().run(
        dispatcher, conversation("enquiry_confirmed", slots={"enquiry_run": "1764189999.0"}), domain
    )

    assert repository.count() == 2
    assert dispatcher.messages[0]["reference"] != dispatcher.messages[1]["reference"]


@pytest.mark.parametrize(
    "slots",
    [{"enquiry_confirm": None}, {"enquiry_consent": None}, {"enquiry_confirm": None, "enquiry_consent": None}],
)
async def test_nothing_is_stored_without_confirmation_and_consent(dispatcher, domain, repository, slots):
    events = await ActionSubmitEnquiry().run(dispatcher, conversation("enquiry_confirmed", slots=slots), domain)

    assert events == []
    assert dispatcher.messages == []
    assert repository.count() == 0


async def test_retry_with_nothing_pending_says_so(dispatcher, domain, repository):
    tracker = conversation(
        "enquiry_confirmed", "/retry_enquiry", intent="retry_enquiry", slots={"enquiry_confirm": None}
    )

    events = await ActionSubmitEnquiry().run(dispatcher, tracker, domain)

    assert events == []
    assert responses(dispatcher) == ["utter_no_pending_enquiry"]
    assert repository.count() == 0


async def test_an_enquiry_without_a_consent_time_is_rejected(dispatcher, domain, repository):
    tracker = conversation("enquiry_confirmed", slots={"enquiry_consent_at": None})

    events = await ActionSubmitEnquiry().run(dispatcher, tracker, domain)

    assert events == []
    assert responses(dispatcher) == ["utter_enquiry_rejected"]
    assert repository.count() == 0


async def test_an_unavailable_store_keeps_the_answers_for_a_retry(
    dispatcher, domain, repository, tmp_path, monkeypatch
):
    # SQLite cannot open a database in a directory that does not exist: the store is unavailable.
    office = BackOffice.from_settings(Settings(database_url=f"sqlite:///{tmp_path / 'no' / 'leads.db'}"))
    unreachable = office.leads()
    monkeypatch.setattr(dependencies, "lead_repository", lambda: unreachable)

    events = await ActionSubmitEnquiry().run(dispatcher, conversation("enquiry_confirmed"), domain)

    assert events == []  # no SlotSet: every answer is still there for the retry
    assert responses(dispatcher) == ["utter_enquiry_store_failed"]
    office.close()

    monkeypatch.setattr(dependencies, "lead_repository", lambda: repository)
    retry = conversation("enquiry_confirmed", "/retry_enquiry", intent="retry_enquiry")
    events = await ActionSubmitEnquiry().run(dispatcher, retry, domain)

    (lead,) = repository.list_leads()
    assert responses(dispatcher) == ["utter_enquiry_store_failed", "utter_enquiry_received"]
    assert events == cleared_personal_slots(lead.reference)


async def test_a_broken_catalogue_never_costs_a_lead(dispatcher, domain, repository, monkeypatch):
    def broken():
        raise CatalogueError(["data/courses.yml: course #1: code: missing"], path="data/courses.yml")

    monkeypatch.setattr(dependencies, "catalogue", broken)

    await ActionSubmitEnquiry().run(dispatcher, conversation("enquiry_confirmed"), domain)

    (lead,) = repository.list_leads()
    assert responses(dispatcher) == ["utter_enquiry_received"]
    assert [(c.code, c.title) for c in repository.get(lead.id).courses] == [("MA-201", "")]


async def test_the_stored_lead_equals_the_summary_shown(dispatcher, domain, repository):
    summary = await ActionAskEnquiryConfirm().run(dispatcher, conversation("enquiry_confirmed"), domain)
    await ActionSubmitEnquiry().run(dispatcher, conversation("enquiry_confirmed"), domain)

    assert summary == []
    shown = dict(line.split(": ", 1) for line in dispatcher.messages[0]["text"].splitlines()[1:])
    (lead,) = repository.list_leads()
    detail = repository.get(lead.id)
    assert shown == {
        "Name": detail.name,
        "Email": detail.email,
        "Phone": detail.phone,
        "Courses": "; ".join(f"{c.title} ({c.code})" for c in detail.courses),
        "Interest": detail.interest_field,
        "Location": detail.location,
    }
