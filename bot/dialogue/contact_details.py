"""Reading the contact details a visitor types, in their own words.

Each ``parse_*`` function either accepts the text (``Parsed.value``) or says
why not (``Parsed.error``, a sentence the bot can say as it is). The finders
pull details out of a longer message ("I'm Jo Bloggs, jo@example.com,
07400 123456"). Email addresses are checked by ``email-validator`` and phone
numbers by ``phonenumbers``; nothing here decides what a valid address or
number is by a regular expression of its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers

from bot.leads.models import NAME_MAX
from bot.leads.validation import validate_email, validate_phone

DEFAULT_REGION = "GB"


@dataclass(frozen=True)
class Parsed:
    """Either ``value`` (the cleaned answer) or ``error`` (what to tell the visitor)."""

    value: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.value is not None


def normalise(text: str | None) -> str:
    """NFC, typographic apostrophes made plain, one line, single spaces."""
    text = unicodedata.normalize("NFC", text or "").replace("\u2019", "'").replace("\u2018", "'")
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _bare(text: str) -> str:
    """Lower case, no punctuation at the ends, single spaces: for matching short replies."""
    return " ".join(normalise(text).lower().strip(" .!,;:-").split())


# --- emails and phones inside a message ---------------------------------------

_TOKEN_EDGES = "\"'<>()[]{},;:.!?"


def _email_candidates(text: str) -> list[str]:
    tokens = re.split(r"[\s,;]+", normalise(text))
    return [token.strip(_TOKEN_EDGES) for token in tokens if "@" in token]


def find_emails(text: str | None) -> list[str]:
    """Every valid email address in the message, normalised, in order."""
    found = []
    for candidate in _email_candidates(text or ""):
        result = validate_email(candidate)
        if result.ok and result.value not in found:
            found.append(result.value)
    return found


def parse_email(text: str | None) -> Parsed:
    """The one email address in an answer such as "it's jo@example.com"."""
    candidates = _email_candidates(text or "")
    if not candidates:
        return Parsed(error=validate_email(normalise(text)).error)
    result = validate_email(candidates[0])
    return Parsed(value=result.value) if result.ok else Parsed(error=result.error)


def _phone_matches(text: str, region: str) -> list[phonenumbers.PhoneNumberMatch]:
    return list(phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID))


def find_phones(text: str | None, region: str = DEFAULT_REGION) -> list[str]:
    """Every valid phone number in the message, in E.164, in order."""
    found = []
    for match in _phone_matches(normalise(text), region):
        number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if number not in found:
            found.append(number)
    return found


_PHONE_LIKE = re.compile(r"\+?\d[\d\s().-]{4,}\d")


def looks_like_phone(text: str | None) -> bool:
    """Mostly digits: an attempt at a phone number, valid or not."""
    return bool(_PHONE_LIKE.search(normalise(text)))


def parse_phone(text: str | None, region: str = DEFAULT_REGION) -> Parsed:
    """The phone number in an answer such as "07400 123456" or "call me on +33 1 42 68 53 00"."""
    clean = normalise(text)
    found = find_phones(clean, region)
    if found:
        return Parsed(value=found[0])
    attempt = _PHONE_LIKE.search(clean)
    result = validate_phone(attempt.group(0) if attempt else clean, region)
    return Parsed(value=result.value) if result.ok else Parsed(error=result.error)


def without_contact_details(text: str | None, region: str = DEFAULT_REGION) -> str:
    """The message with its email addresses and phone numbers taken out."""
    clean = normalise(text)
    for match in reversed(_phone_matches(clean, region)):
        clean = clean[: match.start] + " " + clean[match.end :]
    tokens = [token for token in re.split(r"(\s+)", clean) if "@" not in token]
    return " ".join("".join(tokens).split())


# --- names -----------------------------------------------------------------------

# Words that are never part of a person's name in an answer: if one of these
# is in the text, it is a sentence (a question, a refusal), not a name. Names
# that are also English words (Will, Hope, Grace, Mark, Faith, Doctor) are
# not listed, so they pass.
_NOT_NAME_WORDS = frozenset(
    """
    a about after again all also am an and any anything are as at be because been before but by can cannot
    can't could course courses did do does doing don't email enquiry enquire for from get give go had has have
    help hello hey hi how i i'd i'll i'm i've if in into is isn't it it's just know like me mine more my need
    no nope not nothing now of off ok okay on one or our phone please prefer rather really right say see send
    should skip so some sorry sure tell thank thanks that that's the their them then there these they this
    those to too training type us use want was we were what when where which who why with would yeah yes you
    your yours number study want wanted interested looking thing things question questions anyway whatever
    """.split()
)
_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['\u2019.-][^\W\d_]*)*\.?$")
_NAME_LEAD_IN = re.compile(
    r"^(?:(?:hi|hello|hey|sorry|oops|ok|okay|yes|sure)[,!.]?\s+)*"
    r"(?:my name is|my name's|my full name is|the name is|name is|name:|i am|i'm|im|it is|it's|this is|call me)"
    r"\s+(?:actually\s+)?",
    re.IGNORECASE,
)
# In a longer message, a name is only taken after an explicit lead-in.
_NAME_IN_MESSAGE = re.compile(
    r"(?:^|[\s,.;!])(?:my name is|my name's|my full name is|i am|i'm|this is|call me)\s+(?P<name>[^,;:.!?\d@]+)",
    re.IGNORECASE,
)


def _is_initial(word: str) -> bool:
    """ "A", "J." as in "Visitor A" or "Jo J. Bloggs" (but not "I")."""
    letter = word.rstrip(".")
    return len(letter) == 1 and letter.isupper() and letter != "I"


def _name_from(words: list[str]) -> str | None:
    if not words or len(words) > 6:
        return None
    for word in words:
        if _is_initial(word):
            continue
        if word.lower() in _NOT_NAME_WORDS or not _NAME_WORD.match(word):
            return None
    name = " ".join(words)
    return name if len(name) <= NAME_MAX else None


def parse_name(text: str | None) -> Parsed:
    """A person's name as typed: "Will Turner", "my name is Siobhán O'Neill", "I'm Jo"."""
    clean = normalise(text)
    if not clean:
        return Parsed(error="I didn't catch a name. What should our admissions team call you?")
    if "@" in clean:
        return Parsed(error="That looks like an email address. I'll ask for that next; first, what's your name?")
    if any(c.isdigit() for c in clean):
        return Parsed(error="A name shouldn't have numbers in it. What should our admissions team call you?")
    if len(clean) > NAME_MAX:
        return Parsed(error=f"That name is longer than I can store ({NAME_MAX} characters). Could you shorten it?")
    stripped = _NAME_LEAD_IN.sub("", clean).strip(" .!,;:")
    name = _name_from(stripped.split())
    if name is None:
        return Parsed(error="That doesn't look like a name to me. Please type just your name, for example Jo Bloggs.")
    return Parsed(value=name)


