"""A question about pay is a salary question, whatever field topic it also names.

"Which pays better, medical administration or healthcare management?" shares
most of its words with "which should I choose?", and "what does a healthcare
manager take home per year?" with "what does a healthcare manager do?"; the
statistical classifier then answers the topic, which says nothing of pay.
The academy's material says nothing about salaries, so the honest answer is
``faq_salary`` ("I don't have salary figures; admissions can help"). Only
field and choice readings are moved: "can I pay in instalments?" (discounts)
and "how much do I pay for HM-101?" (a course's fee) stay as the model read
them, and "earn a certificate" or "earn a living" is not about pay.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.nlp.rule_intent import MoveReadingRule

SALARY = "faq_salary"
# Readings about a field, or about choosing between the two, that a question about pay can be mistaken for.
FIELD_READINGS = (
    "ask_overview",
    "ask_responsibilities",
    "ask_qualifications",
    "ask_skills",
    "ask_careers",
    "ask_workplaces",
    "ask_patient_interaction",
    "ask_difference",
    "ask_choose",
    "faq_same_thing",
    "faq_why_training",
)
_CREDENTIAL = (
    r"(?:an?\s+|the\s+|my\s+|your\s+|some\s+)?"
    r"(?:certificates?|qualifications?|degrees?|diplomas?|cpd|points?|credits?|credentials?|badges?|place)"
    # "earn their living doing": the work, not the pay.
    r"|(?:a\s+|their\s+|my\s+|your\s+|his\s+|her\s+|our\s+)?living"
)
_ASKS_ABOUT_PAY = re.compile(
    r"\b(?:salary|salaries|wages?|income|paycheck|pay\s?packet|take[- ]home)\b"
    rf"|\bearn(?:s|ing|ings)?\b(?!\s+(?:{_CREDENTIAL})\b)"
    r"|\b(?:pays?|paid|paying)\s+(?:better|more|less|best|the most|well|badly|poorly)\b"
    r"|\b(?:better|best|well|badly|poorly|higher|highest|lower)[- ]paid\b"
    r"|\b(?:pay|money)\s+(?:is|like|in it|per (?:year|month|hour|annum))\b"
    r"|\bhow much (?:do|does|can|could|would|will)\s+(?:an?\s+)?[\w\s]{0,40}?\b(?:make|get paid)\b",
    re.IGNORECASE,
)


def asks_about_pay(text: str) -> bool:
    return bool(_ASKS_ABOUT_PAY.search(text.replace("\u2019", "'")))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class PayQuestionRule(MoveReadingRule):
    """Moves a field or choice reading to ``faq_salary`` when the message asks about pay."""

    INTENT = SALARY
    FROM_INTENTS = FIELD_READINGS

    def says_so(self, text: str) -> bool:
        return asks_about_pay(text)
