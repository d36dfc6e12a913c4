"""Parsed messages as the rule components receive them, and what a decided reading looks like."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message


def parsed(text: str, intent: str, runner_up: str, entities: list[dict] | None = None) -> Message:
    """A message the model read as ``intent`` (0.6), ``runner_up`` close behind (0.3)."""
    message = Message(data={"text": text})
    message.set("entities", entities or [])
    message.set("intent", {"name": intent, "confidence": 0.6})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.6}, {"name": runner_up, "confidence": 0.3}])
    return message


def assert_decided(message: Message, intent: str) -> None:
    """The words decided: ``intent`` with full confidence, and no rival left in the ranking."""
    assert message.get("intent") == {"name": intent, "confidence": 1.0}
    ranking = [r["confidence"] for r in message.get("intent_ranking")]
    assert ranking == [1.0] + [0.0] * (len(ranking) - 1)