def find_name(text: str | None) -> str | None:
    """A name introduced as such inside a longer message ("Hi, I'm Jo Bloggs, ..."), else None.

    The first word must be capitalised: "I'm looking for ..." is not a name.
    """
    for match in _NAME_IN_MESSAGE.finditer(normalise(text)):
        words = []
        for word in match["name"].split():
            if word.lower() in _NOT_NAME_WORDS or not _NAME_WORD.match(word):
                break
            words.append(word)
        name = _name_from(words)
        if name and name[0].isupper():
            return name
    return None


# --- short replies -----------------------------------------------------------------

_YES = re.compile(
    r"^(?:y|yes|yeah|yea|yep|yup|sure|ok|okay|of course|certainly|absolutely|correct|right|that'?s right|"
    r"that'?s correct|that'?s fine|fine|i agree|agree|agreed|i do|i consent|please do|go ahead|send|send it|"
    r"looks good|looks right|looks fine|all good|all correct|perfect|great|confirm|confirmed|do it|"
    r"that'?s (?:all )?(?:good|great|perfect)|yes please)\b",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^(?:n|no|nope|nah|no thanks|no thank you|i don'?t agree|i do not agree|don'?t agree|disagree|i don'?t|"
    r"i do not|not now|rather not|i'?d rather not|not really|carry on|continue|keep going)\b",
    re.IGNORECASE,
)


def yes_or_no(text: str | None) -> bool | None:
    """True for a typed yes ("sure, go ahead", "that's right, send it"), False for a no, else None."""
    cleaned = _bare(text)
    if _NO.match(cleaned):
        return False
    if _YES.match(cleaned):
        return True
    return None


_SKIP = frozenset(
    """
    skip|skip it|skip this|skip that|skip this one|no|nope|nah|no thanks|no thank you|no, thanks|rather not|
    i'd rather not|id rather not|i would rather not|prefer not to say|i prefer not to say|none|n/a|na|pass|
    nothing|nothing else|nothing to add|nothing more|nothing thanks|nothing, thanks|that's all|thats all|
    that's it|thats it|no, that's all|no that's all|no, nothing|no nothing|no, nothing else|
    no, that's it|all good|i'm good|im good|not really|no need|not needed|nope, that's all|nothing at all|
    no message|no comment|not now|leave it|leave it blank|blank|-|
    no preference|no preference at all|anywhere|don't mind|i don't mind|dont mind
    """.replace("\n", "").split("|")
)


_SKIP_PHRASES = frozenset(item.strip() for item in _SKIP if item.strip())
_POLITE = frozenset({"thanks", "thank you", "thanks a lot", "cheers", "please", "ta"})


def is_skip(text: str | None) -> bool:
    """The visitor has nothing to give for an optional question: "skip", "nothing", or a few such
    phrases together ("nothing, that's all", "no thanks, that's it")."""
    bare = _bare(text)
    if bare in _SKIP_PHRASES:
        return True
    parts = [part.strip(" .!") for part in re.split(r"[,;.!]|\s-\s|\band\b", bare) if part.strip(" .!")]
    return (
        bool(parts)
        and all(part in _SKIP_PHRASES or part in _POLITE for part in parts)
        and any(part in _SKIP_PHRASES for part in parts)
    )


_STOP = re.compile(
    r"^(?:please\s+)?(?:cancel|stop|quit|exit|abort|never ?mind|forget it|forget about it|i changed my mind|"
    r"changed my mind|i'?ve changed my mind|i don'?t want to(?: do this| do that| continue| go on| carry on)?|"
    r"i do not want to(?: continue)?|i no longer want to(?: enquire)?|stop (?:it|this|that|here|now|the form|"
    r"the enquiry|my enquiry)|cancel (?:it|this|that|the form|my enquiry|the enquiry|everything))"
    r"(?:[,.]?\s*(?:please|thanks|thank you))?$",
    re.IGNORECASE,
)


def is_stop(text: str | None) -> bool:
    """An explicit request to leave the form; an address like cancel@example.com is not one."""
    return bool(_STOP.match(_bare(text)))


# --- corrections --------------------------------------------------------------------

#: The enquiry slot each word a visitor may use for a detail refers to.
DETAIL_WORDS = {
    "name": "enquiry_name",
    "full name": "enquiry_name",
    "email": "enquiry_email",
    "e-mail": "enquiry_email",
    "email address": "enquiry_email",
    "address": "enquiry_email",
    "phone": "enquiry_phone",
    "phone number": "enquiry_phone",
    "number": "enquiry_phone",
    "mobile": "enquiry_phone",
    "mobile number": "enquiry_phone",
    "telephone": "enquiry_phone",
    "interest": "enquiry_interest",
    "course": "enquiry_interest",
    "courses": "enquiry_interest",
    "organisation": "enquiry_organisation",
    "organization": "enquiry_organisation",
    "team size": "enquiry_team_size",
    "team": "enquiry_team_size",
    "location": "enquiry_location",
    "place": "enquiry_location",
    "city": "enquiry_location",
    "message": "enquiry_message",
}
_DETAIL = "|".join(sorted((re.escape(word) for word in DETAIL_WORDS), key=len, reverse=True))
_NEW_VALUE = re.compile(
    rf"^(?:(?:sorry|oops|wait|actually|no|hang on|correction)[,!.]?\s+)*(?:my|the)\s+(?P<detail>{_DETAIL})"
    r"(?:\s+is|'s|\s+should be|\s+should have been)\s+(?:actually\s+|now\s+)?(?P<value>.+)$",
    re.IGNORECASE,
)
_CHANGE = re.compile(
    rf"^(?:(?:sorry|oops|wait|actually|please|can you|could you|can i|could i|i'd like to|i want to|i need to)"
    rf"[,!.]?\s+)*(?:change|edit|fix|correct|update|amend)\s+(?:my\s+|the\s+)?(?P<detail>{_DETAIL})"
    r"(?:\s+to\s+(?P<value>.+))?(?:\s+please)?$",
    re.IGNORECASE,
)
_WRONG = re.compile(
    rf"^(?:(?:sorry|oops|actually|no)[,!.]?\s+)*(?:(?:that's\s+|that is\s+)?(?:the\s+)?wrong\s+(?P<d1>{_DETAIL})|"
    rf"(?:my\s+|the\s+)?(?P<d2>{_DETAIL})\s+is\s+wrong)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Correction:
    slot: str
    new_text: str | None  # None: the visitor wants to be asked again


def parse_correction(text: str | None) -> Correction | None:
    """ "my email is actually jo@x.org", "change my phone", "Change name", "wrong name" -> what to change."""
    clean = normalise(text).rstrip(" .!")
    match = _WRONG.match(clean)
    if match:
        return Correction(DETAIL_WORDS[(match["d1"] or match["d2"]).lower()], None)
    for pattern in (_NEW_VALUE, _CHANGE):
        match = pattern.match(clean)
        if match:
            value = (match.groupdict().get("value") or "").strip() or None
            return Correction(DETAIL_WORDS[match["detail"].lower()], value)
    return None


_QUESTION_START = re.compile(
    r"^(?:what|what's|whats|how|why|where|when|which|who|whom|whose|can|could|do|does|did|is|are|will|would|"
    r"should|shall|may|might|have|has|tell me|explain)\b",
    re.IGNORECASE,
)


def is_question(text: str | None) -> bool:
    """Shaped like a question: a question mark, or a question word followed by more words."""
    clean = normalise(text)
    return clean.endswith("?") or (bool(_QUESTION_START.match(clean)) and len(clean.split()) >= 3)
