"""The enquiry form: preparing it, validating answers, the consent and summary
questions, and storing the lead once (a real LeadRepository on SQLite)."""

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
from bot.catalogue import CatalogueError
from bot.enquiry import privacy_notice
from bot.leads.repository import LeadRepository
from bot.leads.validation import validate_phone
from bot.settings import Settings
from tests.actions.conftest import ADMISSIONS_EMAIL, PRIVACY_URL, conversation, responses, texts

ADMISSIONS_OFFER = (
    f"If it's easier, you can email admissions directly at {ADMISSIONS_EMAIL}, or type 'cancel' to stop here."
)
SKIP_OFFER = "Let's skip that one; admissions can ask you about it."
NOT_AN_EMAIL = "An email address needs an @ sign, for example name@hospital.nhs.uk. Could you check it?"
DOMAIN_SLOTS = [
    "enquiry_consent",
    "enquiry_name",
    "enquiry_email",
    "enquiry_phone",
    "enquiry_interest",
    "enquiry_organisation",
    "enquiry_team_size",
    "enquiry_location",
    "enquiry_message",
    "enquiry_confirm",
]


def requested(slot: str | None) -> dict:
    return SlotSet("requested_slot", slot)


# --- preparing the form --------------------------------------------------------


async def test_prepare_fills_what_the_conversation_already_knows(dispatcher, domain):
    events = await ActionPrepareEnquiry().run(dispatcher, conversation("enquiry_start_course"), domain)

    assert responses(dispatcher) == ["utter_enquiry_intro"]
    assert events == [
        SlotSet("courses_of_interest", ["MA-204", "MA-201"]),
        *(SlotSet(slot, None) for slot in FORM_SLOTS),
        SlotSet("enquiry_interest", "Scheduling and Patient Flow (MA-204); Medical Billing and Coding (MA-201)"),
        SlotSet("enquiry_run", "1764180020.0"),  # the time of the visitor's message that started this run
        SlotSet("enquiry_location", "London"),
        SlotSet("enquiry_team_size", "20"),
    ]


async def test_prepare_an_in_house_enquiry_from_a_button(dispatcher, domain):
    tracker = conversation(
        "enquiry_start_course",
        '/enquire{"delivery":"in-house"}',
        entities=[{"entity": "delivery", "value": "in-house"}],
        slots={"courses_of_interest": None, "location": None, "team_size": None},
    )

    events = await ActionPrepareEnquiry().run(dispatcher, tracker, domain)

    assert events == [
        SlotSet("delivery", "in-house"),
        *(SlotSet(slot, None) for slot in FORM_SLOTS),
        SlotSet("enquiry_interest", "in-house training for my team"),
        SlotSet("enquiry_run", "1764180020.0"),
    ]


async def test_prepare_reads_an_in_house_request_from_the_words(dispatcher, domain):
    tracker = conversation(
        "enquiry_start_course",
        "I'd like training for our staff",
        entities=[],
        slots={"courses_of_interest": None, "location": None, "team_size": None},
    )

    events = await ActionPrepareEnquiry().run(dispatcher, tracker, domain)

    assert events[0] == SlotSet("delivery", "in-house")
    assert SlotSet("enquiry_interest", "in-house training for my team") in events


async def test_prepare_an_online_enquiry_about_a_field(dispatcher, domain):
    tracker = conversation(
        "enquiry_start_course",
        "I'd like to enquire",
        entities=[],
        slots={"courses_of_interest": None, "location": None, "team_size": None, "delivery": "online",
               "field": "medical administration"},
    )  # fmt: skip

    events = await ActionPrepareEnquiry().run(dispatcher, tracker, domain)

    assert events[-3:] == [
        SlotSet("enquiry_interest", "medical administration"),
        SlotSet("enquiry_run", "1764180020.0"),
        SlotSet("enquiry_location", "online"),
    ]


async def test_prepare_ignores_an_unknown_course(dispatcher, domain):
    tracker = conversation(
        "enquiry_start_course", "enquire about XX-999", entities=[{"entity": "course", "value": "XX-999"}]
    )

    events = await ActionPrepareEnquiry().run(dispatcher, tracker, domain)

    assert SlotSet("enquiry_interest", "Scheduling and Patient Flow (MA-204)") in events
    assert not any(e["name"] == "courses_of_interest" for e in events)


# --- consent -------------------------------------------------------------------


async def test_consent_yes_is_recorded_with_its_time(dispatcher, domain):
    before = datetime.now(timezone.utc)

    events = await ValidateEnquiryForm().run(dispatcher, conversation("enquiry_form_consent"), domain)

    assert dispatcher.messages == []
    assert events[:2] == [SlotSet("enquiry_consent", "given"), SlotSet("form_failures", None)]
    assert events[2]["name"] == "enquiry_consent_at"
    given_at = datetime.fromisoformat(events[2]["value"])
    assert given_at.tzinfo is not None
    assert before <= given_at <= datetime.now(timezone.utc) + timedelta(seconds=1)
    assert events[3:] == [requested("enquiry_name")]


