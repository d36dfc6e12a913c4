"""Answers to knowledge questions about the two fields."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge import choose_answer, fields_named


def _previous_user_entities(tracker: Tracker) -> list[dict]:
    users = [event for event in tracker.events if event.get("event") == "user"]
    if len(users) < 2:
        return []
    return users[-2].get("parse_data", {}).get("entities", []) or []


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name") or ""
        previous_fields = fields_named(_previous_user_entities(tracker))
        response = choose_answer(intent, message.get("entities") or [], previous_fields)
        dispatcher.utter_message(response=response or "utter_fallback")
        return []
