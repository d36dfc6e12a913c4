"""What the console's handlers share in one gateway process: the database, the
tracker store, the templates and the clock (which tests may replace).

Services are cheap objects made per use over the one engine, so each request
works with its own short transactions. Database calls block: handlers run
them through ``blocking`` so the event loop keeps serving visitors' chats.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from jinja2 import Environment
from sanic import Request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from bot.leads.repository import FilterChoices, LeadRepository
from bot.settings import Settings
from bot.staff.accounts import StaffAccounts
from bot.staff.api_tokens import ApiTokens
from bot.staff.audit import AuditLog
from bot.staff.conversations import ConversationStore
from bot.staff.login_throttle import LoginThrottle
from bot.staff.notification_outbox import NotificationQueue
from bot.staff.sessions import StaffSessions
from bot.storage.schema import Clock, utc_now

Result = TypeVar("Result")
FILTER_CHOICES_SECONDS = 60


@dataclass
class Console:
    settings: Settings
    engine: Engine
    sessions: sessionmaker
    conversations: ConversationStore
    templates: Environment
    clock: Clock = field(default=utc_now)
    # The filter menus' values change slowly; reading them on every list page would cost four scans.
    _choices: tuple[float, FilterChoices] | None = field(default=None, repr=False)

    def now(self) -> datetime:
        return self.clock()

    @property
    def time_zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.staff_time_zone)

    def leads(self) -> LeadRepository:
        return LeadRepository(self.sessions, clock=self.now, link_days=self.settings.lead_link_days)

    def filter_choices(self) -> FilterChoices:
        """The values for the leads list's menus, re-read at most once a minute."""
        cached = self._choices
        if cached is None or time.monotonic() - cached[0] > FILTER_CHOICES_SECONDS:
            cached = (time.monotonic(), self.leads().filter_choices())
            self._choices = cached
        return cached[1]

    def accounts(self) -> StaffAccounts:
        return StaffAccounts(self.sessions, self.now)

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

    def tokens(self) -> ApiTokens:
        return ApiTokens(self.sessions, self.now)

    def audit(self) -> AuditLog:
        return AuditLog(self.sessions, self.now)

    def notification_queue(self) -> NotificationQueue:
        return NotificationQueue(self.sessions, self.now)


def console_of(request: Request) -> Console:
    return request.app.ctx.console


async def blocking(function: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
    """Run database work in a thread, off the event loop."""
    return await asyncio.to_thread(function, *args, **kwargs)


def client_ip(request: Request) -> str:
    # remote_addr comes from X-Forwarded-For only when GATEWAY_PROXIES_COUNT trusts a proxy.
    return request.remote_addr or request.ip or "unknown"
