"""One turn of the enquiry form, decided from what the visitor typed.

The form decides first: the text goes to the parser of the question being
asked before any intent may interrupt. Only an explicit stop leaves the form,
and only after "Stop the enquiry?". A clear side question is answered and the
question asked again. Corrections ("my email is actually ...", "change my
phone") change one detail at any point. Three unusable answers to one
question skip it (optional) or give the admissions address and leave.

Nothing here knows Rasa: the validation action turns a ``FormTurn`` into
events and messages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bot.dialogue.contact_details import (
    Correction,
    Parsed,
    find_emails,
    find_name,
    find_phones,
    is_question,
    is_skip,
    is_stop,
    normalise,
    parse_correction,
    parse_email,
    parse_name,
    parse_phone,
    without_contact_details,
    yes_or_no,
)
from bot.leads.validation import validate_message, validate_short_text, validate_team_size

SKIPPED = "skipped"  # stored in a slot when an optional question was skipped
STOP_SLOT = "enquiry_stop"  # requested while "Stop the enquiry?" waits; holds the question to return to
STOP_QUESTION = "utter_ask_enquiry_stop"  # what Rasa asks when STOP_SLOT is requested
FAILURES_SLOT = "form_failures"
MAX_FAILURES = 3

CONSENT = "enquiry_consent"
NAME = "enquiry_name"
EMAIL = "enquiry_email"
PHONE = "enquiry_phone"
INTEREST = "enquiry_interest"
ORGANISATION = "enquiry_organisation"
TEAM_SIZE = "enquiry_team_size"
LOCATION = "enquiry_location"
MESSAGE = "enquiry_message"
CONFIRM = "enquiry_confirm"

FORM_ORDER = (CONSENT, NAME, EMAIL, PHONE, INTEREST, ORGANISATION, TEAM_SIZE, LOCATION, MESSAGE, CONFIRM)
IN_HOUSE_ONLY = (ORGANISATION, TEAM_SIZE)
OPTIONAL = (PHONE, ORGANISATION, TEAM_SIZE, LOCATION, MESSAGE)
CONTACT = (NAME, EMAIL, PHONE)
#: Everything the form owns and clears when it is left; the courses chosen are not personal and stay.
FORM_SLOTS = (*FORM_ORDER, "enquiry_consent_at", STOP_SLOT, FAILURES_SLOT)


@dataclass(frozen=True)
class Interest:
    """What a visitor said they are interested in: catalogue courses and/or a field, else their words."""

    course_codes: tuple[str, ...] = ()
    field: str | None = None
    words: str | None = None

    @property
    def known(self) -> bool:
        return bool(self.course_codes or self.field or self.words)


@dataclass(frozen=True)
class Reply:
    """One bot message: a response from the domain (with its variables) or a text, with buttons."""

    response: str | None = None
    text: str | None = None
    buttons: tuple[dict, ...] = ()
    variables: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FormInput:
    requested: str | None
    text: str
    slots: Mapping[str, Any]
    in_house: bool
    #: a response answering the message as a confident side question (FAQ, topic), if it is one
    side_answer: Callable[[], list[Reply]] | None
    #: "why do you need this?"
    asks_why: bool
    #: reads courses / a field from the visitor's words (uses the catalogue)
    read_interest: Callable[[str], Interest]
    now: datetime
    admissions_email: str
    retention_days: int
    notice_url: str


#: After the form ends without a lead, the visitor still gets a next step.
NEXT_STEPS = (
    {"title": "Recommend a course", "payload": "/recommend_course"},
    {"title": "What is the difference?", "payload": "/ask_difference"},
)


@dataclass
class FormTurn:
    updates: dict[str, Any] = field(default_factory=dict)
    replies: list[Reply] = field(default_factory=list)
    leave: bool = False  # end the form now, with every form slot cleared

    def say(self, text: str | None = None, response: str | None = None, **variables: Any) -> None:
        self.replies.append(Reply(response=response, text=text, variables=variables))

    def end(self, text: str) -> FormTurn:
        """Leave the form with ``text`` and the next steps as the last message."""
        self.replies.append(Reply(text=text, buttons=NEXT_STEPS))
        self.leave = True
        return self


def required_slots(in_house: bool) -> list[str]:
    return [slot for slot in FORM_ORDER if in_house or slot not in IN_HOUSE_ONLY]


def next_slot(slots: Mapping[str, Any], in_house: bool) -> str | None:
    """What to ask next: "Stop the enquiry?" while a stop waits for its answer, else the first missing detail."""
    if slots.get(STOP_SLOT):
        return STOP_SLOT
    return next((slot for slot in required_slots(in_house) if slots.get(slot) is None), None)


def kept_period(days: int) -> str:
    """How long data is kept, as told to visitors: "2 years", or the days when not a whole number of years."""
    years, rest = divmod(days, 365)
    # Whole years only: rounding 395 days down to "1 year" would understate how long data is kept.
    return f"{years} year{'s' if years != 1 else ''}" if years and not rest else f"{days} days"


def refusal_notice(admissions_email: str, retention_days: int, notice_url: str) -> str:
    """What is and is not kept after a refused consent: said exactly."""
    return (
        "That's fine: no enquiry has been made, and nothing is sent to our admissions team. "
        "This chat itself is kept in our conversation log, like every chat on this site, for up to "
        f"{kept_period(retention_days)}, then deleted; the privacy notice explains it: {notice_url}. "
        f"You can contact admissions yourself at {admissions_email} whenever you're ready."
    )


def stopped_notice(retention_days: int, notice_url: str) -> str:
    return (
        "Done: I've stopped the enquiry. Nothing was sent to admissions and no enquiry was made. "
        f"This chat stays in our conversation log for up to {kept_period(retention_days)} "
        f"(privacy notice: {notice_url}). You can start again whenever you like."
    )


def _three_strikes_notice(admissions_email: str) -> str:
    return (
        "I'm sorry, I still can't read that. Rather than keep asking, you can email our admissions team "
        f"directly at {admissions_email}. I've stopped the enquiry here and nothing was sent."
    )


# --- reading one answer -------------------------------------------------------------


def _parse_free_text(slot: str, text: str) -> Parsed:
    what = {ORGANISATION: "organisation name", LOCATION: "place you'd like to study"}.get(slot, "answer")
    result = validate_message(text) if slot == MESSAGE else validate_short_text(text, what)
    return Parsed(value=result.value) if result.ok else Parsed(error=result.error)


def parse_answer(slot: str, text: str, read_interest: Callable[[str], Interest]) -> tuple[Parsed, dict[str, Any]]:
    """The value ``text`` gives ``slot``, or why not, plus the slot updates that go with it."""
    if slot in OPTIONAL and is_skip(text):
        return Parsed(value=SKIPPED), {slot: SKIPPED}
    if slot == NAME:
        parsed = parse_name(without_contact_details(text) or text)
    elif slot == EMAIL:
        parsed = parse_email(text)
    elif slot == PHONE:
        parsed = parse_phone(text)
    elif slot == TEAM_SIZE:
        result = validate_team_size(text)
        parsed = Parsed(value=str(result.value)) if result.ok else Parsed(error=result.error)
    elif slot == INTEREST:
        interest = read_interest(text)
        if interest.known:
            return Parsed(value=interest.field or ""), interest_updates(interest)
        parsed = _parse_free_text(slot, text)
        if parsed.ok:
            return parsed, {INTEREST: parsed.value, "courses_of_interest": None}
    else:
        parsed = _parse_free_text(slot, text)
    return parsed, ({slot: parsed.value} if parsed.ok else {})


def interest_updates(interest: Interest) -> dict[str, Any]:
    """The slots an interest fills: the courses (if any) and the interest shown and stored (the field)."""
    updates: dict[str, Any] = {INTEREST: interest.field or interest.words or ""}
    if interest.course_codes:
        updates["courses_of_interest"] = list(interest.course_codes)
    return updates


def details_in(text: str) -> dict[str, Any]:
    """Contact details a message volunteers besides the answer asked for."""
    found: dict[str, Any] = {}
    emails, phones, name = find_emails(text), find_phones(text), find_name(text)
    if emails:
        found[EMAIL] = emails[0]
    if phones:
        found[PHONE] = phones[0]
    if name:
        found[NAME] = name
    return found


# --- one turn -----------------------------------------------------------------------------


def _fail(turn: FormTurn, form: FormInput, slot: str, problem: str) -> FormTurn:
    failures = dict(form.slots.get(FAILURES_SLOT) or {})
    failures[slot] = int(failures.get(slot, 0)) + 1
    turn.say(problem)
    turn.updates[FAILURES_SLOT] = failures
    if failures[slot] < MAX_FAILURES or slot == CONFIRM:
        return turn
    if slot in OPTIONAL:
        turn.say("Let's skip that one; admissions can ask you about it.")
        turn.updates[slot] = SKIPPED
        failures.pop(slot)
        return turn
    turn.replies = []
    return turn.end(_three_strikes_notice(form.admissions_email))


def _succeeded(turn: FormTurn, form: FormInput, slot: str) -> None:
    failures = dict(form.slots.get(FAILURES_SLOT) or {})
    if failures.pop(slot, None) is not None:
        turn.updates[FAILURES_SLOT] = failures or None


def _fill_volunteered(turn: FormTurn, form: FormInput, text: str, asked: str | None) -> None:
    """Details given unasked fill only questions not answered yet: a stray match never overwrites."""
    for slot, value in details_in(text).items():
        if slot != asked and form.slots.get(slot) is None and slot not in turn.updates:
            turn.updates[slot] = value


def _correct(form: FormInput, correction: Correction) -> FormTurn | None:
    """Change one detail. None when the "correction" did not parse and should be read as an answer."""
    turn = FormTurn()
    slot = correction.slot
    if slot in IN_HOUSE_ONLY and not form.in_house:
        return None
    if correction.new_text is None:
        turn.updates.update({slot: None, CONFIRM: None})
        if slot == INTEREST:
            turn.updates["courses_of_interest"] = None
        turn.say("Of course.")
        return turn
    parsed, updates = parse_answer(slot, correction.new_text, form.read_interest)
    if not parsed.ok:
        if form.requested in (INTEREST, ORGANISATION, LOCATION, MESSAGE):
            return None  # "my phone is off on Mondays" is a message, not a phone number
        turn.updates.update({slot: None, CONFIRM: None})
        turn.say(parsed.error)
        return turn
    turn.updates.update(updates)
    turn.updates[CONFIRM] = None
    turn.say("Thanks, I've changed that.")
    return turn


def decide_turn(form: FormInput) -> FormTurn:
    """What the form does with the visitor's latest message."""
    text = normalise(form.text)
    slot = form.requested
    turn = FormTurn()
    if slot is None:
        return turn

    if slot == STOP_SLOT:
        answer = yes_or_no(text)
        if answer is True:
            return turn.end(stopped_notice(form.retention_days, form.notice_url))
        turn.updates[STOP_SLOT] = None
        if answer is False:
            turn.say("Good, let's carry on.")
            return turn
        # Not an answer to "Stop?": read it as the answer to the question that was pending.
        pending = next_slot({**form.slots, STOP_SLOT: None}, form.in_house)
        rest = decide_turn(replace(form, requested=pending, slots={**form.slots, STOP_SLOT: None}))
        rest.updates = {STOP_SLOT: None, **rest.updates}
        return rest

    if is_stop(text):
        turn.updates[STOP_SLOT] = slot
        return turn

    if form.asks_why:
        turn.replies.append(Reply(response=f"utter_explain_{slot}"))
        return turn

    if slot == CONSENT:
        return _consent(form, text)

    correction = parse_correction(text)
    if correction is not None and not (correction.slot == slot and form.slots.get(slot) is None):
        corrected = _correct(form, correction)
        if corrected is not None:
            return corrected
    if correction is not None and correction.slot == slot and correction.new_text:
        text = correction.new_text  # "my name is actually X" when asked for the name

    if slot == CONFIRM:
        return _confirm(form, text)

    parsed, updates = parse_answer(slot, text, form.read_interest)
    free_text = slot in (INTEREST, ORGANISATION, LOCATION, MESSAGE)
    if form.side_answer is not None and (not parsed.ok or (free_text and is_question(text))):
        turn.replies.extend(form.side_answer())
        return turn
    if not parsed.ok:
        return _fail(turn, form, slot, parsed.error or "Sorry, I couldn't read that.")
    turn.updates.update(updates)
    _succeeded(turn, form, slot)
    if slot in CONTACT:
        _fill_volunteered(turn, form, text, slot)
    return turn


def _consent(form: FormInput, text: str) -> FormTurn:
    turn = FormTurn()
    answer = yes_or_no(text)
    if answer is True:
        turn.updates.update({CONSENT: "given", "enquiry_consent_at": form.now.isoformat()})
        _succeeded(turn, form, CONSENT)
        _fill_volunteered(turn, form, text, None)
        return turn
    if answer is False:
        return turn.end(refusal_notice(form.admissions_email, form.retention_days, form.notice_url))
    if form.side_answer is not None:
        turn.replies.extend(form.side_answer())
        return turn
    return _fail(turn, form, CONSENT, "Please answer yes or no: may I store your details for this enquiry?")


def _confirm(form: FormInput, text: str) -> FormTurn:
    turn = FormTurn()
    answer = yes_or_no(text)
    if answer is True:
        turn.updates[CONFIRM] = "confirmed"
        return turn
    if answer is False:
        turn.say("No problem. Which detail would you like to change? Use a button, or type e.g. 'my email is ...'.")
        return turn
    if form.side_answer is not None:
        turn.replies.extend(form.side_answer())
        return turn
    return _fail(turn, form, CONFIRM, "Say 'send it' to send your enquiry, or 'change' and the detail to fix.")
