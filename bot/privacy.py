"""Personal-data masking: email addresses and phone numbers kept out of logs, audit entries and reports.

``mask_personal_data`` finds and masks both in any text; ``PersonalDataFilter``
applies it to every log record a handler sees. The process logs
(``bot/runtime/process_logs.py``), the audit log's subjects and details, the error
messages of the stores and the Insights report's unanswered questions all mask
with this module. The regular expressions only find things to *mask*; checking
what a visitor typed is ``bot/leads/validation.py``'s job.
"""

from __future__ import annotations

import logging
import re

EMAIL_PATTERN = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
# A run of 7-15 digits that may start with + and contain spaces, dots, dashes or brackets.
PHONE_PATTERN = re.compile(r"(?<![\w.+-])\+?\(?\d(?:[\s().-]{0,3}\d){6,18}(?![\w-]|\.\d)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DOTTED_QUAD = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")


def mask_email(address: str) -> str:
    """``jane.doe@nhs.net`` -> ``j***@n***.net``: enough to tell two apart, not enough to write to."""
    local, _, domain = address.partition("@")
    if not domain:
        return "***"
    labels = domain.split(".")
    suffix = f".{labels[-1]}" if len(labels) > 1 else ""
    return f"{local[:1]}***@{labels[0][:1]}***{suffix}"


def mask_phone(number: str) -> str:
    """``+447911123456`` -> ``+44*******56``: country code and last two digits only."""
    digits = [character for character in number if character.isdigit()]
    if len(digits) < 4:
        return "***"
    keep_start = 2 if number.strip().startswith("+") else 0
    plus = "+" if keep_start else ""
    hidden = len(digits) - keep_start - 2
    return plus + "".join(digits[:keep_start]) + "*" * hidden + "".join(digits[-2:])


def _mask_phone_match(match: re.Match) -> str:
    candidate = match.group(0)
    digit_count = sum(character.isdigit() for character in candidate)
    if not 7 <= digit_count <= 15 or _ISO_DATE.match(candidate) or _DOTTED_QUAD.fullmatch(candidate):
        return candidate
    return mask_phone(candidate)


def mask_personal_data(text: str) -> str:
    """Every email address and phone-number-like sequence in ``text``, masked."""
    text = EMAIL_PATTERN.sub(lambda match: mask_email(match.group(0)), text)
    return PHONE_PATTERN.sub(_mask_phone_match, text)


class PersonalDataFilter(logging.Filter):
    """Rewrites a log record so no email address or phone number reaches any handler.

    A filter on a logger sees only records logged to that very logger, not
    those propagated from its children; ``install_personal_data_filter`` puts
    it where every record passes.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_personal_data_masked", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken log call must not hide what it was about
            message = f"{record.msg} (unformattable log arguments)"
        record.msg, record.args = mask_personal_data(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        record._personal_data_masked = True
        return True


def install_personal_data_filter() -> PersonalDataFilter:
    """Mask personal data in every log record of this process, whichever logger or handler it goes to.

    Adds the filter to the root logger and its handlers, and wraps the log
    record factory so records from any logger are masked as they are made,
    including for handlers added later (Rasa sets up its own). Safe to call twice.
    """
    root = logging.getLogger()
    existing = next((f for f in root.filters if isinstance(f, PersonalDataFilter)), None)
    personal_filter = existing or PersonalDataFilter()
    if existing is None:
        root.addFilter(personal_filter)
    for handler in root.handlers:
        if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
            handler.addFilter(personal_filter)
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "_masks_personal_data", False):

        def masking_factory(*args, **kwargs) -> logging.LogRecord:
            record = factory(*args, **kwargs)
            personal_filter.filter(record)
            return record

        masking_factory._masks_personal_data = True
        logging.setLogRecordFactory(masking_factory)
    return personal_filter
