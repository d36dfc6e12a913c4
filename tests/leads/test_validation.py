"""Contact-detail validation for the enquiry form."""

from __future__ import annotations

import pytest

from bot.leads.validation import (
    clean_text,
    validate_email,
    validate_message,
    validate_name,
    validate_phone,
    validate_short_text,
    validate_team_size,
)


def test_names():
    assert validate_name("  Priya   Shah ").value == "Priya Shah"
    assert validate_name("Siân O'Brien-Jones").value == "Siân O'Brien-Jones"


@pytest.mark.parametrize(
    ("text", "explains"),
    [
        ("", "didn't catch a name"),
        ("   ", "didn't catch a name"),
        (None, "didn't catch a name"),
        ("12345", "at least one letter"),
        ("priya@example.org", "looks like an email address"),
        ("P" * 201, "longer than I can store"),
    ],
)
def test_invalid_names_are_explained(text, explains):
    result = validate_name(text)
    assert not result.ok and result.value is None
    assert explains in result.error


def test_emails_are_normalised_to_lower_case():
    assert validate_email("  Priya.Shah@Example.NHS.UK ").value == "priya.shah@example.nhs.uk"


@pytest.mark.parametrize(
    ("text", "explains"),
    [
        ("", "didn't catch an email address"),
        ("priya.example.org", "needs an @ sign"),
        ("priya@example", "should have a period"),
        ("priya@@example.org", "doesn't look right"),
        ("pri ya@example.org", "doesn't look right"),
        ("priya@exa_mple.org", "doesn't look right"),
        ("a" * 250 + "@example.org", "longer than 254"),
    ],
)
def test_invalid_emails_are_explained(text, explains):
    result = validate_email(text)
    assert not result.ok
    assert explains in result.error


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("07911 123456", "+447911123456"),
        ("020 7946 0958", "+442079460958"),
        ("+44 (0)20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+33 1 42 68 53 00", "+33142685300"),
        ("+1 415-555-0132", "+14155550132"),
    ],
)
def test_phone_numbers_become_e164(text, e164):
    assert validate_phone(text).value == e164


def test_phone_default_region_can_change():
    assert validate_phone("01 42 68 53 00", default_region="FR").value == "+33142685300"


@pytest.mark.parametrize(
    ("text", "explains"),
    [
        ("", "didn't catch a phone number"),
        ("call me", "doesn't look like a phone number"),
        ("123", "missing some digits"),
        ("07911 1234567890", "too many digits"),
        ("+999 1234 5678", "country code"),
        ("07700 900123", "isn't a phone number in use"),  # Ofcom's range for drama
        ("0" * 41, "too long"),
    ],
)
def test_invalid_phone_numbers_are_explained(text, explains):
    result = validate_phone(text)
    assert not result.ok
    assert explains in result.error
    assert "+" in result.error  # tells the visitor how to type an international number


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("20", 20),
        ("about 20", 20),
        ("around 1,500 staff", 1500),
        ("20-30 people", 30),
        ("twenty", 20),
        ("Twenty-five.", 25),
        ("a dozen", 12),
        ("two hundred and fifty", 250),
        ("ten thousand", 10_000),
        ("1", 1),
    ],
)
def test_team_sizes(text, size):
    assert validate_team_size(text).value == size


@pytest.mark.parametrize(
    ("text", "explains"),
    [
        ("lots", "A number is fine"),
        ("", "A number is fine"),
        ("0", "at least one person"),
        ("10001", "more than 10,000"),
        ("a", "A number is fine"),
    ],
)
def test_invalid_team_sizes_are_explained(text, explains):
    result = validate_team_size(text)
    assert not result.ok
    assert explains in result.error


def test_free_text_fields():
    assert validate_short_text("  St   Elsewhere\tTrust ", "organisation").value == "St Elsewhere Trust"
    assert "didn't catch the organisation" in validate_short_text(" ", "organisation").error
    assert "longer than I can store" in validate_short_text("x" * 201, "organisation").error
    assert validate_message("Line one\r\nLine two\x07").value == "Line one\nLine two"
    assert "up to 2,000" in validate_message("x" * 2001).error
    assert "empty" in validate_message("  ").error
    assert clean_text("a\x1b[31mb\nc") == "a [31mb c"
