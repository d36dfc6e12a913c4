"""In-house training for organisations: explain it, remember the team."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import dependencies
from actions.tracker_reading import latest_text
from bot.courses.model import CourseQuery
from bot.courses.replies import in_house_courses
from bot.organisations import describe_team, read_team


class ActionExplainInhouse(Action):
    def name(self) -> str:
        return "action_explain_inhouse"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        team = read_team(latest_text(tracker))
        size = team.size or tracker.get_slot("team_size")
        kind = team.organisation_type or tracker.get_slot("organisation_type")
        dispatcher.utter_message(response="utter_inhouse_training")
        programmes = dependencies.catalogue().search(CourseQuery(delivery="in-house"))
        dispatcher.utter_message(**in_house_courses(programmes, describe_team(size, kind)).as_message())
        events = [SlotSet("delivery", "in-house")]
        if size:
            events.append(SlotSet("team_size", str(size)))  # a text slot, as the enquiry form reads it
        if kind:
            events.append(SlotSet("organisation_type", kind))
        return events
