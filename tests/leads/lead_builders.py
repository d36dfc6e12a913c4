"""Leads for the console tests: many at once, each with its own key, time and details."""

from __future__ import annotations

from datetime import datetime

from bot.leads.repository import LeadRepository
from bot.leads.submission import CourseChoice
from tests.leads.builders import FakeClock, consent, submission

BILLING = CourseChoice("MA-201", "Medical Billing and Coding")
LEADERSHIP = CourseChoice("HM-310", "Healthcare Leadership")


def add_lead(leads: LeadRepository, clock: FakeClock, at: datetime, key: str, **overrides) -> int:
    """A lead received at ``at`` (the clock is moved there and back)."""
    saved = clock.now
    clock.now = at
    try:
        values = {"conversation_id": f"web-{key}", "consent": consent(at), "transcript": []}
        values.update(overrides)
        return leads.submit(submission(key=key, **values)).lead_id
    finally:
        clock.now = saved
