"""Checking the contact details a visitor types into the enquiry form.

Each ``validate_*`` function returns a ``FieldResult``: the cleaned value, or
a message in plain British English that the bot can say as it is, explaining
what is wrong and what would work. Email addresses go through
``email-validator`` and phone numbers through ``phonenumbers``. Masking them
in logs and reports is ``bot/privacy.py``'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError
from email_validator import validate_email as _check_email

from bot.leads.models import EMAIL_MAX, MESSAGE_MAX, NAME_MAX, SHORT_TEXT_MAX

TEAM_SIZE_MIN = 1
TEAM_SIZE_MAX = 10_000


@dataclass(frozen=True)
class FieldResult:
    """Either ``value`` (the cleaned answer) or ``error`` (what to tell the visitor)."""

    value: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _fail(message: str) -> FieldResult:
    return FieldResult(error=message)


def clean_text(text: str | None, multiline: bool = False) -> str:
    """Visitor text without control characters (terminal escapes and the like); one line unless ``multiline``."""
    kept = "".join(
        character if character.isprintable() or (multiline and character in "\n\t") else " "
        for character in (text or "")
    )
    if multiline:
        return "\n".join(line.rstrip() for line in kept.strip().splitlines())
    return " ".join(kept.split())


def validate_name(text: str | None) -> FieldResult:
    name = clean_text(text)
    if not name:
        return _fail("I didn't catch a name. What should our admissions team call you?")
    if len(name) > NAME_MAX:
        return _fail(f"That name is longer than I can store ({NAME_MAX} characters). Could you shorten it?")
    if "@" in name:
        return _fail("That looks like an email address. I'll ask for that next; first, what's your name?")
    if not any(character.isalpha() for character in name):
        return _fail("A name needs at least one letter. What should our admissions team call you?")
    return FieldResult(value=name)


def validate_email(text: str | None) -> FieldResult:
    """Syntax only (no DNS look-up); the value comes back normalised to lower case."""
    address = (text or "").strip()
    if not address:
        return _fail("I didn't catch an email address. Could you type it, for example name@hospital.nhs.uk?")
    if len(address) > EMAIL_MAX:
        return _fail(
            f"That email address is longer than {EMAIL_MAX} characters, which can't be right. Please check it."
        )
    if "@" not in address:
        return _fail("An email address needs an @ sign, for example name@hospital.nhs.uk. Could you check it?")
    try:
        checked = _check_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        return _fail(f"That email address doesn't look right: {error} Could you check it and type it again?")
    return FieldResult(value=checked.normalized.lower())


_PHONE_REASONS = {
    phonenumbers.ValidationResult.TOO_SHORT: "it seems to be missing some digits",
    phonenumbers.ValidationResult.TOO_LONG: "it seems to have too many digits",
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "I don't recognise the country code",
    phonenumbers.ValidationResult.INVALID_LENGTH: "it has the wrong number of digits",
}


def validate_phone(text: str | None, default_region: str = "GB") -> FieldResult:
    """A phone number in E.164 (``+447911123456``); UK numbers may be typed without +44."""
    raw = (text or "").strip()
    hint = "UK numbers can be typed as usual (07911 123456); for other countries start with + and the country code."
    if not raw:
        return _fail(f"I didn't catch a phone number. {hint} You can also say 'skip'.")
    if len(raw) > 40:
        return _fail(f"That's too long to be a phone number. {hint}")
    try:
        number = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException:
        return _fail(f"That doesn't look like a phone number. {hint}")
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in _PHONE_REASONS:
        return _fail(f"That phone number doesn't look right: {_PHONE_REASONS[reason]}. {hint}")
    if not phonenumbers.is_valid_number(number):
        return _fail(f"That isn't a phone number in use anywhere I know of. Could you check it? {hint}")
    return FieldResult(value=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


_NUMBER_WORDS = {
    "zero": 0,
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
}
_MULTIPLIERS = {"hundred": 100, "thousand": 1000}
_DIGITS = re.compile(r"\d[\d,]*")


def _words_to_number(text: str) -> int | None:
    """'twenty five', 'a dozen', 'two hundred and fifty' -> int; None when no number words are found."""
    total, current, seen = 0, 0, False
    for word in "".join(character if character.isalpha() else " " for character in text).split():
        if word in _NUMBER_WORDS:
            value = _NUMBER_WORDS[word]
            current = current * value if word == "dozen" and current else current + value
            seen = seen or word not in ("a", "an")
        elif word in _MULTIPLIERS:
            current = max(current, 1) * _MULTIPLIERS[word]
            if word == "thousand":
                total, current = total + current, 0
            seen = True
    return total + current if seen else None


def validate_team_size(text: str | None) -> FieldResult:
    """How many people would train: '20', 'about 20', 'twenty', '20-30' (the larger end counts)."""
    answer = (text or "").lower().strip()
    numbers = [int(match.replace(",", "")) for match in _DIGITS.findall(answer) if match.replace(",", "")]
    size = max(numbers) if numbers else _words_to_number(answer)
    if size is None:
        return _fail("How many people would take part? A number is fine, for example 12 or 'about 20'.")
    if size < TEAM_SIZE_MIN:
        return _fail("A team needs at least one person. How many people would take part?")
    if size > TEAM_SIZE_MAX:
        return _fail(
            f"That's more than {TEAM_SIZE_MAX:,} people, which is beyond what I can record here. "
            "Please give a smaller number, or tell us more in your message."
        )
    return FieldResult(value=size)


def validate_short_text(text: str | None, what: str, max_length: int = SHORT_TEXT_MAX) -> FieldResult:
    """Organisation, location, delivery preference: any non-empty text that fits."""
    value = clean_text(text)
    if not value:
        return _fail(f"I didn't catch the {what}. Could you type it again?")
    if len(value) > max_length:
        return _fail(f"That {what} is longer than I can store ({max_length} characters). Could you shorten it?")
    return FieldResult(value=value)


def validate_message(text: str | None) -> FieldResult:
    message = clean_text(text, multiline=True)
    if not message:
        return _fail("The message is empty. Type what you'd like admissions to know, or say 'skip'.")
    if len(message) > MESSAGE_MAX:
        return _fail(
            f"That message is {len(message):,} characters; I can pass on up to {MESSAGE_MAX:,}. "
            "Could you shorten it? Admissions can ask for more when they reply."
        )
    return FieldResult(value=message)
