"""What the submit action hands over, and the checks it must pass before anything is stored.

``clean_submission`` turns a ``LeadSubmission`` into the lead's column values
or raises ``ConsentMissing`` / ``LeadRejected``: nothing personal is written
without a recorded consent, and nothing over-long reaches PostgreSQL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.leads import models
from bot.leads.transcript_turns import STAFF_NAME_MAX
from bot.leads.validation import clean_text, validate_email, validate_name, validate_phone
from bot.places import normalise_location

TRANSCRIPT_MAX_TURNS = 200
TRANSCRIPT_TEXT_MAX = 2000
_SENDERS = {"visitor": "visitor", "user": "visitor", "bot": "bot"}


class LeadRejected(ValueError):
    """A submission the store refuses to keep (the caller should have caught this earlier)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ConsentMissing(LeadRejected):
    """No recorded consent: no personal detail may be stored."""


@dataclass(frozen=True)
class Consent:
    """What the visitor agreed to, and when: stored with the lead, in the same transaction."""

    given_at: datetime
    notice_version: str
    notice_url: str
    wording: str


@dataclass(frozen=True)
class CourseChoice:
    code: str
    title: str = ""


@dataclass(frozen=True)
class LeadSubmission:
    """One confirmed enquiry form, as the submit action hands it over.

    ``transcript`` turns are mappings with ``sender`` ("visitor" or "bot"; Rasa's
    "user" is accepted), ``text`` and ``at`` (ISO string, datetime or epoch seconds).
    """

    idempotency_key: str
    name: str
    email: str
    consent: Consent | None
    conversation_id: str | None = None
    phone: str | None = None
    organisation: str | None = None
    team_size: int | None = None
    interest_field: str | None = None
    location: str | None = None
    delivery: str | None = None
    message: str | None = None
    courses: Sequence[CourseChoice] = ()
    transcript: Sequence[Mapping[str, Any]] = ()


def make_idempotency_key(conversation_id: str, form_run: str) -> str:
    """A fixed-length key for one run of the enquiry form in one conversation.

    ``form_run`` identifies the run, e.g. the timestamp of the event that
    activated the form: a redelivered or repeated submit of the same run gives
    the same key, a new enquiry later in the conversation a new one.
    """
    return hashlib.sha256(f"{conversation_id}\x00{form_run}".encode()).hexdigest()


def clean_submission(submission: LeadSubmission) -> dict[str, Any]:
    """Check a submission before anything is written; returns the lead's column values."""
    consent = submission.consent
    if consent is None or not isinstance(consent.given_at, datetime):
        raise ConsentMissing("no consent recorded: nothing personal may be stored", field="consent")
    if consent.given_at.tzinfo is None:
        raise ConsentMissing("the consent time must be timezone-aware", field="consent")
    for name in ("notice_version", "notice_url", "wording"):
        if not (getattr(consent, name) or "").strip():
            raise ConsentMissing(f"the consent record has no {name.replace('_', ' ')}", field="consent")
    if len(consent.notice_version.strip()) > 64 or len(consent.notice_url.strip()) > 500:
        raise ConsentMissing("the privacy notice version or address is too long", field="consent")

    key = submission.idempotency_key or ""
    if not key.strip() or len(key) > models.KEY_MAX:
        raise LeadRejected(
            f"an idempotency key of 1 to {models.KEY_MAX} characters is required", field="idempotency_key"
        )
    if submission.conversation_id is not None and len(submission.conversation_id) > models.KEY_MAX:
        raise LeadRejected("the conversation id is too long", field="conversation_id")

    values: dict[str, Any] = {"conversation_id": submission.conversation_id}
    for name, result in (("name", validate_name(submission.name)), ("email", validate_email(submission.email))):
        if not result.ok:
            raise LeadRejected(result.error, field=name)
        values[name] = result.value
    values["phone"] = None
    if submission.phone:
        phone = validate_phone(submission.phone)
        if not phone.ok:
            raise LeadRejected(phone.error, field="phone")
        values["phone"] = phone.value
    for name in ("organisation", "interest_field", "location", "delivery"):
        values[name] = _optional_text(clean_text(getattr(submission, name)), name, models.SHORT_TEXT_MAX)
    values["location"] = normalise_location(values["location"])  # "london, UK" -> "London", as the catalogue
    values["message"] = _optional_text(clean_text(submission.message, multiline=True), "message", models.MESSAGE_MAX)
    team_size = submission.team_size
    if team_size is not None and (isinstance(team_size, bool) or not isinstance(team_size, int) or team_size < 1):
        raise LeadRejected("the team size must be a whole number of at least 1", field="team_size")
    values["team_size"] = team_size
    values["transcript"] = _transcript(submission.transcript)
    return values


def _optional_text(value: str | None, name: str, max_length: int) -> str | None:
    text = (value or "").strip()
    if len(text) > max_length:
        raise LeadRejected(f"the {name.replace('_', ' ')} can be at most {max_length} characters", field=name)
    return text or None


def course_pairs(choices: Sequence[CourseChoice | tuple]) -> list[tuple[str, str]]:
    """(code, title) pairs, each code once."""
    courses: dict[str, tuple[str, str]] = {}
    for choice in choices:
        code, title = (choice.code, choice.title) if isinstance(choice, CourseChoice) else tuple(choice)
        code, title = (code or "").strip(), (title or "").strip()
        if not code:
            continue
        if len(code) > models.COURSE_CODE_MAX or len(title) > models.COURSE_TITLE_MAX:
            raise LeadRejected(f"course code or title too long: {code[:20]!r}", field="courses")
        courses.setdefault(code, (code, title))
    return list(courses.values())


def _timestamp(value: Any) -> str:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc).isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=timezone.utc).isoformat()
    return str(value or "")


def _transcript(turns: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Visitor and bot turns, most recent ``TRANSCRIPT_MAX_TURNS`` kept, each text capped in length.

    Too long a conversation is trimmed rather than refused: losing the lead would be worse.
    """
    cleaned = []
    for turn in list(turns)[-TRANSCRIPT_MAX_TURNS:]:
        sender = _SENDERS.get(str(turn.get("sender", "")).lower()) if isinstance(turn, Mapping) else None
        if sender is None:
            raise LeadRejected("each transcript turn needs a sender of 'visitor' or 'bot'", field="transcript")
        text = clean_text(str(turn.get("text") or ""), multiline=True)
        if len(text) > TRANSCRIPT_TEXT_MAX:
            text = text[: TRANSCRIPT_TEXT_MAX - 1] + "\u2026"
        kept = {"sender": sender, "text": text, "at": _timestamp(turn.get("at"))}
        staff = clean_text(str(turn.get("staff") or "")) if sender == "bot" else ""
        if staff:
            kept["staff"] = staff[:STAFF_NAME_MAX]  # a member of staff wrote it (live handoff)
        cleaned.append(kept)
    return cleaned
