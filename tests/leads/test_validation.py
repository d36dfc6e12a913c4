"""Contact-detail validation for the enquiry form, and masking personal data in logs."""

from __future__ import annotations

import logging

import pytest

from bot.leads.validation import (
    PersonalDataFilter,
    clean_text,
    install_personal_data_filter,
    mask_email,
    mask_personal_data,
    mask_phone,
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


def test_masking_functions():
    assert mask_email("priya.shah@example.nhs.uk") == "p***@e***.uk"
    assert mask_phone("+447911123456") == "+44********56"
    assert mask_phone("07911 123456") == "*********56"


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("sent to Priya.Shah@Example.org ok", "Priya.Shah@Example.org"),
        ("phone 07911 123456.", "07911 123456"),
        ("phone=+447911123456", "447911123456"),
        ("call +44 (0)20 7946 0958 today", "7946 0958"),
        ("tel:+1 415-555-0132", "555-0132"),
    ],
)
def test_personal_data_is_masked(text, hidden):
    masked = mask_personal_data(text)
    assert hidden not in masked
    assert "***" in masked


@pytest.mark.parametrize(
    "text",
    [
        "listening on 127.0.0.1:5005 and 192.168.100.200",
        "at 2026-11-26 19:45:00.123",
        "Rasa 3.6.21 took 0.0123 s for lead 42",
        "conversation 3f2a1b4c-1234-5678-9abc-123456789012",
    ],
)
def test_ordinary_log_text_is_left_alone(text):
    assert mask_personal_data(text) == text


@pytest.fixture
def clean_logging():
    """Undo install_personal_data_filter after the test."""
    root = logging.getLogger()
    factory, filters = logging.getLogRecordFactory(), list(root.filters)
    handlers = {handler: list(handler.filters) for handler in root.handlers}
    yield
    logging.setLogRecordFactory(factory)
    root.filters[:] = filters
    for handler, handler_filters in handlers.items():
        handler.filters[:] = handler_filters


class ListHandler(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


def test_filter_masks_message_arguments_and_tracebacks():
    handler = ListHandler()
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger("tests.leads.filter")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("lead from %s, phone %s", "priya@example.org", "07911 123456")
        try:
            raise ValueError("bad address priya@example.org")
        except ValueError:
            logger.exception("failed for %s", "priya@example.org")
    finally:
        logger.removeHandler(handler)
    text = "\n".join(handler.lines)
    assert "priya@example.org" not in text
    assert "07911 123456" not in text
    assert "p***@e***.org" in text and "ValueError" in text


@pytest.mark.usefixtures("clean_logging")
def test_installed_filter_covers_child_loggers_and_later_handlers():
    install_personal_data_filter()
    install_personal_data_filter()  # twice is harmless
    handler = ListHandler()
    logger = logging.getLogger("tests.leads.installed.child")
    logger.addHandler(handler)  # added after installing, on a child logger
    logger.setLevel(logging.INFO)
    try:
        logger.info("visitor %s gave %s", "priya@example.org", "+447911123456")
    finally:
        logger.removeHandler(handler)
    assert handler.lines == ["visitor p***@e***.org gave +44********56"]
