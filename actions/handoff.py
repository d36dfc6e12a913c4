"""A request for a person: hand the conversation to admissions staff, or say honestly why not
(bot.handoff decides) and offer the enquiry form instead."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher

from actions import dependencies
from bot.handoff.offer import offer_handoff
from bot.handoff.store import HandoffStore
from bot.office_hours import OfficeHours, parse_office_hours
from bot.storage.schema import Clock, utc_now


def office_hours() -> OfficeHours:
    settings = dependencies.settings()
    return parse_office_hours(settings.handoff_hours, settings.handoff_time_zone)


class ActionOfferHandoff(Action):
    def __init__(self, clock: Clock = utc_now, store: HandoffStore | None = None):
        self._clock = clock
        self._store = store

    def name(self) -> str:
        return "action_offer_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        now: datetime = self._clock()
        store = self._store or dependencies.handoff_store()
        # SQLAlchemy is blocking: keep the action server's event loop free.
        offer = await asyncio.to_thread(offer_handoff, store, office_hours(), now, tracker.sender_id)
        dispatcher.utter_message(response=offer.notice.response, **offer.notice.values)
        if offer.handed_over:
            return [ConversationPaused()]
        # The rules follow this action with affirm (the enquiry form) or deny.
        dispatcher.utter_message(response="utter_admissions_contact")
        return []
