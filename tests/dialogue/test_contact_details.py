"""bot.dialogue.contact_details: reading typed names, emails, phones and short replies."""

from __future__ import annotations

import pytest

from bot.dialogue.contact_details import (
    Correction,
    find_emails,
    find_name,
    find_phones,
    is_question,
    is_skip,
    is_stop,
    parse_correction,
    parse_email,
    parse_name,
    parse_phone,
    without_contact_details,
    yes_or_no,
)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Will Turner", "Will Turner"),
        ("Faith Doctor", "Faith Doctor"),
        ("Hope Mills", "Hope Mills"),
        ("Grace", "Grace"),
        ("my name is Siobhán O'Neill", "Siobhán O'Neill"),
        ("I'm Jo Smith-Jones", "Jo Smith-Jones"),
        ("it's Zoë", "Zoë"),
        ("sorry, my name is actually Mark Bill", "Mark Bill"),
        ("jo bloggs", "jo bloggs"),
        ("Dr. Amara Okafor", "Dr. Amara Okafor"),
        ("Sunny  Nurse.", "Sunny Nurse"),
        ("O\u2019Brien", "O'Brien"),
        ("Visitor A", "Visitor A"),
        ("Jo J. Bloggs", "Jo J. Bloggs"),
    ],
)
def test_names_that_look_like_words_are_accepted(text, name):
    assert parse_name(text).value == name


@pytest.mark.parametrize(
    "text",
    [
        "what is the difference between the two fields?",
        "how long is the course",
        "no",
        "I don't want to give my name",
        "jo@example.com",
        "07400 123456",
        "",
        "will it be online?",
        "can you tell me about fees first",
    ],
)
def test_sentences_questions_and_other_details_are_not_names(text):
    parsed = parse_name(text)
    assert not parsed.ok and parsed.error


def test_find_name_needs_a_lead_in_and_a_capital():
    assert find_name("Hi, I'm Jo Bloggs, jo@example.com, 07400 123456") == "Jo Bloggs"
    assert find_name("My name is Will Turner and I'd like a call") == "Will Turner"
    assert find_name("I'm looking for a billing course") is None
    assert find_name("I am interested in the CMOM course") is None


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("cancel@example.com", "cancel@example.com"),
        ("it's Help@Example.org", "help@example.org"),
        ("my email: no@example.co.uk.", "no@example.co.uk"),
        ("<stop@example.net>", "stop@example.net"),
    ],
)
def test_emails_whose_local_part_is_a_word_are_read(text, email):
    assert parse_email(text).value == email


@pytest.mark.parametrize("text", ["jo.example.com", "jo@", "jo@example", "my email"])
def test_bad_emails_say_why(text):
    parsed = parse_email(text)
    assert not parsed.ok and parsed.error


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("07400 123456", "+447400123456"),
        ("+44 7400 123456", "+447400123456"),
        ("020 7946 0018", "+442079460018"),
        ("call me on +33 1 42 68 53 00 please", "+33142685300"),
    ],
)
def test_uk_and_international_phones(text, phone):
    assert parse_phone(text).value == phone


@pytest.mark.parametrize("text", ["0740", "12345678901234567", "call me"])
def test_bad_phones_say_why(text):
    parsed = parse_phone(text)
    assert not parsed.ok and parsed.error


def test_everything_in_one_message_is_found_and_can_be_taken_out():
    text = "I'm Jo Bloggs, jo@example.com, 07400 123456, interested in the CMOM course"
    assert find_emails(text) == ["jo@example.com"]
    assert find_phones(text) == ["+447400123456"]
    assert without_contact_details(text) == "I'm Jo Bloggs, , interested in the CMOM course"


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("yes", True),
        ("Yes, I agree", True),
        ("sure, that's fine", True),
        ("that's right, send it", True),
        ("send it", True),
        ("Send it", True),
        ("looks good, send", True),
        ("ok go ahead", True),
        ("Yes, stop", True),
        ("no", False),
        ("No thanks", False),
        ("no thanks, I'd rather not", False),
        ("No, carry on", False),
        ("maybe", None),
        ("jo@example.com", None),
    ],
)
def test_yes_or_no(text, answer):
    assert yes_or_no(text) is answer


@pytest.mark.parametrize(
    "text",
    [
        "no",
        "nothing",
        "that's all",
        "No, that's all.",
        "no thanks",
        "Nothing to add",
        "skip",
        "No preference",
        "nothing, that's all",
        "no thanks, that's it",
        "nope, nothing else. thanks!",
        "Skip.",
        "No thank you!",
        "I'd rather not",
        "rather not",
        "none",
        "N/A",
    ],
)
def test_nothing_to_add_is_a_skip(text):
    assert is_skip(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd like a weekend date",
        "Nothing before March please",
        "no weekends, thanks",
        "thanks",
        "07911 123456",
        "not now, later maybe",
        "",
        None,
        "nobody",
    ],
)
def test_a_real_message_is_not_a_skip(text):
    assert not is_skip(text)


@pytest.mark.parametrize("text", ["cancel", "Stop", "never mind", "I don't want to", "forget it", "stop the enquiry"])
def test_explicit_stops(text):
    assert is_stop(text)


@pytest.mark.parametrize("text", ["cancel@example.com", "Will Stop", "stop@example.org", "no", "send it"])
def test_answers_that_contain_stop_words_are_not_stops(text):
    assert not is_stop(text)


@pytest.mark.parametrize(
    ("text", "correction"),
    [
        ("my email is actually jo@example.org", Correction("enquiry_email", "jo@example.org")),
        ("sorry, my name is actually Will Turner", Correction("enquiry_name", "Will Turner")),
        ("change my phone", Correction("enquiry_phone", None)),
        ("Change name", Correction("enquiry_name", None)),
        ("Change email", Correction("enquiry_email", None)),
        ("wrong name", Correction("enquiry_name", None)),
        ("change my phone number to 07400 123456", Correction("enquiry_phone", "07400 123456")),
        ("the location is wrong", Correction("enquiry_location", None)),
    ],
)
def test_corrections(text, correction):
    assert parse_correction(text) == correction


@pytest.mark.parametrize("text", ["Will Turner", "jo@example.com", "I'd like to change careers", "yes"])
def test_answers_are_not_corrections(text):
    assert parse_correction(text) is None


def test_question_shape():
    assert is_question("how long is the course?")
    assert is_question("what does a medical administrator do")
    assert not is_question("Will Turner")
    assert not is_question("London")
