"""Typed enquiry conversations, made from a fixed seed, each with the lead it must end in.

Every conversation is a visitor who types: an opener (with or without a
course, a field, or all their details at once), a persona that answers
whatever the form asks, and planned deviations injected at a planned
question (side questions, corrections, bad answers, stops, refusals). The
expected lead is what admissions must receive, or None when nothing may be
stored. The same seed always gives the same corpus.

    .venv/bin/python -m tests.e2e.typed_enquiries.generator --summary
    .venv/bin/python -m tests.e2e.typed_enquiries.generator --user-texts var/typed_user_texts.txt
"""

from __future__ import annotations

import argparse
import json
import random
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers

DEFAULT_SEED = 20261202
DEFAULT_COUNT = 330

# --- what the bot can be doing: the questions it asks, and how a conversation ends ---

CONSENT = "consent"
NAME = "name"
EMAIL = "email"
PHONE = "phone"
INTEREST = "interest"
ORGANISATION = "organisation"
TEAM_SIZE = "team_size"
LOCATION = "location"
MESSAGE = "message"
SUMMARY = "summary"
STOP_CONFIRM = "stop_confirm"
QUESTIONS = (CONSENT, NAME, EMAIL, PHONE, INTEREST, ORGANISATION, TEAM_SIZE, LOCATION, MESSAGE, SUMMARY, STOP_CONFIRM)

SENT = "sent"  # a reference was shown
REFUSED = "refused"  # consent refused: no enquiry
STOPPED = "stopped"  # the visitor stopped and confirmed
LEFT = "left"  # three rejected answers: the bot gave the admissions email and left the form
OUTCOMES = (SENT, REFUSED, STOPPED, LEFT)

# --- vocabulary ------------------------------------------------------------------------

COURSES = {  # the catalogue's public courses (not in-house), as in data/courses.yml
    "HM-101": "Healthcare Policy Development",
    "HM-102": "Healthcare Financial Planning and Budgeting",
    "HM-103": "Leadership in Healthcare Organisations",
    "HM-104": "Strategic Planning for Health Services",
    "HM-105": "Regulatory Compliance and Clinical Governance",
    "HM-106": "Workforce Planning and HR Management in Healthcare",
    "HM-107": "Quality Improvement and Patient Safety",
    "HM-108": "Introduction to Healthcare Management",
    "HM-109": "Healthcare Executive Leadership Programme",
    "MA-201": "Medical Billing and Coding",
    "MA-202": "Patient Record Management",
    "MA-203": "Medical Office Administration",
    "MA-204": "Scheduling and Patient Flow",
    "MA-205": "Health Information Management and EHR Systems",
    "MA-206": "Patient Communication and Customer Service",
    "MA-207": "Practice Manager Essentials",
    "MA-208": "Advanced Clinical Coding Audit",
}
FIELDS = ("healthcare management", "medical administration")

WORD_FIRST_NAMES = ("Will", "Hope", "Grace", "Mark", "Bill", "Joy", "Faith", "Sunny", "Doctor", "Nurse")
WORD_LAST_NAMES = ("Doctor", "Nurse", "Hope", "Grace", "Joy", "Mills", "Turner", "Bishop", "Cook", "Price", "Best")
PLAIN_FIRST_NAMES = (
    "Aoife",
    "Tomasz",
    "Oluwaseun",
    "Rhys",
    "Imogen",
    "Callum",
    "Ngozi",
    "Devika",
    "Hamish",
    "Anouk",
    "Tariq",
    "Bronwen",
    "Elif",
    "Matteo",
    "Yusuf",
    "Linnea",
)
PLAIN_LAST_NAMES = (
    "Okonkwo",
    "Kowalczyk",
    "Fairbairn",
    "Achterberg",
    "Ramaswamy",
    "Haddad",
    "Lindqvist",
    "Penhaligon",
    "Quarshie",
    "Trevelyan",
    "Abernethy",
    "Bloggs",
)
ACCENTED_FIRST_NAMES = ("Zoë", "José", "Siobhán", "Chloë", "Renée", "Søren", "Inés", "Björn", "Ciarán", "Noémie")
ACCENTED_LAST_NAMES = ("Núñez", "Müller", "Gonçalves", "Söderström", "Dvořák", "Ó Briain")
APOSTROPHE_LAST_NAMES = ("O'Neill", "O'Brien", "D'Souza", "O'Connor", "O'Sullivan", "D'Arcy")
HYPHENATED_LAST_NAMES = ("Smith-Jones", "Lloyd-Davies", "Okafor-Brown", "Hughes-Patel", "Ward-Kemp")
HYPHENATED_FIRST_NAMES = ("Anne-Marie", "Jean-Luc", "Mary-Kate")
ONE_WORD_NAMES = ("Siobhán", "Oluwaseun", "Kwame", "Ffion", "Zoë", "Ngozi", "Saoirse", "Bronwen", "Anouk", "Tariq")
NAME_FORMS = ("{}", "{}", "my name is {}", "I'm {}", "it's {}", "My name is {}")

