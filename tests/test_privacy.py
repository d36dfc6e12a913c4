"""Personal-data masking (bot/privacy.py): email addresses and phone numbers in any text and in log records."""

import logging

import pytest

from bot.privacy import (
    EMAIL_PATTERN,
    PHONE_PATTERN,
    PersonalDataFilter,
    install_personal_data_filter,
    mask_email,
    mask_personal_data,
    mask_phone,
)


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


def test_email_masks_keep_first_letters_and_top_level_domain_only():
    assert mask_email("o.k@mail.example.co.uk") == "o***@m***.uk"
    assert mask_email("x@localhost") == "x***@l***"
    assert mask_email("no at sign") == "***"


def test_phone_masks_keep_country_code_and_last_two_digits():
    assert mask_phone("+1 202 555 0188") == "+12*******88"
    assert mask_phone("020 7946 0321") == "*********21"
    assert mask_phone("123") == "***"


def test_patterns_find_what_masking_replaces():
    text = "write to tom.k@wards.example.com or ring 020 7946 0321"
    assert EMAIL_PATTERN.findall(text) == ["tom.k@wards.example.com"]
    assert [match.group(0) for match in PHONE_PATTERN.finditer(text)] == ["020 7946 0321"]


def test_masking_twice_changes_nothing_more():
    once = mask_personal_data("ring +33 1 23 45 67 89 then a.b@c.org")
    assert once == "ring +33*******89 then a***@c***.org"
    assert mask_personal_data(once) == once


def test_digit_runs_outside_phone_length_are_left_alone():
    text = "order 123456 and card-like 1234567890123456"
    assert mask_personal_data(text) == text


def test_filter_keeps_a_record_with_broken_arguments_and_masks_its_stack():
    record = logging.LogRecord("tests.privacy", logging.INFO, "", 0, "to %s %s", ("a@b.example",), None)
    record.stack_info = "Stack: called for carol@clinic.example.org"
    assert PersonalDataFilter().filter(record)
    assert record.msg == "to %s %s (unformattable log arguments)" and record.args is None
    assert record.stack_info == "Stack: called for c***@c***.org"


def test_filter_masks_a_record_once():
    record = logging.LogRecord("tests.privacy", logging.INFO, "", 0, "from %s", ("dee@ward.example.net",), None)
    masking = PersonalDataFilter()
    assert masking.filter(record)
    record.msg = "set after masking: dee@ward.example.net"  # a record already masked is not rewritten again
    assert masking.filter(record)
    assert record.getMessage() == "set after masking: dee@ward.example.net"


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
