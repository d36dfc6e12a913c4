"""The one way a lead becomes a plain dict: for the leads API's JSON and for the exports.

Both start from ``lead_fields`` (the same keys, the same values: times as ISO
8601 in UTC, courses as ``{"code", "title"}``). They differ only by a chosen
set of extra fields, documented in docs/leads.md:

- the API's list (``summary_json``) adds ``url``; one lead (``detail_json``)
  adds the message, the consent with its wording, the transcript, the status
  history, the notes and the linked and follow-up references;
- an export row (``export_row``, for CSV, .xlsx and JSON files) adds the
  message, the consent without its wording (the notice version says which
  wording), the linked reference, the conversation id and the transcript:
  no notes or history, which are staff's working notes rather than the enquiry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.leads.views import ConsentView, LeadDetail, LeadSummary

CONSENT_EXPORTED = ("given_at", "notice_version", "notice_url")


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def lead_fields(lead: LeadSummary) -> dict[str, Any]:
    """What every representation of a lead has."""
    return {
        "id": lead.id,
        "reference": lead.reference,
        "created_at": iso(lead.created_at),
        "status": lead.status,
        "name": lead.name,
        "email": lead.email,
        "phone": lead.phone,
        "organisation": lead.organisation,
        "team_size": lead.team_size,
        "interest": lead.interest_field,
        "courses": [{"code": course.code, "title": course.title} for course in lead.courses],
        "location": lead.location,
        "delivery": lead.delivery,
        "assignee": lead.assignee,
        "linked_lead_id": lead.linked_lead_id,
    }


def consent_fields(consent: ConsentView | None, wording: bool) -> dict[str, Any] | None:
    if consent is None:
        return None
    values = (iso(consent.given_at), consent.notice_version, consent.notice_url)
    fields = dict(zip(CONSENT_EXPORTED, values, strict=True))
    return {**fields, "wording": consent.wording} if wording else fields


def summary_json(lead: LeadSummary) -> dict[str, Any]:
    """One lead in the API's list."""
    return {**lead_fields(lead), "url": f"/api/leads/{lead.id}"}


def detail_json(lead: LeadDetail) -> dict[str, Any]:
    """One lead in full, for the API."""
    return {
        **summary_json(lead),
        "message": lead.message,
        "consent": consent_fields(lead.consent, wording=True),
        "transcript": [dict(turn) for turn in lead.transcript],
        "status_history": [
            {"from": change.from_status, "to": change.to_status, "by": change.changed_by, "at": iso(change.changed_at)}
            for change in lead.status_changes
        ],
        "notes": [
            {"id": note.id, "author": note.author, "body": note.body, "created_at": iso(note.created_at)}
            for note in lead.notes
        ],
        "linked_reference": lead.linked_reference,
        "follow_up_references": list(lead.follow_up_references),
    }


def export_row(lead: LeadDetail) -> dict[str, Any]:
    """One lead as an export row (``bot.leads.export`` writes these as CSV, .xlsx or JSON)."""
    return {
        **lead_fields(lead),
        "message": lead.message,
        "consent": consent_fields(lead.consent, wording=False) or dict.fromkeys(CONSENT_EXPORTED),
        "linked_reference": lead.linked_reference,
        "conversation_id": lead.conversation_id,
        "transcript": [dict(turn) for turn in lead.transcript],
    }
