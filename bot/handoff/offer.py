"""What happens when a visitor asks for a person: a handoff when someone can take it, else an honest notice."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.handoff.availability import Availability, Notice, check_availability, visitor_notice
from bot.handoff.store import HandoffStore
from bot.office_hours import OfficeHours
from bot.storage.transactions import DatabaseUnavailable

logger = logging.getLogger(__name__)

UNREACHABLE = Notice("utter_handoff_unreachable")


@dataclass(frozen=True)
class HandoffOffer:
    handed_over: bool
    notice: Notice
    availability: Availability | None = None


def offer_handoff(store: HandoffStore, hours: OfficeHours, now: datetime, sender_id: str) -> HandoffOffer:
    """Hand the conversation over when the office is open and someone is available; otherwise say why not."""
    try:
        if not hours.is_open(now):
            availability = check_availability(hours, now, staff_available=0)
            return HandoffOffer(False, visitor_notice(availability), availability)
        availability = check_availability(hours, now, store.available_staff())
        if not availability.open:
            return HandoffOffer(False, visitor_notice(availability), availability)
        store.start(sender_id)
    except DatabaseUnavailable as error:
        logger.error("live handoff unavailable: %s", error)
        return HandoffOffer(False, UNREACHABLE)
    return HandoffOffer(True, visitor_notice(availability), availability)
