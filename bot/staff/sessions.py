"""Signed-in browsers, stored server-side so that signing out, disabling an account or
changing a password ends a session at once.

The cookie carries a random 256-bit token; the table keeps only its SHA-256
digest, so a copy of the database does not sign anyone in. A session ends
``lifetime`` after sign-in, or after ``idle`` without a request, whichever is
first. Each session has its own CSRF token for the console's forms.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import sessionmaker

from bot.staff.accounts import StaffMember, member_of
from bot.staff.csrf import new_csrf_token
from bot.staff.models import StaffSession, StaffUser
from bot.storage.schema import Clock, utc_now
from bot.storage.transactions import transaction

TOKEN_BYTES = 32
# last_seen_at is written at most this often, not on every page view.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SignedIn:
    member: StaffMember
    csrf_token: str
    expires_at: datetime


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class StaffSessions:
    def __init__(
        self,
        sessions: sessionmaker,
        clock: Clock = utc_now,
        lifetime: timedelta = timedelta(hours=8),
        idle: timedelta = timedelta(hours=1),
    ):
        self._sessions = sessions
        self._clock = clock
        self.lifetime = lifetime
        self.idle = idle

    def start(self, user_id: int) -> tuple[str, SignedIn]:
        """A new session; returns the token for the cookie (shown nowhere else) and the session."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = self._clock()
        row = StaffSession(
            token_digest=token_digest(token),
            user_id=user_id,
            csrf_token=new_csrf_token(),
            created_at=now,
            last_seen_at=now,
            expires_at=now + self.lifetime,
        )
        with transaction(self._sessions, write=True) as session:
            # Sessions that have ended are tidied away whenever someone signs in.
            session.execute(delete(StaffSession).where(StaffSession.expires_at < now))
            session.add(row)
            user = session.get(StaffUser, user_id)
            return token, SignedIn(member_of(user), row.csrf_token, row.expires_at)

    def resolve(self, token: str | None) -> SignedIn | None:
        """The live session for a cookie token, or None (unknown, expired, idle, or account disabled)."""
        if not token or len(token) > 200:
            return None
        digest = token_digest(token)
        now = self._clock()
        with transaction(self._sessions) as session:
            found = session.execute(
                select(StaffSession, StaffUser)
                .join(StaffUser, StaffUser.id == StaffSession.user_id)
                .where(StaffSession.token_digest == digest)
            ).first()
        if found is None:
            return None
        row, user = found
        if not user.active or row.expires_at <= now or row.last_seen_at + self.idle <= now:
            self.end(token)
            return None
        if now - row.last_seen_at >= TOUCH_EVERY:
            with transaction(self._sessions, write=True) as session:
                live = session.get(StaffSession, digest)
                if live is not None:
                    live.last_seen_at = now
        return SignedIn(member_of(user), row.csrf_token, row.expires_at)

    def end(self, token: str | None) -> None:
        if token:
            with transaction(self._sessions, write=True) as session:
                session.execute(delete(StaffSession).where(StaffSession.token_digest == token_digest(token)))
