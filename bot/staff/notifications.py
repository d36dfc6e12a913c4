"""New-lead notifications: delivered after the lead is committed, retried, never in the visitor's way.

``LeadRepository.submit`` writes one outbox row per configured channel in the
lead's own transaction (``OutboxWriter``, wired by ``BackOffice``; see
``Settings.notification_channels``), so a lead is announced if and only if it was stored. Rows are delivered by

- the gateway's ``NotificationWorker`` (every ``NOTIFY_POLL_SECONDS``),
- ``notify_new_lead(settings, lead)``, which a caller may use right after
  ``submit`` to send at once in a background thread instead of at the next poll,
- ``python -m bot notifications deliver``.

A failed attempt is retried after ``NOTIFY_RETRY_SECONDS``, doubling each time
(at most an hour between tries), up to ``NOTIFY_MAX_ATTEMPTS``; then it is
given up and recorded in the audit log.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.leads.views import LeadSummary, SubmitResult
from bot.settings import Settings
from bot.staff.audit import AuditLog, lead_subject
from bot.staff.back_office import BackOffice
from bot.staff.background import BackgroundJob
from bot.staff.notification_channels import SENDERS, DeliveryFailed, LeadAnnouncement, announcement_for
from bot.staff.notification_outbox import ClaimedNotification, NotificationQueue, retry_delay
from bot.storage.transactions import DatabaseUnavailable

log = logging.getLogger(__name__)

Sender = Callable[[LeadAnnouncement, Settings], None]


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    given_up: int = 0


def deliver_due(
    office: BackOffice, lead_id: int | None = None, senders: Mapping[str, Sender] = SENDERS
) -> DeliveryReport:
    """Claim the notifications that are due (optionally one lead's only) and try each once."""
    settings = office.settings
    queue, leads, audit = office.notification_queue(), office.leads(), office.audit()
    outcomes = {"sent": 0, "retrying": 0, "given_up": 0}
    for item in queue.claim_due(lead_id=lead_id):
        lead = leads.get(item.lead_id)
        try:
            if lead is None:
                raise DeliveryFailed("the lead no longer exists")
            if item.channel not in settings.notification_channels():
                raise DeliveryFailed(f"{item.channel} notifications are no longer configured")
            senders[item.channel](announcement_for(lead, settings), settings)
        except DeliveryFailed as error:
            outcomes[_record_failure(settings, queue, audit, item, str(error), lead_exists=lead is not None)] += 1
        except Exception as error:  # noqa: BLE001 - a bug in one send must not leave its row claimed forever
            log.exception("%s notification of lead %s failed unexpectedly", item.channel, item.lead_id)
            problem = f"unexpected {type(error).__name__} (see the log)"  # the message itself may hold personal data
            outcomes[_record_failure(settings, queue, audit, item, problem, lead_exists=lead is not None)] += 1
        else:
            queue.mark_sent(item.id)
            outcomes["sent"] += 1
    return DeliveryReport(**outcomes)


def _record_failure(
    settings: Settings,
    queue: NotificationQueue,
    audit: AuditLog,
    item: ClaimedNotification,
    error: str,
    lead_exists: bool,
) -> str:
    """Schedule a retry or give up; returns which, as a DeliveryReport field name."""
    if lead_exists and item.attempt < settings.notify_max_attempts:
        queue.mark_failed(item.id, error, retry_delay(item.attempt, settings.notify_retry_seconds))
        log.warning("%s notification of lead %s failed (try %s): %s", item.channel, item.lead_id, item.attempt, error)
        return "retrying"
    queue.mark_failed(item.id, error, None)
    log.error("gave up the %s notification of lead %s: %s", item.channel, item.lead_id, error)
    if lead_exists:
        detail = f"{item.channel} after {item.attempt} attempt(s): {error}"
        audit.record("notifications", "notification.failed", lead_subject(item.lead_id), detail)
    return "given_up"


def notify_new_lead(settings: Settings, lead: int | SubmitResult | LeadSummary) -> threading.Thread | None:
    """Send this lead's notifications now, in a background thread; returns at once.

    Optional: without it the gateway's worker sends them at its next poll. Safe
    to call for a repeated submission (nothing is queued twice) and when no
    channel is configured (nothing happens). Never raises.
    """
    if not settings.notification_channels():
        return None
    lead_id = lead if isinstance(lead, int) else getattr(lead, "lead_id", None) or getattr(lead, "id", None)
    if lead_id is None:
        return None

    def deliver() -> None:
        office = BackOffice.from_settings(settings)
        try:
            deliver_due(office, lead_id=lead_id)
        except Exception:  # noqa: BLE001 - a background thread must not die loudly; the worker retries
            log.exception("immediate delivery of lead %s's notifications failed; the worker will retry", lead_id)
        finally:
            office.close()

    thread = threading.Thread(target=deliver, name=f"notify-lead-{lead_id}", daemon=True)
    thread.start()
    return thread


class NotificationWorker(BackgroundJob):
    """The gateway's background sender: polls the outbox while the server runs."""

    task_name = "notification-worker"

    def __init__(self, office: BackOffice):
        super().__init__()
        self._office = office
        self._wake = asyncio.Event()

    def start(self) -> None:
        if self._task is None:
            self._wake = asyncio.Event()  # on the running loop
        super().start()

    def wake(self) -> None:
        """Poll now rather than at the next interval."""
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.to_thread(deliver_due, self._office)
            except DatabaseUnavailable as error:
                log.warning("notification outbox unavailable: %s", error)
            except Exception:  # noqa: BLE001 - keep polling whatever one round did
                log.exception("notification round failed")
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self._office.settings.notify_poll_seconds)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()
