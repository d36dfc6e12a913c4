"""A stand-in for the enquiry form that keeps the form's visible contract, in memory.

It lets the player and the corpus be tested without Rasa: if the real form
keeps the contract (player.PROMPTS and the rules in the issue), every
conversation that passes here passes there. It reuses the project's own
field validators, and is deliberately simple about everything else.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from typing import Any

from bot.dialogue.contact_details import is_skip
from bot.leads.validation import validate_email, validate_name, validate_phone
from tests.e2e.typed_enquiries.generator import (
    CONSENT,
    COURSES,
    EMAIL,
    FIELDS,
    INTEREST,
    LOCATION,
    MESSAGE,
    NAME,
    OPENER_CITIES,
    PHONE,
    STOP_CONFIRM,
    SUMMARY,
    course_field,
)

ADMISSIONS_EMAIL = "admissions@britishacademy.example"
ORDER = (NAME, EMAIL, PHONE, INTEREST, LOCATION, MESSAGE)
PROMPT_TEXT = {
    CONSENT: "Before I take any details: ... Do you agree to us storing your details for this?",
    NAME: "What's your name?",
    EMAIL: "Which email address should admissions reply to?",
    PHONE: "A phone number, in case a call is easier? This is optional.",
    INTEREST: "What would you like to enquire about?",
    LOCATION: "Where would you like to study: a city, online, or at your workplace?",
    MESSAGE: "Anything you'd like admissions to know? This is optional.",
    STOP_CONFIRM: "Stop the enquiry? Nothing will be sent.",
}
YES = {"yes", "sure, that's fine", "i agree", "ok go ahead", "yes, i agree", "send it", "that's right, send it"}
YES |= {"looks good, send"}
NO = {"no", "no thanks", "no thanks, i'd rather not"}
STOPS = {"cancel", "stop", "never mind", "i don't want to"}
NOTHING = {"no", "nothing", "that's all", "no thanks", "nothing to add", "skip", "no preference"}
_NAME_PREFIX = re.compile(r"^(sorry, )?(my name is (actually )?|i'm |it's )", re.IGNORECASE)
_CODE = re.compile(r"\b(HM-1\d\d|MA-2\d\d)\b", re.IGNORECASE)


def interest_in(text: str) -> tuple[list[str], str | None]:
    """(course codes, field) named in ``text``."""
    lowered = text.lower()
    codes = [c.upper() for c in _CODE.findall(text)]
    codes += [code for code, title in COURSES.items() if title.lower() in lowered and code not in codes]
    if not codes and "medical billing" in lowered:
        codes = ["MA-201"]
    field = course_field(codes[0]) if codes else next((f for f in FIELDS if f in lowered), None)
    if field is None and "cmom" in lowered:
        field = "medical administration"  # a medical administration qualification (seed)
    return codes, field


class ContractBot:
    """One conversation; call it with the visitor's text, as ``tests.e2e.rest_channel.rest_sender`` would be."""

    def __init__(self, conversation_id: str, leads: list[dict[str, Any]]):
        self.conversation_id = conversation_id
        self.leads = leads
        self.state: str | None = None
        self.values: dict[str, Any] = {}
        self.courses: list[str] = []
        self.field: str | None = None
        self.strikes: Counter = Counter()
        self.back_to_summary = False
        self.before_stop: str | None = None

    def __call__(self, text: str) -> list[dict]:
        return [{"text": line} for line in self.reply(text.strip()) if line]

    def ask(self, state: str | None = None) -> list[str]:
        if state is None:
            missing = [q for q in ORDER if q not in self.values]
            state = missing[0] if missing and not self.back_to_summary else SUMMARY
        self.state = state
        if state != SUMMARY:
            return [PROMPT_TEXT[state]]
        self.back_to_summary = False
        labels = (NAME, EMAIL, PHONE, "courses", INTEREST, LOCATION, MESSAGE)
        lines = [f"{label.capitalize()}: {self.shown(label)}" for label in labels if self.shown(label)]
        return ["This is what I'll send to admissions:\n" + "\n".join(lines)]

    def shown(self, label: str) -> str | None:
        if label == "courses":
            return "; ".join(f"{COURSES[c]} ({c})" for c in self.courses) or None
        if label == INTEREST:
            return self.field
        return self.values.get(label)

    def reply(self, text: str) -> list[str]:
        lowered = text.lower()
        if self.state is None:
            self.opener(text)
            return ["Happy to pass your enquiry on.", *self.ask(CONSENT)]
        if self.state == STOP_CONFIRM:
            if lowered == "yes":
                self.state = None
                return ["Done: I've stopped the enquiry. Nothing was sent and no enquiry was made."]
            return self.ask(self.before_stop)
        if lowered in STOPS:
            self.before_stop, self.state = self.state, STOP_CONFIRM
            return [PROMPT_TEXT[STOP_CONFIRM]]
        if self.state == CONSENT:
            if lowered in YES:
                return self.ask()
            if lowered in NO:
                self.state = None
                return ["That's fine: no enquiry is made. The conversation log is kept for 30 days."]
            return ["Please answer yes or no.", *self.ask(CONSENT)]
        correction = re.match(r"^(sorry, )?my (name|email) is actually (.+)$", text, re.IGNORECASE)
        if correction:
            key = NAME if correction[2].lower() == "name" else EMAIL
            self.values[key] = correction[3] if key == NAME else validate_email(correction[3]).value
            return ["Thanks, changed.", *self.ask(self.state)]
        change = re.match(r"^change (my )?(name|email|phone|interest|location|message)$", lowered)
        if change:
            self.back_to_summary = True
            return self.ask(change[2])
        if text.endswith("?"):
            return ["Here is an answer to your question.", *self.ask(self.state)]
        if self.state == SUMMARY:
            if lowered in YES:
                return self.send()
            return ["Say 'send it' or change a detail.", *self.ask(SUMMARY)]
        return self.answer(self.state, text)

    def answer(self, state: str, text: str) -> list[str]:
        lowered = text.lower().strip(" .!")
        value, error = None, None
        if state == NAME:
            result = validate_name(_NAME_PREFIX.sub("", text))
            value, error = result.value, result.error
        elif state == EMAIL:
            result = validate_email(text)
            value, error = result.value, result.error
        elif state == PHONE:
            if not (is_skip(text) or lowered in NOTHING):
                result = validate_phone(text)
                value, error = result.value, result.error
        elif state == INTEREST:
            self.courses, self.field = interest_in(text)
            value = text
        elif state == LOCATION:
            value = None if lowered in NOTHING else text
        elif state == MESSAGE:
            value = None if lowered in NOTHING else text
        if error:
            self.strikes[state] += 1
            if self.strikes[state] >= 3:
                self.state = None
                return [
                    f"You can email admissions at {ADMISSIONS_EMAIL}. I've stopped the enquiry here; nothing was sent."
                ]
            return [error, *self.ask(state)]
        self.values[state] = value
        return self.ask()

    def opener(self, text: str) -> None:
        self.courses, self.field = interest_in(text)
        if self.courses or self.field:
            self.values[INTEREST] = None
        for city in OPENER_CITIES:
            if f" in {city.lower()}" in text.lower():
                self.values[LOCATION] = city
        parts = [p.strip() for p in text.split(",")]
        if len(parts) < 3:
            return
        for part in parts:
            if validate_email(part).ok:
                self.values[EMAIL] = validate_email(part).value
            elif validate_phone(part).ok:
                self.values[PHONE] = validate_phone(part).value
            elif _NAME_PREFIX.match(part) or part.endswith(" here"):
                self.values[NAME] = _NAME_PREFIX.sub("", part).removesuffix(" here")

    def send(self) -> list[str]:
        reference = "BA-" + secrets.token_hex(3).upper()
        self.leads.append(
            {
                "reference": reference,
                "conversation_id": self.conversation_id,
                "name": self.values[NAME],
                "email": self.values[EMAIL],
                "phone": self.values.get(PHONE),
                "interest": self.field,
                "courses": [{"code": code, "title": COURSES[code]} for code in self.courses],
                "location": self.values.get(LOCATION),
                "message": self.values.get(MESSAGE),
            }
        )
        self.state = None
        return [f"Thank you. Your enquiry is with our admissions team; your reference is {reference}. Bye."]
