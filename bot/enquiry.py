"""The enquiry form's own logic, independent of Rasa: what the form asks and
prefills, reading yes/no and "change ..." answers, the summary a visitor
confirms, the transcript kept with a lead, and turning confirmed answers into
a ``LeadSubmission``."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.catalogue import CatalogueError, CatalogueStore
from bot.leads.repository import Consent, CourseChoice, LeadSubmission, make_idempotency_key

logger = logging.getLogger(__name__)

SKIPPED = "skipped"  # stored in a slot when an optional question was skipped

#: What the summary lists, in order, with the label a visitor can name to change it.
SUMMARY_FIELDS = (
    ("enquiry_name", "name"),
    ("enquiry_email", "email"),
    ("enquiry_phone", "phone"),
    ("enquiry_interest", "interest"),
    ("enquiry_organisation", "organisation"),
    ("enquiry_team_size", "team size"),
    ("enquiry_location", "location"),
    ("enquiry_message", "message"),
)
CHANGE_WORDS = {
    "name": "enquiry_name",
    "email": "enquiry_email",
    "e-mail": "enquiry_email",
    "phone": "enquiry_phone",
    "number": "enquiry_phone",
    "interest": "enquiry_interest",
    "course": "enquiry_interest",
    "courses": "enquiry_interest",
    "organisation": "enquiry_organisation",
    "organization": "enquiry_organisation",
    "team": "enquiry_team_size",
    "team size": "enquiry_team_size",
    "location": "enquiry_location",
    "place": "enquiry_location",
    "message": "enquiry_message",
}
_YES = re.compile(
    r"^(y|yes|yeah|yep|yup|sure|ok|okay|of course|certainly|absolutely|correct|right|that'?s right|"
    r"i agree|agree|i do|i consent|yes,? i agree|yes please|please do|go ahead|send( it)?|"
    r"yes,? send( it)?|looks good|all good|confirm|confirmed)\b",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^(n|no|nope|nah|no thanks|no thank you|i don'?t agree|i do not agree|don'?t agree|disagree|"
    r"i don'?t|i do not|not now|rather not|no,? thanks)\b",
    re.IGNORECASE,
)
_CHANGE = re.compile(r"\b(change|edit|fix|correct|update|wrong)\b\s*(?:my|the)?\s*(?P<what>[a-z -]+)?", re.IGNORECASE)


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


def interest_text(courses: Iterable[tuple[str, str]], delivery: str | None, field: str | None) -> str | None:
    """The prefilled answer to "what are you interested in": the courses, else in-house training, else the field."""
    courses = list(courses)
    if courses:
        return "; ".join(f"{title} ({code})" for code, title in courses)
    if delivery == "in-house":
        return "in-house training for my team"
    return field


def form_run_id(events: Iterable[Mapping[str, Any]], conversation_id: str) -> str:
    """An id for one run of the form: the time of the visitor's latest message.

    It keeps a redelivered submit of the same run idempotent, while a later run
    is a new enquiry. Without a visitor message, the conversation id.
    """
    user_events = [event for event in events if event.get("event") == "user"]
    return str(user_events[-1].get("timestamp")) if user_events else conversation_id


def yes_or_no(text: str | None) -> bool | None:
    cleaned = " ".join((text or "").strip().strip(".!").split())
    if _NO.match(cleaned):
        return False
    if _YES.match(cleaned):
        return True
    return None


def field_to_change(text: str | None) -> str | None:
    """The slot a "change my email" answer names, or None."""
    match = _CHANGE.search(text or "")
    if not match:
        return None
    what = (match["what"] or "").strip().lower()
    for words in sorted(CHANGE_WORDS, key=len, reverse=True):
        if what.startswith(words):
            return CHANGE_WORDS[words]
    return None


def shown(value: Any) -> str | None:
    if value in (None, "", SKIPPED):
        return None
    return str(value)


def summary_lines(slots: Mapping[str, Any]) -> list[str]:
    lines = []
    for slot, label in SUMMARY_FIELDS:
        value = shown(slots.get(slot))
        if value is not None:
            lines.append(f"{label.capitalize()}: {value}")
    return lines


def changeable_labels(required: Iterable[str]) -> list[str]:
    required = set(required)
    return [label for slot, label in SUMMARY_FIELDS if slot in required]


def transcript(events: Iterable[Mapping[str, Any]], limit: int = 200) -> list[dict]:
    """Visitor and bot turns with their times, oldest first, from tracker events."""
    turns = []
    for event in events:
        kind = event.get("event")
        text = event.get("text")
        if kind not in ("user", "bot") or not text:
            continue
        stamp = event.get("timestamp")
        at = datetime.fromtimestamp(stamp, tz=timezone.utc).isoformat() if stamp else None
        turns.append({"sender": "visitor" if kind == "user" else "bot", "text": str(text), "at": at})
    return turns[-limit:]


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
        interest_field=shown(slots.get("field")),
        location=shown(slots.get("enquiry_location")),
        delivery=shown(slots.get("delivery")),
        message=shown(slots.get("enquiry_message")),
        courses=[CourseChoice(code, title) for code, title in courses],
        transcript=transcript(events),
        consent=Consent(given_at, notice.version, notice.url, CONSENT_WORDING)
        if slots.get("enquiry_consent") == "given" and given_at
        else None,
    )


def privacy_notice(admissions_email: str, retention_days: int, notice_url: str) -> str:
    """The short notice shown before any personal detail is asked for."""
    years, rest = divmod(retention_days, 365)
    # Whole years only: rounding 395 days down to "1 year" would understate how long data is kept.
    kept = f"{years} year{'s' if years != 1 else ''}" if years and not rest else f"{retention_days} days"
    return (
        "Before I take any details: the British Academy's admissions team will use what you give here only to "
        f"reply to your enquiry. We keep it for up to {kept}, then delete it. You can ask to see, correct or "
        f"delete it at any time by emailing {admissions_email}. Full privacy notice: {notice_url}\n"
        "Do you agree to us storing your details for this?"
    )
