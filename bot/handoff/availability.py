"""Can a person take the conversation now? Office hours and staff availability, with an injected clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.office_hours import OfficeHours, when_in_words

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


@dataclass(frozen=True)
class Notice:
    """What the visitor is told: a response in data/responses.yml and the values it names."""

    response: str
    values: dict[str, str] = field(default_factory=dict)


def visitor_notice(availability: Availability) -> Notice:
    """Honestly: a person is joining, or why not and when the office is open."""
    if availability.open:
        return Notice("utter_handoff_joining")
    if availability.status == CLOSED_NOW:
        if availability.opens:
            return Notice("utter_handoff_closed", {"hours": availability.hours, "opens": availability.opens})
        return Notice("utter_handoff_not_taking_chats")
    return Notice("utter_handoff_nobody_free", {"hours": availability.hours})
