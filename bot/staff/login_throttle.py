"""Slowing down password guessing, atomically: a budget per account and client, a lock per client, a pace per account.

Each sign-in first *reserves* an attempt, in one serialised transaction (SQLite
``BEGIN IMMEDIATE``; a PostgreSQL advisory lock), and only a granted
reservation has its password checked. A reservation counts as a failure until
the password turns out right, so parallel guesses, from one gateway or many
sharing the database, get exactly the budget checked and no more.

- Per account *and* client address: ``max_failures`` failures in a row, then
  that client is locked out of that account for ``lock``. Guessing from one
  address never locks the member of staff out from theirs.
- Per client address (any accounts): ``ip_max_failures`` failures, then the
  address is locked for ``lock``: the guesser slows down, nobody else does.
- Per account (any addresses): from ``max_failures`` failures on, checks are
  paced 1, 2, 4 ... seconds apart (at most ``PACE_MAX_SECONDS``). A distributed
  guesser gets a couple of guesses a minute; the owner waits seconds, never
  more, and is never locked out.

A successful sign-in clears the account's count. Attempts are kept a day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from bot.leads.models import EMAIL_MAX
from bot.staff.models import LoginAttempt
from bot.storage.schema import Clock, utc_now
from bot.storage.transactions import transaction

PACE_MAX_SECONDS = 30
KEEP_ATTEMPTS = timedelta(days=1)
# One PostgreSQL advisory lock serialises reservations (sign-ins are rare; the transaction is short).
ADVISORY_LOCK_KEY = 0x4C4F47494E  # "LOGIN"


def pace_seconds(account_failures: int, max_failures: int) -> int:
    """Seconds between checks on an account that has had ``account_failures`` failures from anywhere."""
    if account_failures < max_failures:
        return 0
    return min(2 ** (account_failures - max_failures), PACE_MAX_SECONDS)


@dataclass(frozen=True)
class Reservation:
    """A granted attempt (``attempt_id``) whose password may be checked, or a refusal with a wait."""

    attempt_id: int | None
    wait: int = 0

    @property
    def granted(self) -> bool:
        return self.attempt_id is not None


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

    def reserve(self, email: str, ip: str) -> Reservation:
        """Take one attempt for this account from this address, or say how long to wait. Atomic."""
        now = self._clock()
        email, ip = _email_key(email), ip[:64]
        with transaction(self._sessions, write=True) as session:
            _serialise(session)
            wait = self._wait(session, email, ip, now)
            if wait:
                return Reservation(None, wait)
            attempt = LoginAttempt(at=now, email=email, ip=ip, succeeded=False)  # a failure until proven right
            session.add(attempt)
            session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP_ATTEMPTS))
            session.flush()
            return Reservation(attempt.id)

    def succeeded(self, reservation: Reservation) -> None:
        """The reserved attempt had the right password: it no longer counts against anyone."""
        if not reservation.granted:
            return
        with transaction(self._sessions, write=True) as session:
            session.execute(
                update(LoginAttempt).where(LoginAttempt.id == reservation.attempt_id).values(succeeded=True)
            )

    def wait_seconds(self, email: str, ip: str) -> int:
        """0 when this account may try to sign in from this address now, else whole seconds to wait."""
        with transaction(self._sessions) as session:
            return self._wait(session, _email_key(email), ip[:64], self._clock())

    def _wait(self, session: Session, email: str, ip: str, now: datetime) -> int:
        window_start = now - self.lock
        last_success = session.execute(
            select(func.max(LoginAttempt.at)).where(LoginAttempt.email == email, LoginAttempt.succeeded.is_(True))
        ).scalar()
        since = max(window_start, last_success) if last_success else window_start
        failed = LoginAttempt.succeeded.is_(False)
        pair_failures, pair_last = session.execute(
            select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
                LoginAttempt.email == email, LoginAttempt.ip == ip, failed, LoginAttempt.at > since
            )
        ).one()
        account_failures, account_last = session.execute(
            select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
                LoginAttempt.email == email, failed, LoginAttempt.at > since
            )
        ).one()
        ip_failures, ip_last = session.execute(
            select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
                LoginAttempt.ip == ip, failed, LoginAttempt.at > window_start
            )
        ).one()
        waits = [0.0]
        if pair_failures >= self.max_failures:
            waits.append(_until(pair_last + self.lock, now))
        if ip_failures >= self.ip_max_failures:
            waits.append(_until(ip_last + self.lock, now))
        pace = pace_seconds(account_failures, self.max_failures)
        if pace:
            waits.append(_until(account_last + timedelta(seconds=pace), now))
        return math.ceil(max(waits))


def _serialise(session: Session) -> None:
    """SQLite's write transaction (BEGIN IMMEDIATE) already excludes other writers; PostgreSQL needs a lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})


def _email_key(email: str) -> str:
    return (email or "").strip().lower()[:EMAIL_MAX]


def _until(moment: datetime, now: datetime) -> float:
    return max(0.0, (moment - now).total_seconds())