@pytest.mark.parametrize("delivery", [None, "in-house"])
async def test_consent_no_clears_everything_and_ends_the_form(dispatcher, domain, delivery):
    tracker = conversation("enquiry_form_consent", "no thanks", intent="deny", slots={"delivery": delivery})

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_consent_refused"]
    assert events == [*(SlotSet(slot, None) for slot in FORM_SLOTS), requested(None), ActiveLoop(None)]


async def test_an_unclear_consent_answer_is_asked_again(dispatcher, domain):
    tracker = conversation("enquiry_form_consent", "what do you mean?", intent="nlu_fallback", confidence=0.3)

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert texts(dispatcher) == ["Please answer yes or no: may I store your details?"]
    assert events == [
        SlotSet("enquiry_consent", None),
        SlotSet("form_failures", {"enquiry_consent": 1}),
        requested("enquiry_consent"),
    ]


# --- email and phone -------------------------------------------------------------


async def test_a_valid_email_is_stored_in_lower_case(dispatcher, domain):
    events = await ValidateEnquiryForm().run(dispatcher, conversation("enquiry_form_email"), domain)

    assert dispatcher.messages == []
    assert events == [
        SlotSet("enquiry_email", "jo@example.org"),
        SlotSet("form_failures", None),
        requested("enquiry_phone"),
    ]


async def test_an_invalid_email_is_explained_and_asked_again(dispatcher, domain):
    events = await ValidateEnquiryForm().run(dispatcher, conversation("enquiry_form_email", "jo at example"), domain)

    assert texts(dispatcher) == [NOT_AN_EMAIL]
    assert events == [
        SlotSet("enquiry_email", None),
        SlotSet("form_failures", {"enquiry_email": 1}),
        requested("enquiry_email"),
    ]


async def test_the_third_invalid_email_offers_the_admissions_address(dispatcher, domain):
    tracker = conversation("enquiry_form_email", "jo at example", slots={"form_failures": {"enquiry_email": 2}})

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert texts(dispatcher) == [NOT_AN_EMAIL, ADMISSIONS_OFFER]
    assert events == [
        SlotSet("enquiry_email", None),
        SlotSet("form_failures", {"enquiry_email": 3}),
        requested("enquiry_email"),
    ]


def phone_answer(text: str, **slots):
    return conversation(
        "enquiry_form_email",
        text,
        slots={"requested_slot": "enquiry_phone", "enquiry_email": "jo@example.org", **slots},
    )


@pytest.mark.parametrize(
    ("text", "stored"),
    [("07911 123456", "+447911123456"), ("+33 1 42 68 53 00", "+33142685300"), ("skip", "skipped")],
)
async def test_phone_is_stored_in_e164_or_skipped(dispatcher, domain, text, stored):
    events = await ValidateEnquiryForm().run(dispatcher, phone_answer(text), domain)

    assert dispatcher.messages == []
    assert events == [SlotSet("enquiry_phone", stored), SlotSet("form_failures", None), requested("enquiry_location")]


async def test_the_third_invalid_phone_number_is_skipped(dispatcher, domain):
    tracker = phone_answer("12", form_failures={"enquiry_phone": 2})

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert texts(dispatcher) == [validate_phone("12").error, SKIP_OFFER]
    assert events == [
        SlotSet("enquiry_phone", "skipped"),
        SlotSet("form_failures", {"enquiry_phone": 0}),
        requested("enquiry_location"),
    ]


async def test_why_an_email_is_needed(dispatcher, domain):
    tracker = conversation("enquiry_form_email", "why do you need my email?", intent="explain_why")

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_explain_enquiry_email"]
    assert events == [SlotSet("enquiry_email", None)]


async def test_a_side_question_during_the_form_is_answered(dispatcher, domain):
    tracker = conversation("enquiry_form_email", "are you a bot?", intent="bot_challenge", confidence=0.97)

    events = await ValidateEnquiryForm().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_iamabot"]
    assert events == [SlotSet("enquiry_email", None)]


async def test_cancel_clears_every_answer_and_ends_the_form(dispatcher, domain):
    events = await ValidateEnquiryForm().run(dispatcher, conversation("enquiry_form_email", "cancel"), domain)

    assert responses(dispatcher) == ["utter_enquiry_cancelled"]
    assert events == [
        *(SlotSet(slot, None) for slot in FORM_SLOTS),
        SlotSet("form_failures", None),
        requested(None),
        ActiveLoop(None),
    ]


# --- which questions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("slots", "in_house"),
    [
        ({}, False),
        ({"delivery": "online"}, False),
        ({"delivery": "in-house"}, True),
        ({"courses_of_interest": ["MA-201", "IH-302"]}, True),
    ],
)
async def test_organisation_and_team_size_are_asked_only_for_in_house(dispatcher, domain, slots, in_house):
    tracker = conversation("enquiry_form_email", slots=slots)

    required = await ValidateEnquiryForm().required_slots(DOMAIN_SLOTS, dispatcher, tracker, domain)

    expected = [s for s in DOMAIN_SLOTS if in_house or s not in ("enquiry_organisation", "enquiry_team_size")]
    assert required == expected


