"""bot.dialogue.enquiry_form: one turn of the enquiry form, decided from typed text."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.dialogue.enquiry_form import (
    CONFIRM,
    CONSENT,
    EMAIL,
    FAILURES_SLOT,
    INTEREST,
    LOCATION,
    MESSAGE,
    NAME,
    PHONE,
    SKIPPED,
    STOP_SLOT,
    FormInput,
    Interest,
    Reply,
    decide_turn,
    next_slot,
    refusal_notice,
)

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)
FILLED = {
    CONSENT: "given",
    NAME: "Jo Bloggs",
    EMAIL: "jo@example.com",
    PHONE: SKIPPED,
    INTEREST: "medical administration",
    LOCATION: "London",
    MESSAGE: SKIPPED,
}


def read_interest(text: str) -> Interest:
    if "billing" in text.lower():
        return Interest(("MA-208",), "medical administration")
    return Interest()


def form(requested, text, slots=None, side=None, asks_why=False) -> FormInput:
    return FormInput(
        requested=requested,
        text=text,
        slots=dict(slots or {}),
        in_house=False,
        side_answer=(lambda: [Reply(response=side)]) if side else None,
        asks_why=asks_why,
        read_interest=read_interest,
        now=NOW,
        admissions_email="admissions@britishacademy.example",
        retention_days=730,
        notice_url="/privacy",
    )


def texts(turn) -> str:
    return " ".join(reply.text or reply.response or "" for reply in turn.replies)


@pytest.mark.parametrize("name", ["Will Turner", "Faith Doctor", "Hope Mills"])
def test_a_name_that_starts_like_a_known_word_is_the_name_even_if_nlu_reads_a_question(name):
    turn = decide_turn(form(NAME, name, {CONSENT: "given"}, side="utter_faq_discounts"))
    assert turn.updates[NAME] == name
    assert not turn.replies


def test_an_email_whose_local_part_is_a_word_is_the_email_not_a_cancel():
    turn = decide_turn(form(EMAIL, "cancel@example.com", {CONSENT: "given", NAME: "Jo"}))
    assert turn.updates[EMAIL] == "cancel@example.com"
    assert not turn.leave


def test_an_explicit_stop_asks_first_and_yes_leaves_without_a_lead():
    slots = {CONSENT: "given", NAME: "Jo"}
    asked = decide_turn(form(EMAIL, "never mind", slots))
    assert asked.updates == {STOP_SLOT: EMAIL} and not asked.leave
    assert next_slot({**slots, **asked.updates}, False) == STOP_SLOT

    stopped = decide_turn(form(STOP_SLOT, "yes", {**slots, **asked.updates}))
    assert stopped.leave
    assert "Nothing was sent" in texts(stopped)


def test_no_to_stop_carries_on_with_the_same_question():
    slots = {CONSENT: "given", NAME: "Jo", STOP_SLOT: EMAIL}
    turn = decide_turn(form(STOP_SLOT, "No, carry on", slots))
    assert turn.updates[STOP_SLOT] is None and not turn.leave
    assert next_slot({**slots, **turn.updates}, False) == EMAIL


def test_an_answer_instead_of_yes_or_no_to_stop_is_read_as_the_pending_answer():
    slots = {CONSENT: "given", NAME: "Jo", STOP_SLOT: EMAIL}
    turn = decide_turn(form(STOP_SLOT, "jo@example.com", slots))
    assert turn.updates == {STOP_SLOT: None, EMAIL: "jo@example.com"}


def test_a_side_question_is_answered_and_the_question_asked_again():
    turn = decide_turn(form(EMAIL, "what's the difference between the fields?", {CONSENT: "given"}, side="utter_d"))
    assert [r.response for r in turn.replies] == ["utter_d"]
    assert EMAIL not in turn.updates
    assert next_slot({CONSENT: "given", NAME: "Jo"}, False) == EMAIL


def test_everything_in_one_answer_fills_every_detail_found():
    turn = decide_turn(form(NAME, "Jo Bloggs, jo@example.com, 07400 123456", {CONSENT: "given"}))
    assert (turn.updates[NAME], turn.updates[EMAIL], turn.updates[PHONE]) == (
        "Jo Bloggs",
        "jo@example.com",
        "+447400123456",
    )


def test_consent_yes_records_the_time():
    turn = decide_turn(form(CONSENT, "sure, that's fine", {}))
    assert turn.updates[CONSENT] == "given"
    assert turn.updates["enquiry_consent_at"] == NOW.isoformat()


def test_refused_consent_says_exactly_what_is_kept_and_leaves():
    turn = decide_turn(form(CONSENT, "no thanks, I'd rather not", {}))
    assert turn.leave
    said = texts(turn)
    assert said == refusal_notice("admissions@britishacademy.example", 730, "/privacy")
    assert "no enquiry has been made" in said and "2 years" in said and "/privacy" in said
    assert "Nothing you say here is stored" not in said


@pytest.mark.parametrize("text", ["no", "nothing", "that's all", "no thanks", "No, that's all."])
def test_nothing_for_the_optional_message_stores_nothing(text):
    turn = decide_turn(form(MESSAGE, text, {**FILLED, MESSAGE: None}))
    assert turn.updates[MESSAGE] == SKIPPED


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        ("my email is actually jo.b@example.org", EMAIL, "jo.b@example.org"),
        ("sorry, my name is actually Joanna Bloggs", NAME, "Joanna Bloggs"),
    ],
)
def test_a_correction_at_the_summary_changes_one_field_and_returns_to_the_summary(text, slot, value):
    turn = decide_turn(form(CONFIRM, text, FILLED))
    assert turn.updates == {slot: value, CONFIRM: None}
    assert next_slot({**FILLED, **turn.updates}, False) == CONFIRM


@pytest.mark.parametrize("text", ["change my phone", "Change phone"])
def test_change_without_a_value_asks_that_question_then_the_summary(text):
    turn = decide_turn(form(CONFIRM, text, FILLED))
    assert turn.updates == {PHONE: None, CONFIRM: None}
    assert next_slot({**FILLED, **turn.updates}, False) == PHONE


def test_a_correction_mid_form_goes_on_with_the_pending_question():
    slots = {CONSENT: "given", NAME: "Jo", EMAIL: "jo@example.com"}
    turn = decide_turn(form(PHONE, "sorry, my name is actually Will Turner", slots))
    assert turn.updates[NAME] == "Will Turner"
    assert next_slot({**slots, **turn.updates}, False) == PHONE


@pytest.mark.parametrize("text", ["send it", "that's right, send it", "yes", "Send it", "looks good"])
def test_typed_confirmations_send(text):
    assert decide_turn(form(CONFIRM, text, FILLED)).updates == {CONFIRM: "confirmed"}


def test_the_third_bad_answer_to_a_required_question_gives_the_email_and_leaves():
    slots = {CONSENT: "given", NAME: "Jo"}
    for attempt in (1, 2):
        turn = decide_turn(form(EMAIL, "not an email", slots))
        assert not turn.leave
        slots[FAILURES_SLOT] = turn.updates[FAILURES_SLOT]
        assert slots[FAILURES_SLOT][EMAIL] == attempt
    third = decide_turn(form(EMAIL, "not an email", slots))
    assert third.leave
    assert "admissions@britishacademy.example" in texts(third)


def test_the_third_bad_answer_to_an_optional_question_skips_it():
    slots = {CONSENT: "given", NAME: "Jo", EMAIL: "jo@example.com", FAILURES_SLOT: {PHONE: 2}}
    turn = decide_turn(form(PHONE, "0740", slots))
    assert turn.updates[PHONE] == SKIPPED and not turn.leave


def test_a_good_answer_resets_the_failure_count():
    slots = {CONSENT: "given", NAME: "Jo", FAILURES_SLOT: {EMAIL: 2}}
    turn = decide_turn(form(EMAIL, "jo@example.com", slots))
    assert turn.updates[FAILURES_SLOT] is None


def test_an_interest_naming_a_course_stores_the_course_and_its_field():
    turn = decide_turn(form(INTEREST, "the medical billing one", {**FILLED, INTEREST: None}))
    assert turn.updates[INTEREST] == "medical administration"
    assert turn.updates["courses_of_interest"] == ["MA-208"]


def test_why_is_explained_and_the_question_stays():
    turn = decide_turn(form(PHONE, "why do you need my phone?", {CONSENT: "given"}, asks_why=True))
    assert [r.response for r in turn.replies] == ["utter_explain_enquiry_phone"]
    assert not turn.updates


@pytest.mark.parametrize(
    ("requested", "text", "slots"),
    [
        (CONSENT, "no", {}),
        (STOP_SLOT, "yes", {CONSENT: "given", STOP_SLOT: EMAIL}),
        (EMAIL, "nope", {CONSENT: "given", NAME: "Jo", FAILURES_SLOT: {EMAIL: 2}}),
    ],
)
def test_every_way_out_of_the_form_ends_with_a_next_step(requested, text, slots):
    turn = decide_turn(form(requested, text, slots))
    assert turn.leave
    assert turn.replies[-1].buttons
