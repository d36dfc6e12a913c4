"""Slowing down password guessing: back-off, then a temporary lock, per account and per client IP.

From the second failed sign-in in a row for an account, the next attempt must
wait 1, 2, 4 ... seconds (at most 30). After ``max_failures`` failures within
``lock`` the account is locked until ``lock`` has passed since the last one;
a successful sign-in clears the account's count. A client IP is locked the
same way after ``ip_max_failures`` failures on any accounts (not cleared by a
success: it is the guesser's address). Attempts refused while waiting are not
counted, so an attack cannot stretch a lock forever. Attempts are kept a day.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import sessionmaker

from bot.leads.models import EMAIL_MAX
from bot.staff.models import LoginAttempt
from bot.staff.transactions import Clock, transaction, utc_now

BACKOFF_FROM_FAILURE = 2
BACKOFF_MAX_SECONDS = 30
KEEP_ATTEMPTS = timedelta(days=1)


def backoff_seconds(failures: int) -> int:
    """Seconds to wait after ``failures`` failures in a row (below the lock)."""
    if failures < BACKOFF_FROM_FAILURE:
        return 0
    return min(2 ** (failures - BACKOFF_FROM_FAILURE), BACKOFF_MAX_SECONDS)


class LoginThrottle:
    def __init__(
        self,
        sessions: sessionmaker,
        clock: Clock = utc_now,
        max_failures: int = 5,
        ip_max_failures: int = 20,
        lock: timedelta = timedelta(minutes=15),
    ):
        self._sessions = sessions
        self._clock = clock
        self.max_failures = max_failures
        self.ip_max_failures = ip_max_failures
        self.lock = lock

    def wait_seconds(self, email: str, ip: str) -> int:
        """0 when this account may try to sign in from this IP now, else whole seconds to wait."""
        now = self._clock()
        window_start = now - self.lock
        email, ip = _email_key(email), ip[:64]
        with transaction(self._sessions) as session:
            last_success = session.execute(
                select(func.max(LoginAttempt.at)).where(LoginAttempt.email == email, LoginAttempt.succeeded.is_(True))
            ).scalar()
            since = max(window_start, last_success) if last_success else window_start
            account_failures, account_last = session.execute(
                select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
                    LoginAttempt.email == email, LoginAttempt.succeeded.is_(False), LoginAttempt.at > since
                )
            ).one()
            ip_failures, ip_last = session.execute(
                select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
                    LoginAttempt.ip == ip, LoginAttempt.succeeded.is_(False), LoginAttempt.at > window_start
                )
            ).one()
        waits = [0.0]
        if account_failures >= self.max_failures:
            waits.append(_until(account_last + self.lock, now))
        elif account_failures:
            waits.append(_until(account_last + timedelta(seconds=backoff_seconds(account_failures)), now))
        if ip_failures >= self.ip_max_failures:
            waits.append(_until(ip_last + self.lock, now))
        return math.ceil(max(waits))

    def record(self, email: str, ip: str, succeeded: bool) -> None:
        now = self._clock()
        with transaction(self._sessions, write=True) as session:
            session.add(LoginAttempt(at=now, email=_email_key(email), ip=ip[:64], succeeded=succeeded))
            session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP_ATTEMPTS))


def _email_key(email: str) -> str:
    return (email or "").strip().lower()[:EMAIL_MAX]


def _until(moment: datetime, now: datetime) -> float:
    return max(0.0, (moment - now).total_seconds())