WORD_LOCALS = ("help", "cancel", "stop", "info", "no", "yes", "skip")
DOMAINS = (
    "example.org",
    "example.net",
    "example.com",
    "clinic.example",
    "stmarys-hospital.example.org",
    "practice.example.co.uk",
)

INTERNATIONAL_REGIONS = ("FR", "IE", "ES", "DE", "IT", "NL")
PHONE_SKIPS = ("skip", "no thanks", "I'd rather not", "Skip")
TOO_SHORT_PHONES = ("07400 12", "020 79", "+44 74 12")

CONSENTS = ("yes", "sure, that's fine", "I agree", "ok go ahead", "Yes, I agree")
REFUSALS = ("no", "no thanks, I'd rather not", "No thanks")
CONFIRMATIONS = ("yes", "send it", "that's right, send it", "looks good, send", "Send it")
STOPS = ("cancel", "stop", "never mind", "I don't want to")

MESSAGES = (
    "I'd prefer a course that starts after Easter.",
    "My employer is likely to pay the fees.",
    "Evenings are the best time to call me.",
    "I've just been promoted to ward manager.",
    "I work part-time, so the dates matter to me.",
    "Please send me the dates for next year.",
    "I'm moving from nursing into an office role.",
    "Two colleagues may want to join me later.",
    "A morning call would suit me best.",
    "I have ten years of experience on the wards.",
)
MESSAGE_SKIPS = ("no", "nothing", "that's all", "no thanks", "Nothing to add")
LOCATIONS = ("London", "Manchester", "Paris", "Dublin", "Madrid", "Lisbon", "Barcelona", "online")
LOCATION_SKIPS = ("No preference", "skip")
OPENER_CITIES = ("London", "Paris", "Dublin", "Madrid")

SIDE_DIFFERENCE = "what is the difference between healthcare management and medical administration?"
SIDE_DURATION = "how long is the course?"
SIDE_MADRID = "do you run courses in Madrid?"

GENERIC_OPENERS = (
    "can I leave my details?",
    "I want to apply",
    "I'd like to send an enquiry, please",
    "could I make an enquiry?",
    "please take my details so admissions can contact me",
)
COURSE_OPENERS = (
    "I'd like to enquire about your {ref} course",
    "please ask admissions to contact me about {ref}",
    "I want to apply for the {ref} course",
    "I'd like admissions to get in touch about {ref}",
)
FIELD_OPENERS = (
    "please ask admissions to contact me about {field}",
    "I'd like to enquire about your {field} courses",
    "I want to apply for a course in {field}",
)
CITY_OPENERS = (
    "I'd like to enquire about {ref} in {city}",
    "please ask admissions to contact me about {ref} in {city}",
)

