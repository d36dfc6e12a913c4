"""The enquiry form: prepare it from the conversation, read each typed answer
(bot.dialogue.enquiry_form decides), confirm a summary, and store the lead once."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import dependencies
from actions.form_base import is_why
from actions.side_questions import is_side_question, side_question_replies
from actions.tracker_reading import latest_entities, latest_text, recent_visitor_messages
from bot.courses.loading import CatalogueError
from bot.courses.requests import delivery_in_text
from bot.dialogue.enquiry_form import (
    CONFIRM,
    CONSENT,
    FAILURES_SLOT,
    FORM_SLOTS,
    FormInput,
    FormTurn,
    Interest,
    Reply,
    decide_turn,
    details_in,
    interest_updates,
    next_slot,
)
from bot.dialogue.enquiry_interest import interest_from_context, read_interest
from bot.dialogue.enquiry_lead import (
    NoticeSettings,
    build_submission,
    change_labels,
    course_titles,
    form_run_id,
    is_in_house,
    privacy_notice,
    summary_lines,
)
from bot.leads.submission import LeadRejected
from bot.storage.transactions import DatabaseUnavailable

logger = logging.getLogger(__name__)

FORM = "enquiry_form"
RECENT_MESSAGES = 3  # how far back a request to be contacted may name the course or field
ASKED_TO_BE_CONTACTED = ("enquire", "request_human")
#: Slots cleared once the lead is stored: the personal details and this run's state.
PERSONAL_SLOTS = tuple(slot for slot in FORM_SLOTS if slot != "enquiry_interest")


def _in_house(tracker: Tracker) -> bool:
    return is_in_house(tracker.get_slot("delivery"), tracker.get_slot("courses_of_interest") or [])


def _send(dispatcher: CollectingDispatcher, replies: list[Reply]) -> None:
    for reply in replies:
        dispatcher.utter_message(
            text=reply.text, response=reply.response, buttons=list(reply.buttons) or None, **dict(reply.variables)
        )


def _submission(tracker: Tracker, events: list[dict]):
    """The one lead this form run makes: the summary shows it and the submit action stores it."""
    settings = dependencies.settings()
    return build_submission(
        conversation_id=tracker.sender_id,
        form_run=str(tracker.get_slot("enquiry_run") or ""),
        slots=tracker.slots,
        courses=course_titles(list(tracker.get_slot("courses_of_interest") or []), dependencies.catalogue),
        events=events,
        notice=NoticeSettings(settings.privacy_notice_version, settings.privacy_notice_url),
    )


class ActionPrepareEnquiry(Action):
    """Runs before the form: starts a new run and fills what the conversation already knows."""

    def name(self) -> str:
        return "action_prepare_enquiry"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        text = latest_text(tracker)
        delivery = delivery_in_text(text) or tracker.get_slot("delivery")
        said = _interest_said_lately(tracker)
        if not said.known:
            codes = list(tracker.get_slot("courses_of_interest") or [])
            said = _interest_from_context(codes, tracker.get_slot("field"), delivery)
        events = [
            *(SlotSet(slot, None) for slot in FORM_SLOTS),
            SlotSet("courses_of_interest", None),
            SlotSet("requested_slot", None),
            SlotSet("enquiry_run", form_run_id(tracker.events, tracker.sender_id)),
        ]
        if delivery in ("in-house", "online", "classroom"):
            events.append(SlotSet("delivery", delivery))
        if said.known:
            events += [SlotSet(slot, value) for slot, value in interest_updates(said).items()]
        # Details typed in the opening message, or in the request for a person that led here
        # ("can I talk to someone? I'm Jo, jo@example.org", then "yes" to the enquiry), wait in the form;
        # consent is still asked first. The newest message wins.
        details: dict[str, Any] = {}
        for said, _ in recent_visitor_messages(tracker, RECENT_MESSAGES, ASKED_TO_BE_CONTACTED):
            details = {**details_in("" if said.startswith("/") else said), **details}
        events += [SlotSet(slot, value) for slot, value in details.items()]
        location = tracker.get_slot("location")
        if location or delivery == "online":
            events.append(SlotSet("enquiry_location", location or "online"))
        if tracker.get_slot("team_size"):
            events.append(SlotSet("enquiry_team_size", str(tracker.get_slot("team_size"))))
        dispatcher.utter_message(response="utter_enquiry_intro")
        return events


def _interest_from_context(codes: list[str], field: str | None, delivery: str | None) -> Interest:
    try:
        return interest_from_context(dependencies.catalogue(), codes, field, delivery)
    except CatalogueError:
        return Interest(tuple(codes), field)


def _read_interest(tracker: Tracker, words: str, entities: list[dict] | None = None) -> Interest:
    """Courses and field in the visitor's words; with the catalogue unreadable, just their words."""
    try:
        store = dependencies.catalogue()
    except CatalogueError:
        logger.error("course catalogue unreadable; the enquiry keeps the visitor's own words")
        return Interest()
    entities = latest_entities(tracker) if entities is None else entities
    return read_interest(store, words, entities, tracker.get_slot("courses_shown") or [])


