"""Types one generated conversation into the bot and reacts to what it asks.

The player reads the bot's visible reply, recognises which question it asks
(the form's prompts are the contract, matched case-insensitively), and
answers from the persona, typing a planned deviation instead when the bot
reaches the planned question. It never sends an ``/intent`` payload; typing a
button's title is allowed, as a visitor may. It checks, as it goes, that the
bot asks again after a side question or a bad answer, never asks for a value
the opener gave, and that the summary it confirms is the expected lead.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

import phonenumbers

from tests.e2e.rest_channel import Send
from tests.e2e.typed_enquiries.generator import (
    CONSENT,
    COURSES,
    EMAIL,
    INTEREST,
    LEFT,
    LOCATION,
    MESSAGE,
    NAME,
    ORGANISATION,
    PHONE,
    REFUSED,
    SENT,
    STOP_CONFIRM,
    STOPPED,
    SUMMARY,
    TEAM_SIZE,
    Conversation,
    ExpectedLead,
)

MAX_TURNS = 30
UNKNOWN = "unknown"
OFFER = "offer"  # "Shall I take your enquiry now?": the way in from a request for a person

#: Before the form starts, a visitor who wants to enquire takes the bot's offer: typed, as a button title.
ENTRY_BUTTONS = ("Yes, make an enquiry", "Enquire about this", "Make an enquiry")
OFFER_PROMPT = "shall i take your enquiry"

#: The visible prompt of each question: the contract with the form.
PROMPTS = {
    CONSENT: "do you agree to us storing your details",
    NAME: "what's your name?",
    EMAIL: "which email address should admissions reply to?",
    PHONE: "a phone number, in case a call is easier?",
    INTEREST: "what would you like to enquire about?",
    ORGANISATION: "which organisation is the training for?",
    TEAM_SIZE: "how many people would take part?",
    LOCATION: "where would you like to study",
    MESSAGE: "anything you'd like admissions to know?",
    SUMMARY: "this is what i'll send to admissions:",
    STOP_CONFIRM: "stop the enquiry?",
}
REJECTIONS = ("doesn't look right", "didn't catch", "needs an @", "missing some digits", "check it")
SUMMARY_LABELS = ("name", "email", "phone", "courses", "interest", "organisation", "team size", "location", "message")
_REFERENCE = re.compile(r"your reference is\s+([A-Z0-9][A-Z0-9-]*[A-Z0-9])", re.IGNORECASE)


def visible(messages: list[dict]) -> str:
    """The reply as the visitor sees it: every text, then the button titles in brackets."""
    parts = []
    for message in messages:
        if message.get("text"):
            parts.append(str(message["text"]))
        titles = [str(b.get("title", "")) for b in message.get("buttons") or []]
        if titles:
            parts.append("[" + "] [".join(titles) + "]")
    return "\n".join(parts)


def _fold(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").lower()


def recognise(reply: str, previous: str | None, admissions_email: str) -> str:
    """What the bot is doing after ``reply``: a question from PROMPTS, an outcome, or UNKNOWN.

    The prompt said last wins (a side answer comes before the question asked
    again). A rejection with no prompt repeats the previous question.
    """
    text = _fold(reply)
    if _REFERENCE.search(reply):
        return SENT
    found = [(text.rfind(prompt), state) for state, prompt in PROMPTS.items() if prompt in text]
    if found:
        return max(found)[1]
    if previous is None and OFFER_PROMPT in text:
        return OFFER
    # The notices that end the form share words ("no enquiry was made", "stopped"): what was asked decides.
    if previous == STOP_CONFIRM and "stopped the enquiry" in text:
        return STOPPED
    if previous == CONSENT and "no enquiry" in text:
        return REFUSED
    in_form = previous is not None and previous != OFFER
    if in_form and admissions_email.lower() in text and any(word in text for word in ("leave", "left", "stopped")):
        return LEFT
    if "i've stopped the enquiry" in text:
        return STOPPED
    if "no enquiry" in text:
        return REFUSED
    if previous in PROMPTS and any(r in text for r in REJECTIONS):
        return previous
    return UNKNOWN


def parse_summary(reply: str) -> dict[str, str]:
    """``{"name": ..., "email": ...}`` from the lines after "This is what I'll send to admissions:"."""
    start = _fold(reply).rfind(PROMPTS[SUMMARY])
    lines = reply[start + len(PROMPTS[SUMMARY]) :].splitlines() if start >= 0 else []
    shown = {}
    for line in lines:
        label, _, value = line.strip().lstrip("-• ").partition(":")
        if _ and label.strip().lower() in SUMMARY_LABELS:
            shown[label.strip().lower()] = value.strip()
    return shown


def _as_e164(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def summary_differences(shown: dict[str, str], expected: ExpectedLead) -> list[str]:
    """How the summary differs from the expected lead (empty: the summary is the lead)."""
    problems = []

    def differ(label: str, want: Any, got: Any) -> None:
        problems.append(f"summary {label}: expected {want!r}, shown {got!r}")

    if shown.get("name") != expected.name:
        differ("name", expected.name, shown.get("name"))
    if (shown.get("email") or "").lower() != expected.email:
        differ("email", expected.email, shown.get("email"))
    phone = shown.get("phone")
    if (_as_e164(phone) if phone else None) != expected.phone:
        differ("phone", expected.phone, phone)
    interest = (shown.get("interest") or "").lower()
    courses = f"{shown.get('courses') or ''} {interest}".lower()  # a "Courses:" line, or the courses in "Interest:"
    for code in expected.courses:
        if code.lower() not in courses and COURSES[code].lower() not in courses:
            differ("courses", f"{code} {COURSES[code]}", shown.get("courses") or shown.get("interest"))
    if expected.interest and expected.interest.lower() not in interest:
        differ("interest", expected.interest, shown.get("interest"))
    if (shown.get("location") or "").lower() != (expected.location or "").lower():
        differ("location", expected.location, shown.get("location"))
    if shown.get("message") != expected.message:
        differ("message", expected.message, shown.get("message"))
    for label in ("organisation", "team size"):
        if label in shown:
            differ(label, None, shown[label])
    return problems


@dataclass
class PlayResult:
    conversation_id: str
    sender: str
    outcome: str  # SENT / REFUSED / STOPPED / LEFT, or "failed"
    reference: str | None = None
    problems: list[str] = field(default_factory=list)
    transcript: list[dict] = field(default_factory=list)
    summary: dict[str, str] = field(default_factory=dict)  # the last summary shown
    entered_by: str | None = None  # the button title typed to start the form, when the opener did not

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def transcript_text(self) -> str:
        return "\n".join(f"{'visitor' if t['who'] == 'visitor' else 'bot    '}: {t['text']}" for t in self.transcript)


class Player:
    """Plays a conversation through ``send``; one Player per conversation."""

    def __init__(self, conversation: Conversation, send: Send, sender: str, admissions_email: str):
        self.conversation = conversation
        self.send_text = send
        self.admissions_email = admissions_email
        self.result = PlayResult(conversation.id, sender, "failed")
        self.pending = list(conversation.deviations)
        self.buttons: list[str] = []

    def _say(self, text: str) -> str:
        self.result.transcript.append({"who": "visitor", "text": text})
        try:
            messages = self.send_text(text)
        except Exception as error:  # noqa: BLE001 - the transcript must say what broke
            messages = [{"text": f"<no reply: {type(error).__name__}: {error}>"}]
        self.buttons = [str(b.get("title", "")) for m in messages for b in m.get("buttons") or []]
        reply = visible(messages)
        self.result.transcript.append({"who": "bot", "text": reply})
        return reply

    def _way_in(self, state: str, previous: str | None) -> str | None:
        """Before the form starts: the offer or course-details button a visitor would take, typed."""
        if previous is not None or self.result.entered_by is not None:
            return None
        title = next((t for t in ENTRY_BUTTONS if t in self.buttons), None)
        if title is None and state == OFFER:
            title = "yes please"
        self.result.entered_by = title
        return title

    def _fail(self, problem: str) -> PlayResult:
        self.result.problems.append(problem)
        return self.result

    def play(self) -> PlayResult:
        conversation, persona = self.conversation, self.conversation.persona
        reply = self._say(conversation.opener)
        previous: str | None = None
        script: list = []  # steps of the deviation under way
        must_be: str | None = None  # what the bot must be doing next (after a deviation)
        final: str | None = None
        answered: set[str] = set()
        for _turn in range(MAX_TURNS):
            state = recognise(reply, previous, self.admissions_email)
            if must_be is not None and state != must_be:
                return self._fail(f"expected the bot to be at {must_be!r} here, it is at {state!r}")
            must_be = None
            if state == SUMMARY:
                self.result.summary = parse_summary(reply)
            if state in (SENT, REFUSED, STOPPED, LEFT):
                return self._finish(state, reply)
            if state in (UNKNOWN, OFFER):
                way_in = self._way_in(state, previous)
                if way_in is None:
                    return self._fail("could not tell what the bot is asking")
                previous = OFFER
                reply = self._say(way_in)
                continue
            if not script:
                planned = next((d for d in self.pending if d.steps[0].at == state), None)
                if planned is not None:
                    self.pending.remove(planned)
                    script = [*planned.steps]
                    final = planned.then
            if script:
                step = script.pop(0)
                if step.at != state:
                    return self._fail(f"planned to type {step.text!r} at {step.at!r}, but the bot is at {state!r}")
                if not script:
                    must_be = final
                text = step.text
            else:
                problem = self._unexpected(state, answered)
                if problem:
                    return self._fail(problem)
                if state == SUMMARY and conversation.expected is not None:
                    self.result.problems += summary_differences(self.result.summary, conversation.expected)
                answered.add(state)
                text = persona.answer(state) or ""
            previous = state
            reply = self._say(text)
        return self._fail(f"no outcome after {MAX_TURNS} turns")

    def _unexpected(self, state: str, answered: set[str]) -> str | None:
        """Why the bot should not be asking ``state`` now, if so."""
        if state in self.conversation.opener_gives:
            return f"asked for {state}, which the opening message gave"
        if state in answered and state != SUMMARY:
            return f"asked for {state} again after a valid answer"
        if state in (ORGANISATION, TEAM_SIZE, STOP_CONFIRM):
            return f"asked {state!r}, which this visitor never led to"
        if state == SUMMARY and self.pending and any(d.steps[0].at != SUMMARY for d in self.pending):
            left = ", ".join(f"{d.kind} at {d.steps[0].at}" for d in self.pending)
            return f"reached the summary before the planned: {left}"
        return None

    def _finish(self, outcome: str, reply: str) -> PlayResult:
        self.result.outcome = outcome
        match = _REFERENCE.search(reply)
        self.result.reference = match.group(1) if match else None
        if outcome != self.conversation.outcome:
            self.result.problems.append(f"ended {outcome!r}, expected {self.conversation.outcome!r}")
        if self.pending:
            left = ", ".join(f"{d.kind} at {d.steps[0].at}" for d in self.pending)
            self.result.problems.append(f"the bot never asked where these were planned: {left}")
        return self.result


def play(conversation: Conversation, send: Send, sender: str, admissions_email: str) -> PlayResult:
    return Player(conversation, send, sender, admissions_email).play()
