"""A message that holds an email address or a phone number, or asks in so many
words to enquire or to be contacted, is an enquiry.

A statistical classifier reads "I'm Jo Bloggs, jo@example.com, 07400 123456,
interested in the CMOM course" as a course question, and then echoes the
visitor's personal details back; "I'd like to enquire about quality
improvement and patient safety" reads as a question about patients. Contact
details are found here with the same parsers the enquiry form uses
(email-validator, phonenumbers), and the message is classified as
``enquire`` with full confidence. Inside a form the intent does not matter:
the form reads the text itself.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.dialogue.contact_details import find_emails, find_phones
from bot.nlp.rule_intent import RuleIntentComponent

ENQUIRE = "enquire"
# Only wordings that cannot be anything but a request to enquire or be contacted.
_ASKS_TO_ENQUIRE = re.compile(
    r"\b(?:i'?d like to|i would like to|i want to|i wish to|can i|could i|may i|let me|i'?m writing to|"
    r"i need to)\s+(?:make an? |send an? |leave an? )?(?:enquire|enquiry|inquire|inquiry)\b"
    r"|\b(?:ask|get|have|let)\s+(?:admissions|someone|somebody|an adviser|your team|the team|"
    r"a member of (?:staff|the team)|one of your (?:advisers|advisors|team))\s+(?:to\s+)?"
    r"(?:contact|call|email|phone|ring|text)\s+me\b"
    r"|\b(?:admissions|someone|somebody|you)\s+(?:to\s+)?(?:get|getting)\s+in\s+touch\b"
    # Asking to be contacted later is an enquiry; talking to someone now is request_human.
    r"|\b(?:leave|give you|send you|take|pass on)\s+(?:my|me)\s+(?:contact\s+)?(?:details|number|phone number|"
    r"email|email address|name and number)\b"
    r"|\b(?:get|getting|come|coming)\s+back\s+to\s+me\b"
    r"|\b(?:call|ring|phone|email)\s+me\s+back\b"
    # "I'll leave an enquiry then", "ok, send an inquiry": doing it, in so many words.
    r"|\b(?:make|send|leave|submit|drop|put in|fill in|lodge)\s+(?:an?|my|the)\s+(?:enquiry|inquiry)\b",
    re.IGNORECASE,
)
# "I'd rather not leave my details": a negation earlier in the same clause undoes the request, and
# "how long does it take to make an enquiry?" asks about enquiring rather than doing it.
_NEGATED = re.compile(
    r"\b(?:don'?t|do not|not|never|no longer|won'?t|wouldn'?t|without|how|what|why)\b[^.,;!?]*$",
    re.IGNORECASE,
)

# "please submit the enquiry once more" asks to retry the one that failed (retry_enquiry), not for a new one.
_AGAIN = re.compile(
    r"\b(?:again|once more|one more time|another (?:go|try)|retry|re-?send|re-?submit)\b", re.IGNORECASE
)


def holds_contact_details(text: str) -> bool:
    return bool(find_emails(text) or find_phones(text))


def is_enquiry(text: str) -> bool:
    """Contact details, or an explicit request to enquire or be contacted."""
    clean = text.replace("\u2019", "'")
    request = _ASKS_TO_ENQUIRE.search(clean)
    if request and not _NEGATED.search(clean[: request.start()]) and not _AGAIN.search(clean):
        return True
    return holds_contact_details(clean)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class EnquiryIntentClassifier(RuleIntentComponent):
    """Sets the intent to ``enquire`` when the message holds contact details."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"intent": ENQUIRE}

    def __init__(self, config: dict[str, Any]) -> None:
        self.intent = config.get("intent", ENQUIRE)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> EnquiryIntentClassifier:
        return cls(config)

    def reading(self, text: str, intent: str | None, entities: list[dict]) -> str | None:  # noqa: ARG002
        return self.intent if is_enquiry(text) else None
