"""Asking in so many words for a person is a request for a person, however it is said.

"Get me a human, this bot is useless" shares its strongest words with rude
messages, and "I want to talk to an actual person" with "am I talking to a
person?"; the statistical classifier then answers the insult calmly or says
it is a bot, and the visitor has to ask again. When the model reads a
message as rude, as a question about the bot, or as off-topic, and the
message asks to be put through to a person, the reading becomes
``request_human``, which offers the handoff. "Are you a real person?" asks
nothing of the kind and stays a question about the bot.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.nlp.rule_intent import MoveReadingRule

REQUEST_HUMAN = "request_human"
# Readings that a request for a person, said with frustration or about the bot, is mistaken for.
MISTAKEN_FOR = ("insult", "bot_challenge", "out_of_scope_other", "ask_help")
_PERSON = (
    r"(?:an?\s+|some\s+|one of your\s+|your\s+)?(?:real\s+|actual\s+|live\s+|proper\s+)?"
    r"(?:human(?:\s+being)?s?|person|people|agents?|advis[eo]rs?|members? of (?:staff|the team)|staff(?: members?)?"
    r"|someone|somebody)\b"
)
_ASKS_FOR_A_PERSON = re.compile(
    # "get me a human", "put me through to someone", "connect me with an adviser"
    rf"\b(?:get|give|find|put|connect|transfer|pass|send)\s+me\s+(?:through\s+)?(?:to\s+|with\s+)?{_PERSON}"
    # "I want a real person", "I need to speak to a human", "I'd like to talk with someone"
    rf"|\b(?:want|need|would like|'d like|wanna)\s+(?:(?:to\s+)?(?:talk|speak|chat)\s+(?:to|with)\s+)?{_PERSON}"
    # "let me talk to a person", "can I speak to someone real"
    rf"|\b(?:let me|can i|could i|may i)\s+(?:talk|speak|chat)\s+(?:to|with)\s+{_PERSON}",
    re.IGNORECASE,
)


def asks_for_a_person(text: str) -> bool:
    return bool(_ASKS_FOR_A_PERSON.search(text.replace("\u2019", "'")))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class PersonRequestRule(MoveReadingRule):
    """Moves a rude, bot-question or off-topic reading to ``request_human`` when a person is asked for."""

    INTENT = REQUEST_HUMAN
    FROM_INTENTS = MISTAKEN_FOR

    def says_so(self, text: str) -> bool:
        return asks_for_a_person(text)
