"""The back office assembled once: the one place that wires the repository, its outbox, the audit
log, the staff services and the clock over one engine.

The gateway (``bot.web.console``), each command of the CLI (``bot.staff.cli``,
``bot.staff.leads_cli``) and the action server (``actions/dependencies.py``)
build their services with ``BackOffice.from_settings(settings)`` and
``close()`` it when done. Services are cheap objects made per use, each with
its own short transactions; they read the time from ``clock``, which tests
may replace on a running office.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from bot.leads.repository import LeadRepository
from bot.settings import Settings
from bot.staff.accounts import StaffAccounts
from bot.staff.api_tokens import ApiTokens
from bot.staff.audit import AuditLog
from bot.staff.conversations import ConversationStore
from bot.staff.list_visits import ListVisits
from bot.staff.login_throttle import LoginThrottle
from bot.staff.notification_outbox import NotificationQueue, OutboxWriter
from bot.staff.sessions import StaffSessions
from bot.storage.engine import create_engine_for, session_factory
from bot.storage.schema import Clock, utc_now


@dataclass
class BackOffice:
    settings: Settings
    engine: Engine
    sessions: sessionmaker
    conversations: ConversationStore  # Rasa's tracker store: read for transcripts, erased with a person
    clock: Clock = field(default=utc_now)

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock = utc_now, **extra) -> BackOffice:
        """Every service on one new engine for ``settings.database_url``; ``close()`` releases it."""
        engine = create_engine_for(settings.database_url)
        conversations = ConversationStore(settings.tracker_store_url)
        return cls(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            conversations=conversations,
            clock=clock,
            **extra,
        )

    def close(self) -> None:
        self.conversations.close()
        self.engine.dispose()

    def now(self) -> datetime:
        return self.clock()

    def outbox(self) -> OutboxWriter:
        """What a new lead queues, in its own transaction: one notification per configured channel."""
        return OutboxWriter(self.settings.notification_channels())

    def leads(self) -> LeadRepository:
        return LeadRepository(
            self.sessions, clock=self.now, link_days=self.settings.lead_link_days, events=self.outbox()
        )

    def audit(self) -> AuditLog:
        return AuditLog(self.sessions, self.now)

    def accounts(self) -> StaffAccounts:
        return StaffAccounts(self.sessions, self.now)

    def tokens(self) -> ApiTokens:
        return ApiTokens(self.sessions, self.now)

    def notification_queue(self) -> NotificationQueue:
        return NotificationQueue(self.sessions, self.now)

    def list_visits(self) -> ListVisits:
        return ListVisits(self.sessions, self.now)

    def staff_sessions(self) -> StaffSessions:
        s = self.settings
        return StaffSessions(
            self.sessions,
            self.now,
            lifetime=timedelta(hours=s.staff_session_hours),
            idle=timedelta(minutes=s.staff_session_idle_minutes),
        )

    def throttle(self) -> LoginThrottle:
        s = self.settings
        return LoginThrottle(
            self.sessions,
            self.now,
            max_failures=s.login_max_failures,
            ip_max_failures=s.login_ip_max_failures,
            lock=timedelta(minutes=s.login_lock_minutes),
        )
