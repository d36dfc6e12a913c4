"""Test data for the leads tests: a hand-moved clock and a complete, valid submission."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.leads.submission import Consent, CourseChoice, LeadSubmission

START = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def consent(at: datetime = START) -> Consent:
    return Consent(
        given_at=at,
        notice_version="2026-11",
        notice_url="/privacy",
        wording="The British Academy will use these details to answer your enquiry. OK?",
    )


def submission(key: str = "conversation-1/form-1", **overrides) -> LeadSubmission:
    """A complete, valid enquiry; override any field."""
    values = {
        "idempotency_key": key,
        "conversation_id": "conversation-1",
        "name": "Priya Shah",
        "email": "Priya.Shah@Example.NHS.uk",
        "phone": "07911 123456",
        "organisation": "St Elsewhere Trust",
        "team_size": 12,
        "interest_field": "healthcare management",
        "location": "London",
        "delivery": "in person",
        "message": "Could someone call me about dates?",
        "consent": consent(),
        "courses": [CourseChoice("HM-101", "Healthcare Management Fundamentals")],
        "transcript": [
            {"sender": "visitor", "text": "I'd like to enrol", "at": "2026-11-02T09:28:00+00:00"},
            {"sender": "bot", "text": "Happy to help. What's your name?", "at": "2026-11-02T09:28:01+00:00"},
        ],
    }
    values.update(overrides)
    return LeadSubmission(**values)
