"""The retention purge on a schedule, inside the gateway: leads and conversations older
than ``LEAD_RETENTION_DAYS`` go once a day (``RETENTION_PURGE_HOURS``; 0 turns it off).

Several gateways share the work without a scheduler of their own: a round
first looks at the audit log, and purges only when no purge (scheduled, or
``python -m bot purge`` by hand) has run within the interval. The log gets
counts only, never what was deleted.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from bot.leads.repository import LeadRepository
from bot.staff.audit import AuditLog
from bot.staff.background import BackgroundJob
from bot.staff.conversations import ConversationStore, ConversationStoreUnavailable
from bot.staff.personal_data import PurgeReport, purge_expired
from bot.storage.schema import Clock, utc_now
from bot.storage.transactions import DatabaseUnavailable

log = logging.getLogger(__name__)

ACTOR = "retention schedule"
PURGE_ACTION = "conversation.purge"  # the first entry every purge writes (bot/staff/personal_data.py)
CHECK_EVERY_SECONDS = 3600.0
FIRST_CHECK_AFTER_SECONDS = 60.0  # let the gateway settle (and a restart loop not purge each time)


def purge_if_due(
    leads: LeadRepository,
    conversations: ConversationStore,
    audit: AuditLog,
    days: int,
    interval: timedelta,
    clock: Clock = utc_now,
) -> PurgeReport | None:
    """Purge now unless a purge ran within ``interval``; the report, or None when not due."""
    latest = audit.recent(1, 0, PURGE_ACTION)
    if latest and clock() - latest[0].at < interval:
        return None
    report = purge_expired(leads, conversations, audit, days, ACTOR)
    log.info(
        "retention purge: %d lead(s), %d conversation(s), %d event(s) older than %d days",
        report.leads,
        report.conversations,
        report.events,
        report.days,
    )
    return report


@dataclass(eq=False)
class RetentionSchedule(BackgroundJob):
    """The gateway's background purge: a check every hour, a purge once per interval
    (what ``purge_if_due`` needs, and how often to ask it)."""

    leads: LeadRepository
    conversations: ConversationStore
    audit: AuditLog
    days: int
    interval: timedelta
    clock: Clock = utc_now
    check_every_seconds: float = CHECK_EVERY_SECONDS
    first_check_after_seconds: float = FIRST_CHECK_AFTER_SECONDS
    task_name: ClassVar[str] = "retention-purge"

    def __post_init__(self) -> None:
        super().__init__()

    def run_once(self) -> PurgeReport | None:
        return purge_if_due(self.leads, self.conversations, self.audit, self.days, self.interval, self.clock)

    async def _run(self) -> None:
        await asyncio.sleep(self.first_check_after_seconds)
        while True:
            try:
                await asyncio.to_thread(self.run_once)
            except (DatabaseUnavailable, ConversationStoreUnavailable) as error:
                log.warning("retention purge postponed: %s", error)
            except Exception:  # noqa: BLE001 - try again at the next check whatever this one did
                log.exception("retention purge failed")
            await asyncio.sleep(self.check_every_seconds)
