"""The lead an enquiry form makes, and the summary the visitor confirms.

One function, ``build_submission``, turns the form's slots into the
``LeadSubmission`` that is stored, and ``summary_lines`` renders that same
submission: what the visitor is shown is, field for field, what is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.courses.loading import CatalogueError
from bot.courses.store import CatalogueStore
from bot.dialogue.enquiry_form import SKIPPED, kept_period
from bot.dialogue.knowledge import FIELDS
from bot.leads.submission import Consent, CourseChoice, LeadSubmission, make_idempotency_key
from bot.leads.transcript_turns import button_title, readable_payload
from bot.places import normalise_location

#: Bot events a member of staff wrote in a live handoff carry their name under this metadata key.
STAFF_KEY = "handoff_staff"

logger = logging.getLogger(__name__)

#: What the summary lists, in order: the label shown, and the one a visitor names to change it.
SUMMARY_FIELDS = (
    ("Name", "name"),
    ("Email", "email"),
    ("Phone", "phone"),
    ("Courses", "interest"),
    ("Interest", "interest"),
    ("Organisation", "organisation"),
    ("Team size", "team size"),
    ("Location", "location"),
    ("Message", "message"),
)


def is_in_house(delivery: str | None, course_codes: Iterable[Any]) -> bool:
    """Whether the enquiry is for in-house training: asked for, or an in-house (IH-) course chosen."""
    return delivery == "in-house" or any(str(code).startswith("IH-") for code in course_codes)


def course_titles(codes: Iterable[str], open_catalogue: Callable[[], CatalogueStore]) -> list[tuple[str, str]]:
    """The known courses among ``codes`` with their titles.

    If the catalogue cannot be read, every code is kept without a title: a
    broken courses.yml must never cost a lead.
    """
    try:
        store = open_catalogue()
    except CatalogueError:
        logger.error("course catalogue unreadable; storing course codes without titles")
        return [(code, "") for code in codes]
    found = []
    for code in codes:
        course = store.find_course(code)
        if course is not None:
            found.append((course.code, course.title))
    return found


def form_run_id(events: Iterable[Mapping[str, Any]], conversation_id: str) -> str:
    """An id for one run of the form: the time of the visitor's latest message.

    It keeps a redelivered submit of the same run idempotent, while a later run
    is a new enquiry. Without a visitor message, the conversation id.
    """
    user_events = [event for event in events if event.get("event") == "user"]
    return str(user_events[-1].get("timestamp")) if user_events else conversation_id


def shown(value: Any) -> str | None:
    if value in (None, "", SKIPPED):
        return None
    return str(value)


def transcript(events: Iterable[Mapping[str, Any]], limit: int = 200) -> list[dict]:
    """Visitor and bot turns with their times, oldest first, from tracker events.

    A button click is kept as the title the visitor clicked (the payload Rasa got
    is not what they saw), and a staff reply in a live handoff with the staff
    member's name.
    """
    turns = []
    buttons: list = []  # those of the latest bot message
    for event in events:
        kind = event.get("event")
        text = event.get("text")
        if kind not in ("user", "bot") or not text:
            continue
        stamp = event.get("timestamp")
        at = datetime.fromtimestamp(stamp, tz=timezone.utc).isoformat() if stamp else None
        turn = {"sender": "visitor" if kind == "user" else "bot", "text": str(text), "at": at}
        if kind == "bot":
            buttons = list((event.get("data") or {}).get("buttons") or ())
            staff = (event.get("metadata") or {}).get(STAFF_KEY)
            if staff:
                turn["staff"] = str(staff)
        elif str(text).startswith("/"):
            turn["text"] = button_title(str(text), buttons) or readable_payload(str(text))
        turns.append(turn)
    return turns[-limit:]


def interest_of(slots: Mapping[str, Any]) -> str | None:
    """The lead's field of interest: what the form took, else the field the conversation was about."""
    said = shown(slots.get("enquiry_interest"))
    if said:
        return said
    for name in ("current_field", "field"):
        if slots.get(name) in FIELDS:
            return str(slots[name])
    return None


@dataclass(frozen=True)
class NoticeSettings:
    version: str
    url: str


CONSENT_WORDING = (
    "I agree that the British Academy may store the details I give in this chat to reply to my enquiry, "
    "as described in the privacy notice."
)


def build_submission(
    conversation_id: str,
    form_run: str,
    slots: Mapping[str, Any],
    courses: Iterable[tuple[str, str]],
    events: Iterable[Mapping[str, Any]],
    notice: NoticeSettings,
) -> LeadSubmission:
    consent_at = slots.get("enquiry_consent_at")
    given_at = datetime.fromisoformat(consent_at) if isinstance(consent_at, str) else None
    team_size = shown(slots.get("enquiry_team_size"))
    return LeadSubmission(
        idempotency_key=make_idempotency_key(conversation_id, form_run),
        conversation_id=conversation_id,
        name=str(slots.get("enquiry_name") or ""),
        email=str(slots.get("enquiry_email") or ""),
        phone=shown(slots.get("enquiry_phone")),
        organisation=shown(slots.get("enquiry_organisation")),
        team_size=int(team_size) if team_size and team_size.isdigit() else None,
        interest_field=interest_of(slots),
        location=normalise_location(shown(slots.get("enquiry_location"))),
        delivery=shown(slots.get("delivery")),
        message=shown(slots.get("enquiry_message")),
        courses=[CourseChoice(code, title) for code, title in courses],
        transcript=transcript(events),
        consent=Consent(given_at, notice.version, notice.url, CONSENT_WORDING)
        if slots.get("enquiry_consent") == "given" and given_at
        else None,
    )


def summary_lines(lead: LeadSubmission) -> list[str]:
    """The lines of the summary, rendered from the very submission that will be stored."""
    values = {
        "Name": lead.name or None,
        "Email": lead.email or None,
        "Phone": lead.phone,
        "Courses": "; ".join(f"{c.title} ({c.code})" if c.title else c.code for c in lead.courses) or None,
        "Interest": lead.interest_field,
        "Organisation": lead.organisation,
        "Team size": str(lead.team_size) if lead.team_size is not None else None,
        "Location": lead.location,
        "Message": lead.message,
    }
    return [f"{label}: {values[label]}" for label, _ in SUMMARY_FIELDS if values[label] is not None]


def change_labels(in_house: bool) -> list[str]:
    """The details a visitor can change from the summary, as named on its buttons."""
    labels = []
    for _, label in SUMMARY_FIELDS:
        if label not in labels and (in_house or label not in ("organisation", "team size")):
            labels.append(label)
    return labels


def privacy_notice(admissions_email: str, retention_days: int, notice_url: str) -> str:
    """The short notice shown before any personal detail is asked for."""
    kept = kept_period(retention_days)
    return (
        "Before I take any details: the British Academy's admissions team will use what you give here only to "
        f"reply to your enquiry. We keep it for up to {kept}, then delete it. You can ask to see, correct or "
        f"delete it at any time by emailing {admissions_email}. Full privacy notice: {notice_url}\n"
        "Do you agree to us storing your details for this?"
    )
