"""The leads package's one outward port: what else must happen when a lead is stored.

``LeadRepository.submit`` calls ``lead_stored`` inside the lead's own
transaction, with that transaction's session, so whatever it writes (the staff
package writes one notification-outbox row per channel) is committed if and
only if the lead is: a lead is announced exactly when it was stored. The
leads package defines the port; ``bot.staff`` implements it and the back
office wiring (``bot.staff.back_office``) passes it in, so no import points up.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session


class LeadEvents(Protocol):
    def lead_stored(self, session: Session, lead_id: int, at: datetime) -> None:
        """Add rows for the new lead ``lead_id`` to ``session``; never commit, never open another transaction."""


class NoLeadEvents:
    """Nothing else happens (no notification channel configured, or a test that does not care)."""

    def lead_stored(self, session: Session, lead_id: int, at: datetime) -> None:  # noqa: ARG002 - the port's shape
        return None