# Primary kinds, in the order the corpus cycles through them; terminal ones end without a lead.
PRIMARY_KINDS = (
    "plain",
    "side_question",
    "name_correction",
    "email_correction_midform",
    "email_correction_summary",
    "change_phone_summary",
    "change_button_summary",
    "bad_email",
    "bad_phone",
    "stop_then_no",
    "stop_then_yes",
    "refuse_consent",
    "three_bad_emails",
    "plain",
)
OPENER_KINDS = ("generic", "course", "field", "all_in_one", "generic", "course", "course_city", "all_in_one", "field")
SECONDARY_KINDS = ("side_question", "bad_email", "bad_phone", "name_correction", "stop_then_no")
TERMINAL_KINDS = {"stop_then_yes": STOPPED, "refuse_consent": REFUSED, "three_bad_emails": LEFT}


# --- the conversation, as data ---------------------------------------------------------


@dataclass
class Step:
    """Type ``text`` when the bot is asking ``at``."""

    at: str
    text: str


@dataclass
class Deviation:
    """Steps typed instead of the persona's answers, from the first one's question on.

    ``then``: what the bot must be doing once the last step is typed (a question
    or an outcome), or None when the form may go on as it likes.
    """

    kind: str
    steps: list[Step]
    then: str | None


@dataclass
class Persona:
    """The visitor's own answer to each question the form may ask."""

    name: str
    name_answer: str
    email_answer: str
    phone_answer: str
    interest_answer: str
    location_answer: str
    message_answer: str
    consent_answer: str
    confirm_answer: str
    features: list[str] = field(default_factory=list)

    def answer(self, question: str) -> str | None:
        return {
            CONSENT: self.consent_answer,
            NAME: self.name_answer,
            EMAIL: self.email_answer,
            PHONE: self.phone_answer,
            INTEREST: self.interest_answer,
            LOCATION: self.location_answer,
            MESSAGE: self.message_answer,
            SUMMARY: self.confirm_answer,
        }.get(question)


@dataclass
class ExpectedLead:
    """The lead admissions must receive; ``interest`` (the field) None: not checked."""

    name: str
    email: str
    phone: str | None
    courses: list[str]
    interest: str | None
    location: str | None
    message: str | None


@dataclass
class Conversation:
    id: str
    kinds: list[str]
    opener: str
    opener_gives: list[str]  # questions the opener answered: the form must not ask them
    persona: Persona
    deviations: list[Deviation]
    outcome: str
    expected: ExpectedLead | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Conversation:
        deviations = [Deviation(d["kind"], [Step(**s) for s in d["steps"]], d["then"]) for d in data["deviations"]]
        expected = ExpectedLead(**data["expected"]) if data["expected"] else None
        return cls(
            id=data["id"],
            kinds=list(data["kinds"]),
            opener=data["opener"],
            opener_gives=list(data["opener_gives"]),
            persona=Persona(**data["persona"]),
            deviations=deviations,
            outcome=data["outcome"],
            expected=expected,
        )

    def user_texts(self) -> list[str]:
        """Everything this visitor may type: the opener, the steps, and the persona's answers."""
        texts = [self.opener, *(step.text for d in self.deviations for step in d.steps)]
        texts += [self.persona.answer(q) or "" for q in QUESTIONS]
        return [t for t in texts if t]


# --- pieces ----------------------------------------------------------------------------


def course_field(code: str) -> str:
    return FIELDS[0] if code.startswith("HM-") else FIELDS[1]


def ascii_fold(text: str) -> str:
    """Zoë -> Zoe, Søren -> Soren: letters for an email address."""
    text = text.replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded if c.isalnum())


def e164(typed: str) -> str:
    return phonenumbers.format_number(phonenumbers.parse(typed, "GB"), phonenumbers.PhoneNumberFormat.E164)


def is_valid_phone(typed: str) -> bool:
    try:
        number = phonenumbers.parse(typed, "GB")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