# --- the summary ---------------------------------------------------------------------


def confirm_answer(text: str, **kwargs):
    return conversation("enquiry_form_confirm", text, **kwargs)


async def test_send_it_confirms_and_completes_the_form(dispatcher, domain):
    events = await ValidateEnquiryForm().run(dispatcher, confirm_answer("send it"), domain)

    assert dispatcher.messages == []
    assert events == [
        SlotSet("enquiry_confirm", "confirmed"),
        SlotSet("form_failures", None),
        requested(None),
        ActiveLoop(None),
    ]


async def test_change_email_asks_for_the_email_again(dispatcher, domain):
    events = await ValidateEnquiryForm().run(dispatcher, confirm_answer("change email"), domain)

    assert dispatcher.messages == []
    assert events == [SlotSet("enquiry_confirm", None), SlotSet("enquiry_email", None), requested("enquiry_email")]


async def test_no_at_the_summary_asks_what_to_change(dispatcher, domain):
    events = await ValidateEnquiryForm().run(dispatcher, confirm_answer("no", intent="deny"), domain)

    assert texts(dispatcher) == ["Which detail would you like to change?"]
    assert events == [SlotSet("enquiry_confirm", None), requested("enquiry_confirm")]


async def test_an_unclear_answer_at_the_summary(dispatcher, domain):
    events = await ValidateEnquiryForm().run(dispatcher, confirm_answer("hmm"), domain)

    assert texts(dispatcher) == ["Say 'send it' to send, or 'change' and the detail to change."]
    assert events == [
        SlotSet("enquiry_confirm", None),
        SlotSet("form_failures", {"enquiry_confirm": 1}),
        requested("enquiry_confirm"),
    ]


async def test_ask_enquiry_confirm_shows_the_summary_with_change_buttons(dispatcher, domain):
    tracker = conversation("enquiry_form_confirm", slots={"enquiry_confirm": None})

    events = await ActionAskEnquiryConfirm().run(dispatcher, tracker, domain)

    assert events == []
    assert texts(dispatcher) == [
        "This is what I'll send to admissions:\n"
        "Name: Jo Bloggs\n"
        "Email: jo@example.org\n"
        "Phone: +447911123456\n"
        "Interest: Medical Billing and Coding (MA-201)\n"
        "Location: London"
    ]
    assert dispatcher.messages[0]["buttons"] == [
        {"title": "Send it", "payload": "yes, send it"},
        {"title": "Change name", "payload": "change name"},
        {"title": "Change email", "payload": "change email"},
        {"title": "Change phone", "payload": "change phone"},
        {"title": "Change interest", "payload": "change interest"},
        {"title": "Change location", "payload": "change location"},
    ]


async def test_ask_enquiry_consent_shows_the_privacy_notice(dispatcher, domain):
    events = await ActionAskEnquiryConsent().run(dispatcher, conversation("enquiry_form_consent"), domain)

    assert events == []
    assert texts(dispatcher) == [privacy_notice(ADMISSIONS_EMAIL, 730, PRIVACY_URL)]
    assert "We keep it for up to 2 years, then delete it." in texts(dispatcher)[0]
    assert dispatcher.messages[0]["buttons"] == [
        {"title": "Yes, I agree", "payload": "yes, I agree"},
        {"title": "No thanks", "payload": "no"},
    ]


# --- submitting ------------------------------------------------------------------------


def cleared_personal_slots(reference: str) -> list[dict]:
    return [*(SlotSet(slot, None) for slot in PERSONAL_SLOTS), SlotSet("last_enquiry_reference", reference)]


async def test_a_confirmed_enquiry_is_stored_with_consent_courses_and_transcript(dispatcher, domain, repository):
    events = await ActionSubmitEnquiry().run(dispatcher, conversation("enquiry_confirmed"), domain)

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
    assert detail.consent.given_at.replace(tzinfo=timezone.utc) == datetime(
        2025, 11, 26, 18, 0, 11, tzinfo=timezone.utc
    )
    assert detail.transcript[0] == {
        "sender": "visitor",
        "text": "I'd like to enquire about MA-201",
        "at": "2025-11-26T18:00:01+00:00",
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
    unreachable = LeadRepository.from_settings(Settings(database_url=f"sqlite:///{tmp_path / 'no' / 'leads.db'}"))
    monkeypatch.setattr(dependencies, "lead_repository", lambda: unreachable)

    events = await ActionSubmitEnquiry().run(dispatcher, conversation("enquiry_confirmed"), domain)

    assert events == []  # no SlotSet: every answer is still there for the retry
    assert responses(dispatcher) == ["utter_enquiry_store_failed"]
    unreachable.close()

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
