"""Conversation upkeep: "can you repeat that?" sends the last reply again."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue.context import last_bot_turn


class ActionRepeatLastReply(Action):
    def name(self) -> str:
        return "action_repeat_last_reply"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        messages = last_bot_turn(tracker.events)
        if not messages:
            dispatcher.utter_message(response="utter_nothing_to_repeat")
        for message in messages:
            custom = message.pop("custom", None)
            dispatcher.utter_message(json_message=custom, **message)
        return []
