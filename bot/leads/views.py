"""What the leads package hands out: plain frozen dataclasses, never a session or an ORM object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.leads.models import Lead
from bot.leads.submission import CourseChoice


@dataclass(frozen=True)
class SubmitResult:
    lead_id: int
    reference: str
    created: bool  # False: this submission was already stored, nothing new was written
    linked_lead_id: int | None = None


@dataclass(frozen=True)
class ConsentView:
    given_at: datetime
    notice_version: str
    notice_url: str
    wording: str


@dataclass(frozen=True)
class StatusChangeView:
    from_status: str
    to_status: str
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True)
class NoteView:
    id: int
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class LeadSummary:
    id: int
    reference: str
    created_at: datetime
    name: str
    email: str
    phone: str | None
    organisation: str | None
    team_size: int | None
    interest_field: str | None
    location: str | None
    delivery: str | None
    status: str
    assignee: str | None
    linked_lead_id: int | None
    conversation_id: str | None
    courses: tuple[CourseChoice, ...]


@dataclass(frozen=True)
class LeadDetail(LeadSummary):
    message: str | None = None
    transcript: tuple[dict, ...] = ()
    consent: ConsentView | None = None
    status_changes: tuple[StatusChangeView, ...] = ()
    notes: tuple[NoteView, ...] = ()
    linked_reference: str | None = None
    # References of later enquiries from the same email that link to this one.
    follow_up_references: tuple[str, ...] = ()


@dataclass(frozen=True)
class FilterChoices:
    """Values seen in the leads, for the console's filter menus."""

    interests: tuple[str, ...] = ()
    courses: tuple[CourseChoice, ...] = ()
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class ErasureResult:
    """What was deleted; ``conversation_ids`` are for erasing the matching Rasa conversations too."""

    lead_ids: tuple[int, ...] = ()
    references: tuple[str, ...] = ()
    conversation_ids: tuple[str, ...] = field(default_factory=tuple)

    @property
    def count(self) -> int:
        return len(self.lead_ids)


def _course_views(lead: Lead) -> tuple[CourseChoice, ...]:
    return tuple(CourseChoice(course.course_code, course.course_title) for course in lead.courses)


def _summary_fields(lead: Lead) -> dict[str, Any]:
    return {
        "id": lead.id,
        "reference": lead.reference,
        "created_at": lead.created_at,
        "name": lead.name,
        "email": lead.email,
        "phone": lead.phone,
        "organisation": lead.organisation,
        "team_size": lead.team_size,
        "interest_field": lead.interest_field,
        "location": lead.location,
        "delivery": lead.delivery,
        "status": lead.status,
        "assignee": lead.assignee,
        "linked_lead_id": lead.linked_lead_id,
        "conversation_id": lead.conversation_id,
        "courses": _course_views(lead),
    }


def summary_of(lead: Lead) -> LeadSummary:
    return LeadSummary(**_summary_fields(lead))


def detail_of(lead: Lead, follow_ups: tuple[str, ...]) -> LeadDetail:
    consent = lead.consent
    return LeadDetail(
        **_summary_fields(lead),
        message=lead.message,
        transcript=tuple(dict(turn) for turn in lead.transcript or ()),
        consent=ConsentView(consent.given_at, consent.notice_version, consent.notice_url, consent.wording)
        if consent
        else None,
        status_changes=tuple(
            StatusChangeView(change.from_status, change.to_status, change.changed_by, change.changed_at)
            for change in lead.status_changes
        ),
        notes=tuple(NoteView(note.id, note.author, note.body, note.created_at) for note in lead.notes),
        linked_reference=lead.linked_lead.reference if lead.linked_lead else None,
        follow_up_references=follow_ups,
    )