class _Maker:
    """The random choices for one corpus."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def pick(self, options):
        return options[self.rng.randrange(len(options))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # names
    def name(self, index: int) -> tuple[str, str]:
        kinds = ("word_first", "word_last", "apostrophe", "hyphen", "accent", "one_word", "plain", "word_first")
        kind = kinds[index % len(kinds)]
        if kind == "word_first":
            last = self.pick(PLAIN_LAST_NAMES + WORD_LAST_NAMES + APOSTROPHE_LAST_NAMES)
            return f"{self.pick(WORD_FIRST_NAMES)} {last}", kind
        if kind == "word_last":
            return f"{self.pick(PLAIN_FIRST_NAMES + ACCENTED_FIRST_NAMES)} {self.pick(WORD_LAST_NAMES)}", kind
        if kind == "apostrophe":
            return f"{self.pick(PLAIN_FIRST_NAMES + WORD_FIRST_NAMES)} {self.pick(APOSTROPHE_LAST_NAMES)}", kind
        if kind == "hyphen":
            if self.chance(0.3):
                return f"{self.pick(HYPHENATED_FIRST_NAMES)} {self.pick(PLAIN_LAST_NAMES)}", kind
            return f"{self.pick(PLAIN_FIRST_NAMES + WORD_FIRST_NAMES)} {self.pick(HYPHENATED_LAST_NAMES)}", kind
        if kind == "accent":
            last = self.pick(PLAIN_LAST_NAMES + ACCENTED_LAST_NAMES + WORD_LAST_NAMES)
            return f"{self.pick(ACCENTED_FIRST_NAMES)} {last}", kind
        if kind == "one_word":
            return self.pick(ONE_WORD_NAMES), kind
        return f"{self.pick(PLAIN_FIRST_NAMES)} {self.pick(PLAIN_LAST_NAMES)}", kind

    def other_name(self, name: str) -> str:
        """A different name for the same person: a corrected first name, the surname kept."""
        parts = name.split(" ", 1)
        while True:
            first = self.pick(PLAIN_FIRST_NAMES + WORD_FIRST_NAMES + ACCENTED_FIRST_NAMES)
            new = f"{first} {parts[1]}" if len(parts) == 2 else first
            if new != name:
                return new

    # emails: (typed, expected, kind)
    def email(self, name: str, index: int) -> tuple[str, str, str]:
        domain = self.pick(DOMAINS)
        if index % 3 == 0:
            local, kind = self.pick(WORD_LOCALS), "word_local"
        else:
            words = [ascii_fold(w) for w in name.replace("-", " ").replace("'", "").split()]
            words = [w for w in words if w] or ["visitor"]
            style = self.rng.randrange(3)
            if style == 0 or len(words) == 1:
                local = ".".join(words)
            elif style == 1:
                local = "".join(words)
            else:
                local = words[0][0] + words[-1]
            local = local.lower() + (str(self.rng.randrange(2, 99)) if self.chance(0.3) else "")
            kind = "name_local"
        typed = f"{local}@{domain}"
        casing = self.rng.randrange(3)
        if casing == 1:
            typed = f"{local.upper()}@{domain}"
        elif casing == 2:
            typed = f"{local.capitalize()}@{domain.capitalize()}"
        features = [kind] + (["upper_case_email"] if typed != typed.lower() else [])
        return typed, typed.lower(), "+".join(features)

    def bad_emails(self, email: str) -> list[str]:
        local, domain = email.split("@")
        return [f"{local}.{domain}", f"{local}#{domain}", f"{local}@{domain.split('.')[0]}"]

    # phones: (typed, E.164 or None, kind)
    def phone(self, index: int) -> tuple[str, str | None, str]:
        kind = ("uk_mobile", "uk_landline", "international", "skip", "uk_mobile")[index % 5]
        if kind == "skip":
            return self.pick(PHONE_SKIPS), None, kind
        for _ in range(100):
            typed = self._phone_text(kind)
            if is_valid_phone(typed):
                return typed, e164(typed), kind
        raise RuntimeError(f"no valid {kind} phone number found")  # pragma: no cover

    def _phone_text(self, kind: str) -> str:
        digits = "".join(str(self.rng.randrange(10)) for _ in range(6))
        if kind == "uk_mobile":
            prefix = self.pick(("7400", "7412", "7911", "7833", "7520"))
            return self.pick(
                (
                    f"0{prefix} {digits}",
                    f"+44 {prefix} {digits}",
                    f"0{prefix}{digits}",
                    f"+44{prefix}{digits}",
                    f"0{prefix} {digits[:3]} {digits[3:]}",
                )
            )
        if kind == "uk_landline":
            tail = digits[:3]
            return self.pick((f"020 7946 0{tail}", f"+44 20 7946 0{tail}", f"0161 496 0{tail}", f"0117 496 0{tail}"))
        region = self.pick(INTERNATIONAL_REGIONS)
        number_type = self.pick((phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE))
        example = phonenumbers.example_number_for_type(region, number_type)
        national = str(example.national_number)
        national = national[:-3] + digits[:3]
        number = phonenumbers.parse(f"+{example.country_code}{national}", None)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _course_ref(maker: _Maker) -> tuple[str, list[str], str]:
    """(what the visitor types, course codes, how) for one course."""
    code = maker.pick(tuple(COURSES))
    if code == "MA-201" and maker.chance(0.5):
        return "medical billing", [code], "topic"
    if maker.chance(0.5):
        return code, [code], "code"
    title = COURSES[code]
    return (title if maker.chance(0.6) else title.lower()), [code], "title"


def _opener(maker: _Maker, kind: str, name: str, email: str, phone: str | None) -> dict[str, Any]:
    """The opener and what it gives: interest (courses / field), location, and for all-in-one the details."""
    out: dict[str, Any] = {"gives": [], "courses": None, "field": None, "city": None, "kind": kind}
    if kind == "generic":
        out["text"] = maker.pick(GENERIC_OPENERS)
    elif kind in ("course", "course_city"):
        ref, codes, how = _course_ref(maker)
        if kind == "course" and maker.chance(0.15):
            ref, codes, how = "medical billing", ["MA-201"], "topic"
        out.update(courses=codes, gives=[INTEREST], kind=f"{kind}_{how}")
        if kind == "course_city":
            out["city"] = maker.pick(OPENER_CITIES)
            out["text"] = maker.pick(CITY_OPENERS).format(ref=ref, city=out["city"])
        else:
            out["text"] = maker.pick(COURSE_OPENERS).format(ref=ref)
    elif kind == "field":
        out["field"] = maker.pick(FIELDS)
        out.update(gives=[INTEREST], text=maker.pick(FIELD_OPENERS).format(field=out["field"]))
    else:  # all in one message
        style = maker.rng.randrange(3)
        if style == 0:
            # CMOM is a medical administration qualification (seed): the field is given.
            interest, out["field"] = "interested in the CMOM course", "medical administration"
            out["gives"].append(INTEREST)
        elif style == 1:
            ref, out["courses"], _ = _course_ref(maker)
            interest = f"I'd like to enquire about {ref}"
            out["gives"].append(INTEREST)
        else:
            out["field"] = maker.pick(FIELDS)
            interest = f"interested in {out['field']}"
            out["gives"].append(INTEREST)
        parts = [maker.pick((f"I'm {name}", f"my name is {name}", f"I'm {name}")), email]
        if phone is not None:
            parts.append(phone)
            out["gives"].append(PHONE)
        parts.append(interest)
        out["text"] = ", ".join(parts)
        out["gives"] += [NAME, EMAIL]
    return out


def _asked(gives: list[str], city: str | None) -> list[str]:
    """The questions this visitor will certainly be asked, in the form's order."""
    asked = [CONSENT]
    asked += [q for q in (NAME, EMAIL, PHONE, INTEREST) if q not in gives]
    if not city:
        asked.append(LOCATION)
    return [*asked, MESSAGE, SUMMARY]