def _interest_said_lately(tracker: Tracker) -> Interest:
    """What the visitor's latest messages say the enquiry is about ("please ask admissions to contact me
    about MA-203", then "yes" to the offer of an enquiry): the newest message that names a course or field."""
    for text, entities in recent_visitor_messages(tracker, RECENT_MESSAGES, ASKED_TO_BE_CONTACTED):
        said = _read_interest(tracker, "" if text.startswith("/") else text, entities)
        if said.known:
            return said
    return Interest()


class ValidateEnquiryForm(Action):
    """Reads each typed answer; the decision itself is ``bot.dialogue.enquiry_form.decide_turn``."""

    def name(self) -> str:
        return "validate_enquiry_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        settings = dependencies.settings()
        text = latest_text(tracker)
        requested = tracker.get_slot("requested_slot") if tracker.active_loop_name == FORM else None
        side_events: list[dict] = []
        side_answer = None
        if requested and is_side_question(tracker):
            side_replies, events = await side_question_replies(tracker, domain)

            def side_answer() -> list[Reply]:
                side_events.extend(events)  # only when the form decides to answer the question
                return side_replies

        form = FormInput(
            requested=requested,
            text=text,
            slots=tracker.slots,
            in_house=_in_house(tracker),
            side_answer=side_answer,
            asks_why=is_why(text),
            read_interest=lambda words: _read_interest(tracker, words),
            now=datetime.now(timezone.utc),
            admissions_email=tracker.get_slot("admissions_email") or settings.admissions_email,
            retention_days=settings.lead_retention_days,
            notice_url=settings.privacy_notice_url,
        )
        turn = decide_turn(form) if requested else FormTurn()
        _send(dispatcher, turn.replies)
        return [*side_events, *_form_events(tracker, turn)]


def _form_events(tracker: Tracker, turn: FormTurn) -> list[dict]:
    """The turn as events. The form always sets a slot, so Rasa never rejects it and lets an intent take over."""
    if turn.leave:
        cleared = [SlotSet(slot, None) for slot in FORM_SLOTS]
        return [*cleared, SlotSet("requested_slot", None), ActiveLoop(None)]
    slots = {**tracker.slots, **turn.updates}
    in_house = is_in_house(slots.get("delivery"), slots.get("courses_of_interest") or [])
    updates = {FAILURES_SLOT: tracker.get_slot(FAILURES_SLOT), **turn.updates}
    return [
        *(SlotSet(slot, value) for slot, value in updates.items()),
        SlotSet("requested_slot", next_slot(slots, in_house)),
    ]


class ActionAskEnquiryConfirm(Action):
    """The summary the visitor confirms before anything is sent: rendered from the lead that will be stored."""

    def name(self) -> str:
        return "action_ask_enquiry_confirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        lines = summary_lines(_submission(tracker, events=[]))
        titles = ["Send it", *(f"Change {label}" for label in change_labels(_in_house(tracker)))]
        # A button sends its own title, so typing the title does exactly what clicking it does.
        buttons = [{"title": title, "payload": title} for title in titles]
        dispatcher.utter_message(text="This is what I'll send to admissions:\n" + "\n".join(lines), buttons=buttons)
        return []


class ActionSubmitEnquiry(Action):
    """Stores the confirmed enquiry in one transaction, then tells the visitor."""

    def name(self) -> str:
        return "action_submit_enquiry"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        if tracker.get_slot(CONFIRM) != "confirmed" or tracker.get_slot(CONSENT) != "given":
            if tracker.latest_message.get("intent", {}).get("name") == "retry_enquiry":
                dispatcher.utter_message(response="utter_no_pending_enquiry")
            return []  # cancelled, refused or nothing pending: nothing is stored
        submission = _submission(tracker, events=tracker.events)
        try:
            # SQLAlchemy is blocking: keep the action server's event loop free.
            result = await asyncio.to_thread(dependencies.lead_repository().submit, submission)
        except DatabaseUnavailable:
            logger.error("lead store unavailable; enquiry kept in the conversation for a retry")
            dispatcher.utter_message(response="utter_enquiry_store_failed")
            return []
        except LeadRejected as error:
            logger.error("enquiry rejected by the repository: %s", error)
            dispatcher.utter_message(response="utter_enquiry_rejected")
            return []
        dispatcher.utter_message(response="utter_enquiry_received", reference=result.reference, name=submission.name)
        return [
            *(SlotSet(slot, None) for slot in PERSONAL_SLOTS),
            SlotSet("last_enquiry_reference", result.reference),
        ]


class ActionAskEnquiryConsent(Action):
    """The privacy notice and the consent question, from settings."""

    def name(self) -> str:
        return "action_ask_enquiry_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        settings = dependencies.settings()
        email = tracker.get_slot("admissions_email") or settings.admissions_email
        dispatcher.utter_message(
            text=privacy_notice(email, settings.lead_retention_days, settings.privacy_notice_url),
            buttons=[
                {"title": "Yes, I agree", "payload": "Yes, I agree"},
                {"title": "No thanks", "payload": "No thanks"},
            ],
        )
        return []
