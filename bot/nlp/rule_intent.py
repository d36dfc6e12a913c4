"""What the pipeline's rule components share: they run after the statistical
intent classifier and, where the words decide, replace its reading."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


class RuleIntentComponent(GraphComponent, IntentClassifier):
    """A rule after the model's intent classifier: ``reading`` says which intent the words decide, if any."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [IntentClassifier]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,  # noqa: ARG003 - Rasa's signature
        resource: Resource,  # noqa: ARG003
        execution_context: ExecutionContext,  # noqa: ARG003
    ) -> RuleIntentComponent:
        return cls.from_config({**cls.get_default_config(), **config})

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> RuleIntentComponent:
        raise NotImplementedError

    def reading(self, text: str, intent: str | None, entities: list[dict]) -> str | None:
        """The intent the words decide for ``text`` (the model read ``intent``, the extractors found
        ``entities``), or None to keep the model's."""
        raise NotImplementedError

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue  # a button's payload names its intent
            intent = (message.get(INTENT) or {}).get("name")
            decided = self.reading(text, intent, message.get(ENTITIES) or [])
            if decided:
                decide_intent(message, decided)  # the model's own reading too: no close rival is left
        return messages


class MoveReadingRule(RuleIntentComponent):
    """Moves the model's reading to ``INTENT`` when it is one of ``FROM_INTENTS`` and ``says_so(text)``."""

    INTENT = ""
    FROM_INTENTS: tuple[str, ...] = ()

    @classmethod
    def get_default_config(cls) -> dict[str, Any]:
        return {"intent": cls.INTENT, "from_intents": list(cls.FROM_INTENTS)}

    def __init__(self, config: dict[str, Any]) -> None:
        self.intent = config["intent"]
        self.from_intents = frozenset(config["from_intents"])

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> MoveReadingRule:
        return cls(config)

    def says_so(self, text: str) -> bool:
        raise NotImplementedError

    def reading(self, text: str, intent: str | None, entities: list[dict]) -> str | None:  # noqa: ARG002
        return self.intent if intent in self.from_intents and self.says_so(text) else None


def decide_intent(message: Message, intent: str) -> None:
    """The words decide: the chosen reading gets full confidence, every other none."""
    chosen = {"name": intent, "confidence": 1.0}
    ranking = [{**r, "confidence": 0.0} for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