def make_conversation(maker: _Maker, index: int) -> Conversation:
    primary = PRIMARY_KINDS[index % len(PRIMARY_KINDS)]
    name, name_kind = maker.name(index)
    email_typed, email, email_kind = maker.email(name, index)
    phone_typed, phone, phone_kind = maker.phone(index // 2)
    opener_kind = OPENER_KINDS[index % len(OPENER_KINDS)]
    needs_email_question = primary in ("bad_email", "three_bad_emails", "email_correction_midform")
    if opener_kind == "all_in_one" and (needs_email_question or primary == "bad_phone"):
        opener_kind = "generic"
    if primary == "bad_phone" and phone is None:
        phone_typed, phone, phone_kind = maker.phone(0)  # a UK mobile: the bad one is corrected by a good one
    opener = _opener(maker, opener_kind, name, email_typed, phone_typed if phone is not None else None)

    # The persona's answers.
    if opener["courses"]:
        courses, field_name = list(opener["courses"]), None
        interest_answer = COURSES[courses[0]]
    elif opener["field"]:
        courses, field_name = [], opener["field"]
        interest_answer = field_name
    elif maker.chance(0.6):
        interest_answer, courses, _ = _course_ref(maker)
        field_name = None
    else:
        field_name = maker.pick(FIELDS)
        courses, interest_answer = [], field_name
    # The interest stored is the field: the one named, or the course's.
    checked_interest = field_name or course_field(courses[0])

    sides = (
        [SIDE_DURATION] + ([SIDE_DIFFERENCE] if opener["courses"] else []) + ([] if opener["city"] else [SIDE_MADRID])
    )
    side = maker.pick(sides)  # the difference names both fields: only where a course is already the interest
    if opener["city"]:
        location_answer, location = opener["city"], opener["city"]
    elif side == SIDE_MADRID and primary == "side_question":
        location_answer, location = "Madrid", "Madrid"  # asked about Madrid, so it is where they want to study
    elif maker.chance(0.2):
        location_answer, location = maker.pick(LOCATION_SKIPS), None
    else:
        location_answer = maker.pick(LOCATIONS)
        location = location_answer
    if maker.chance(0.4):
        message_answer, message = maker.pick(MESSAGE_SKIPS), None
    else:
        message_answer = maker.pick(MESSAGES)
        message = message_answer
    name_answer = maker.pick(NAME_FORMS).format(name)
    persona = Persona(
        name=name,
        name_answer=name_answer,
        email_answer=email_typed,
        phone_answer=phone_typed,
        interest_answer=interest_answer,
        location_answer=location_answer,
        message_answer=message_answer,
        consent_answer=maker.pick(CONSENTS),
        confirm_answer=maker.pick(CONFIRMATIONS),
        features=[f"name:{name_kind}", f"email:{email_kind}", f"phone:{phone_kind}", f"opener:{opener['kind']}"],
    )
    expected = ExpectedLead(
        name=name,
        email=email,
        phone=phone,
        courses=courses,
        interest=checked_interest,
        location=location,
        message=message,
    )
    asked = _asked(opener["gives"], opener["city"])
    deviations: list[Deviation] = []
    used: set[str] = set()
    if not _add_deviation(maker, primary, asked, used, deviations, persona, expected, side):
        raise AssertionError(f"conversation {index}: no place for {primary}")  # pragma: no cover
    if primary not in TERMINAL_KINDS and primary != "plain" and maker.chance(0.3):
        secondary = maker.pick(SECONDARY_KINDS)
        second_side = SIDE_DURATION if side == SIDE_MADRID else side
        _add_deviation(maker, secondary, asked, used, deviations, persona, expected, second_side)
    kinds = [d.kind for d in deviations] or ["plain"]
    outcome = TERMINAL_KINDS.get(primary, SENT)
    return Conversation(
        id=f"c{index:04d}",
        kinds=kinds,
        opener=opener["text"],
        opener_gives=sorted(opener["gives"]),
        persona=persona,
        deviations=sorted(deviations, key=lambda d: asked.index(d.steps[0].at)),
        outcome=outcome,
        expected=None if outcome != SENT else expected,
    )


def _add_deviation(
    maker: _Maker,
    kind: str,
    asked: list[str],
    used: set[str],
    deviations: list[Deviation],
    persona: Persona,
    expected: ExpectedLead,
    side: str,
) -> bool:
    """Plan one deviation at a question not used yet; False when this visitor has no place for it."""
    mid_form = [q for q in asked if q not in (CONSENT, SUMMARY) and q not in used]

    def at_one_of(options: list[str]) -> str | None:
        options = [q for q in options if q not in used]
        return maker.pick(options) if options else None

    if kind == "plain":
        return True
    if kind == "side_question":
        options = mid_form
        if side == SIDE_MADRID:  # before or at the location question: the visitor's location is Madrid
            options = [q for q in mid_form if asked.index(q) <= asked.index(LOCATION)] if LOCATION in asked else []
        at = at_one_of(options)
        if at is None:
            return False
        deviations.append(Deviation(kind, [Step(at, side)], at))
    elif kind == "name_correction":
        if any(d.kind in (kind, f"change_button_summary:{NAME}") for d in deviations):
            return False  # planned in another order than it happens: the later change would decide the name
        after_name = [q for q in mid_form if NAME not in asked or asked.index(q) > asked.index(NAME)]
        at = at_one_of(after_name)
        if at is None:
            return False
        new = maker.other_name(expected.name)
        text = maker.pick(("sorry, my name is actually {}", "my name is actually {}")).format(new)
        expected.name = new
        deviations.append(Deviation(kind, [Step(at, text)], at))
    elif kind == "email_correction_midform":
        after_email = [q for q in mid_form if EMAIL in asked and asked.index(q) > asked.index(EMAIL)]
        at = at_one_of(after_email)
        if at is None:
            return False
        typed = _new_email(maker, expected.email)
        expected.email = typed.lower()
        deviations.append(Deviation(kind, [Step(at, f"my email is actually {typed}")], at))
    elif kind == "email_correction_summary":
        typed = _new_email(maker, expected.email)
        expected.email = typed.lower()
        text = maker.pick(("my email is actually {}", "sorry, my email is actually {}")).format(typed)
        deviations.append(Deviation(kind, [Step(SUMMARY, text)], SUMMARY))
    elif kind == "change_phone_summary":
        typed, number, _ = maker.phone(0)
        expected.phone = number
        deviations.append(Deviation(kind, [Step(SUMMARY, "change my phone"), Step(PHONE, typed)], SUMMARY))
    elif kind == "change_button_summary":
        which = maker.pick((NAME, EMAIL, PHONE, LOCATION, MESSAGE))
        if which == NAME:
            value = text = maker.other_name(expected.name)
            expected.name = value
        elif which == EMAIL:
            text = _new_email(maker, expected.email)
            expected.email = text.lower()
        elif which == PHONE:
            text, expected.phone, _ = maker.phone(2)
        elif which == LOCATION:
            text = maker.pick([c for c in LOCATIONS if c != expected.location])
            expected.location = text
        else:
            text = maker.pick([m for m in MESSAGES if m != expected.message])
            expected.message = text
        title = f"Change {which}"
        deviations.append(Deviation(f"{kind}:{which}", [Step(SUMMARY, title), Step(which, text)], SUMMARY))
    elif kind == "bad_email":
        if EMAIL not in asked or EMAIL in used:
            return False
        bad = maker.pick(maker.bad_emails(persona.email_answer)[:1] + maker.bad_emails(persona.email_answer)[2:])
        deviations.append(Deviation(kind, [Step(EMAIL, bad)], EMAIL))
        used.add(EMAIL)
        return True
    elif kind == "bad_phone":
        if PHONE not in asked or PHONE in used or expected.phone is None:
            return False
        deviations.append(Deviation(kind, [Step(PHONE, maker.pick(TOO_SHORT_PHONES))], PHONE))
        used.add(PHONE)
        return True
    elif kind in ("stop_then_no", "stop_then_yes"):
        at = at_one_of(mid_form + ([SUMMARY] if kind == "stop_then_yes" else []))
        if at is None:
            return False
        answer, then = ("no", at) if kind == "stop_then_no" else ("yes", STOPPED)
        deviations.append(Deviation(kind, [Step(at, maker.pick(STOPS)), Step(STOP_CONFIRM, answer)], then))
    elif kind == "refuse_consent":
        deviations.append(Deviation(kind, [Step(CONSENT, maker.pick(REFUSALS))], REFUSED))
    elif kind == "three_bad_emails":
        bad = maker.bad_emails(persona.email_answer)
        deviations.append(Deviation(kind, [Step(EMAIL, text) for text in bad], LEFT))
    else:  # pragma: no cover
        raise ValueError(kind)
    used.add(deviations[-1].steps[0].at)
    return True


def _new_email(maker: _Maker, old: str) -> str:
    local, domain = old.split("@")
    new_domain = maker.pick([d for d in DOMAINS if d != domain])
    return f"{local}@{new_domain}" if maker.chance(0.5) else f"{local.capitalize()}@{new_domain}"


# --- the corpus ------------------------------------------------------------------------


def generate(seed: int = DEFAULT_SEED, count: int = DEFAULT_COUNT) -> list[Conversation]:
    """``count`` conversations; the same seed and count always give the same list."""
    maker = _Maker(seed)
    return [make_conversation(maker, index) for index in range(count)]


def corpus_json(conversations: list[Conversation]) -> str:
    return json.dumps([c.to_dict() for c in conversations], ensure_ascii=False, indent=1)


#: The fixed short answers the issue requires visitors to type (stop words, yes / no, skips, button
#: titles). Some are necessarily also NLU examples (affirm, deny, cancel): a leak check may leave them out.
CONTROL_ANSWERS = frozenset(
    (*CONSENTS, *REFUSALS, *CONFIRMATIONS, *STOPS, *PHONE_SKIPS, *MESSAGE_SKIPS, *LOCATION_SKIPS, "yes", "no")
)


def user_texts(seed: int = DEFAULT_SEED, count: int = DEFAULT_COUNT, control_answers: bool = True) -> list[str]:
    """Every distinct text a generated visitor may type, sorted: for the training-data leak check.

    ``control_answers=False`` leaves out CONTROL_ANSWERS.
    """
    texts = {text for conversation in generate(seed, count) for text in conversation.user_texts()}
    return sorted(texts if control_answers else texts - CONTROL_ANSWERS)


def typed_texts_to_check() -> list[str]:
    """For the leak checker (bot/nlp/leaks.py TEST_SETS): every text but the fixed control answers
    ("yes", "no", "cancel" ...), which a visitor must be able to type whatever the training data says."""
    return user_texts(control_answers=False)


def write_user_texts(
    path: Path, seed: int = DEFAULT_SEED, count: int = DEFAULT_COUNT, control_answers: bool = True
) -> Path:
    path.write_text("\n".join(user_texts(seed, count, control_answers)) + "\n", encoding="utf-8")
    return path


def case_mix(conversations: list[Conversation]) -> Counter:
    """How many conversations have each kind, opener, name, email and phone feature, and outcome."""
    mix: Counter = Counter()
    for conversation in conversations:
        mix.update(f"kind:{kind}" for kind in conversation.kinds)
        mix.update(conversation.persona.features)
        mix[f"outcome:{conversation.outcome}"] += 1
        mix.update(f"side:{s.text}" for d in conversation.deviations if d.kind == "side_question" for s in d.steps)
        if conversation.expected and conversation.expected.message is None:
            mix["message:none"] += 1
    return mix


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--json", type=Path, help="write the whole corpus as JSON here")
    parser.add_argument("--user-texts", type=Path, help="write every text a visitor types here, one a line")
    parser.add_argument("--summary", action="store_true", help="print the mix of cases")
    args = parser.parse_args(argv)
    conversations = generate(args.seed, args.count)
    if args.json:
        args.json.write_text(corpus_json(conversations), encoding="utf-8")
    if args.user_texts:
        write_user_texts(args.user_texts, args.seed, args.count)
    if args.summary or not (args.json or args.user_texts):
        print(f"{len(conversations)} conversations (seed {args.seed})")
        for key, number in sorted(case_mix(conversations).items()):
            print(f"  {key}: {number}")


if __name__ == "__main__":
    main()
