"""Can a person take the conversation now? Office hours and staff availability, with an injected clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.handoff.hours import OfficeHours, when_in_words

OPEN = "open"
CLOSED_NOW = "closed"
NOBODY_FREE = "nobody"


@dataclass(frozen=True)
class Availability:
    status: str  # OPEN, CLOSED_NOW or NOBODY_FREE
    hours: str  # the office hours in words
    opens: str | None = None  # when it next opens, in words ("tomorrow at 09:00"); None when open or never

    @property
    def open(self) -> bool:
        return self.status == OPEN


def check_availability(hours: OfficeHours, now: datetime, staff_available: int) -> Availability:
    described = hours.describe()
    if not hours.is_open(now):
        opening = hours.next_opening(now)
        return Availability(CLOSED_NOW, described, when_in_words(opening, now) if opening else None)
    if staff_available < 1:
        return Availability(NOBODY_FREE, described)
    return Availability(OPEN, described)


def visitor_notice(availability: Availability) -> str:
    """What the visitor is told, honestly: a person is joining, or why not and when the office is open."""
    if availability.open:
        return (
            "I'm passing you to a member of our admissions team. A person will join this chat shortly: "
            "please stay on this page. You can keep typing, and they'll see your messages."
        )
    if availability.status == CLOSED_NOW:
        if availability.opens:
            return (
                f"Our admissions team isn't in right now: they answer live chats {availability.hours}, "
                f"next {availability.opens}."
            )
        return "Our admissions team isn't taking live chats at the moment."
    return (
        "Nobody from our admissions team is free to chat right now "
        f"(they answer live chats {availability.hours}, when someone is available)."
    )
