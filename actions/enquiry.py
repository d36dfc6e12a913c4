"""The enquiry form: prepare it from the conversation, validate answers,
confirm a summary, and store the lead once."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import dependencies
from actions.form_base import AssistantFormValidation
from actions.tracker_reading import entity_value, latest_text, remember
from bot.course_requests import delivery_in_text
from bot.enquiry import (
    SKIPPED,
    NoticeSettings,
    build_submission,
    changeable_labels,
    course_titles,
    field_to_change,
    form_run_id,
    interest_text,
    is_in_house,
    privacy_notice,
    summary_lines,
    yes_or_no,
)
from bot.leads.repository import LeadRejected, LeadStoreUnavailable
from bot.leads.validation import (
    is_skip,
    validate_email,
    validate_message,
    validate_name,
    validate_phone,
    validate_short_text,
    validate_team_size,
)

logger = logging.getLogger(__name__)

PERSONAL_SLOTS = (
    "enquiry_consent",
    "enquiry_consent_at",
    "enquiry_name",
    "enquiry_email",
    "enquiry_phone",
    "enquiry_organisation",
    "enquiry_team_size",
    "enquiry_location",
    "enquiry_message",
    "enquiry_confirm",
)
FORM_SLOTS = (*PERSONAL_SLOTS, "enquiry_interest")
INHOUSE_SLOTS = ("enquiry_organisation", "enquiry_team_size")
OPTIONAL_SLOTS = ("enquiry_phone", "enquiry_location", "enquiry_message")


class ActionPrepareEnquiry(Action):
    """Runs before the form: fills what the conversation already knows."""

    def name(self) -> str:
        return "action_prepare_enquiry"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        events: list[dict] = []
        codes = tracker.get_slot("courses_of_interest")
        course = entity_value(tracker, "course")
        known = dependencies.catalogue().find_course(course) if course else None
        if known:
            codes = remember(tracker, "courses_of_interest", [known.code])
            events.append(SlotSet("courses_of_interest", codes))
        delivery = entity_value(tracker, "delivery") or delivery_in_text(latest_text(tracker))
        if delivery in ("in-house", "online", "classroom"):
            events.append(SlotSet("delivery", delivery))
        else:
            delivery = tracker.get_slot("delivery")
        courses = course_titles(list(codes or []), dependencies.catalogue)
        interest = interest_text(courses, delivery, tracker.get_slot("field"))
        run = form_run_id(tracker.events, tracker.sender_id)
        events += [
            *(SlotSet(slot, None) for slot in FORM_SLOTS),
            SlotSet("enquiry_interest", interest),
            SlotSet("enquiry_run", run),
        ]
        location = tracker.get_slot("location")
        if location or delivery == "online":
            events.append(SlotSet("enquiry_location", location or "online"))
        if tracker.get_slot("team_size"):
            events.append(SlotSet("enquiry_team_size", str(tracker.get_slot("team_size"))))
        dispatcher.utter_message(response="utter_enquiry_intro")
        return events


class ValidateEnquiryForm(AssistantFormValidation):
    form_slots = FORM_SLOTS
    cancelled_response = "utter_enquiry_cancelled"

    def name(self) -> str:
        return "validate_enquiry_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain: DomainDict) -> list[str]:
        slots = list(domain_slots)
        if not is_in_house(tracker.get_slot("delivery"), tracker.get_slot("courses_of_interest") or []):
            slots = [s for s in slots if s not in INHOUSE_SLOTS]
        return slots

    def looks_like_answer(self, slot: str, text: str) -> bool:
        if slot in ("enquiry_consent",):
            return yes_or_no(text) is not None
        if slot == "enquiry_confirm":
            return yes_or_no(text) is not None or field_to_change(text) is not None
        if slot == "enquiry_email":
            return validate_email(text).ok
        if slot == "enquiry_phone":
            return is_skip(text) or validate_phone(text).ok
        if slot in OPTIONAL_SLOTS:
            return is_skip(text)
        return False

    def on_third_failure(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Any:
        email = tracker.get_slot("admissions_email")
        if slot in OPTIONAL_SLOTS or slot in INHOUSE_SLOTS:
            dispatcher.utter_message(text="Let's skip that one; admissions can ask you about it.")
            return SKIPPED
        dispatcher.utter_message(
            text=f"If it's easier, you can email admissions directly at {email}, or type 'cancel' to stop here."
        )
        return None

    def _check(self, slot: str, result, dispatcher, tracker) -> dict:
        if result.ok:
            return self.succeeded(slot, result.value, tracker)
        return self.failed(slot, dispatcher, tracker, result.error)

    async def validate_enquiry_consent(self, value, dispatcher, tracker, domain) -> dict:
        answer = yes_or_no(value)
        if answer is True:
            now = datetime.now(timezone.utc).isoformat()
            return {**self.succeeded("enquiry_consent", "given", tracker), "enquiry_consent_at": now}
        if answer is False:
            dispatcher.utter_message(response="utter_consent_refused")
            cleared = {slot: None for slot in FORM_SLOTS}
            return {**cleared, "requested_slot": None}
        return self.failed("enquiry_consent", dispatcher, tracker, "Please answer yes or no: may I store your details?")

    async def validate_enquiry_name(self, value, dispatcher, tracker, domain) -> dict:
        return self._check("enquiry_name", validate_name(value), dispatcher, tracker)

    async def validate_enquiry_email(self, value, dispatcher, tracker, domain) -> dict:
        return self._check("enquiry_email", validate_email(value), dispatcher, tracker)

    async def validate_enquiry_phone(self, value, dispatcher, tracker, domain) -> dict:
        if is_skip(value):
            return self.succeeded("enquiry_phone", SKIPPED, tracker)
        return self._check("enquiry_phone", validate_phone(value), dispatcher, tracker)

    async def validate_enquiry_interest(self, value, dispatcher, tracker, domain) -> dict:
        return self._check(
            "enquiry_interest", validate_short_text(value, "what you're interested in"), dispatcher, tracker
        )

    async def validate_enquiry_organisation(self, value, dispatcher, tracker, domain) -> dict:
        if is_skip(value):
            return self.succeeded("enquiry_organisation", SKIPPED, tracker)
        return self._check("enquiry_organisation", validate_short_text(value, "your organisation"), dispatcher, tracker)

    async def validate_enquiry_team_size(self, value, dispatcher, tracker, domain) -> dict:
        if is_skip(value):
            return self.succeeded("enquiry_team_size", SKIPPED, tracker)
        result = validate_team_size(str(value))
        if result.ok:
            return self.succeeded("enquiry_team_size", str(result.value), tracker)
        return self.failed("enquiry_team_size", dispatcher, tracker, result.error)

    async def validate_enquiry_location(self, value, dispatcher, tracker, domain) -> dict:
        if is_skip(value):
            return self.succeeded("enquiry_location", SKIPPED, tracker)
        return self._check(
            "enquiry_location", validate_short_text(value, "where you'd like to study"), dispatcher, tracker
        )

    async def validate_enquiry_message(self, value, dispatcher, tracker, domain) -> dict:
        if is_skip(value):
            return self.succeeded("enquiry_message", SKIPPED, tracker)
        return self._check("enquiry_message", validate_message(value), dispatcher, tracker)

    async def validate_enquiry_confirm(self, value, dispatcher, tracker, domain) -> dict:
        change = field_to_change(value)
        if change:
            return {"enquiry_confirm": None, change: None}
        answer = yes_or_no(value)
        if answer is True:
            return self.succeeded("enquiry_confirm", "confirmed", tracker)
        if answer is False:
            dispatcher.utter_message(text="Which detail would you like to change?")
            return {"enquiry_confirm": None}
        return self.failed(
            "enquiry_confirm", dispatcher, tracker, "Say 'send it' to send, or 'change' and the detail to change."
        )


class ActionAskEnquiryConfirm(Action):
    """The summary the visitor confirms before anything is sent."""

    def name(self) -> str:
        return "action_ask_enquiry_confirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        lines = summary_lines(tracker.slots)
        required = [s for s in FORM_SLOTS if s in tracker.slots and tracker.get_slot(s) is not None]
        buttons = [{"title": "Send it", "payload": "yes, send it"}]
        buttons += [
            {"title": f"Change {label}", "payload": f"change {label}"}
            for label in changeable_labels(required)
            if label in ("name", "email", "phone", "interest", "location")
        ]
        dispatcher.utter_message(text="This is what I'll send to admissions:\n" + "\n".join(lines), buttons=buttons)
        return []


class ActionSubmitEnquiry(Action):
    """Stores the confirmed enquiry in one transaction, then tells the visitor."""

    def name(self) -> str:
        return "action_submit_enquiry"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        if tracker.get_slot("enquiry_confirm") != "confirmed" or tracker.get_slot("enquiry_consent") != "given":
            if tracker.latest_message.get("intent", {}).get("name") == "retry_enquiry":
                dispatcher.utter_message(response="utter_no_pending_enquiry")
            return []  # cancelled, refused or nothing pending: nothing is stored
        settings = dependencies.settings()
        submission = build_submission(
            conversation_id=tracker.sender_id,
            form_run=str(tracker.get_slot("enquiry_run") or ""),
            slots=tracker.slots,
            courses=course_titles(list(tracker.get_slot("courses_of_interest") or []), dependencies.catalogue),
            events=tracker.events,
            notice=NoticeSettings(settings.privacy_notice_version, settings.privacy_notice_url),
        )
        try:
            # SQLAlchemy is blocking: keep the action server's event loop free.
            result = await asyncio.to_thread(dependencies.lead_repository().submit, submission)
        except LeadStoreUnavailable:
            logger.error("lead store unavailable; enquiry kept in the conversation for a retry")
            dispatcher.utter_message(response="utter_enquiry_store_failed")
            return []
        except LeadRejected as error:
            logger.error("enquiry rejected by the repository: %s", error)
            dispatcher.utter_message(response="utter_enquiry_rejected")
            return []
        dispatcher.utter_message(
            response="utter_enquiry_received", reference=result.reference, name=tracker.get_slot("enquiry_name")
        )
        return [*(SlotSet(slot, None) for slot in PERSONAL_SLOTS), SlotSet("last_enquiry_reference", result.reference)]


class ActionAskEnquiryConsent(Action):
    """The privacy notice and the consent question, from settings."""

    def name(self) -> str:
        return "action_ask_enquiry_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        settings = dependencies.settings()
        email = tracker.get_slot("admissions_email") or settings.admissions_email
        dispatcher.utter_message(
            text=privacy_notice(email, settings.lead_retention_days, settings.privacy_notice_url),
            buttons=[{"title": "Yes, I agree", "payload": "yes, I agree"}, {"title": "No thanks", "payload": "no"}],
        )
        return []
