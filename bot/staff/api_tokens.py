"""Bearer tokens for the leads API (``python -m bot tokens create NAME``).

A token is shown once, when it is created; only its SHA-256 digest is stored
(it is 256 random bits, so a fast digest is enough, unlike a password).
Revoked tokens stay listed, so the audit log's ``token:NAME`` keeps its meaning.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.staff.models import ApiToken
from bot.staff.transactions import Clock, transaction, utc_now

TOKEN_PREFIX = "ba_"
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}")
TOUCH_EVERY = timedelta(minutes=1)


class TokenError(ValueError):
    """A token request that cannot be met; one line for a person to read."""


@dataclass(frozen=True)
class ApiTokenInfo:
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _info(row: ApiToken) -> ApiTokenInfo:
    return ApiTokenInfo(row.id, row.name, row.prefix, row.created_at, row.last_used_at, row.revoked_at)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokens:
    def __init__(self, sessions: sessionmaker, clock: Clock = utc_now):
        self._sessions = sessions
        self._clock = clock

    def create(self, name: str) -> tuple[str, ApiTokenInfo]:
        """A new token: the secret itself (to show once) and what is stored about it."""
        name = (name or "").strip()
        if not NAME_PATTERN.fullmatch(name):
            raise TokenError("a token name is 1 to 100 letters, digits, spaces, dots, dashes or underscores")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = ApiToken(name=name, token_digest=_digest(token), prefix=token[:10], created_at=self._clock())
        try:
            with transaction(self._sessions, write=True) as session:
                session.add(row)
                session.flush()
                return token, _info(row)
        except IntegrityError:
            raise TokenError(f"there is already a token called {name!r}; revoke it or choose another name") from None

    def all(self) -> list[ApiTokenInfo]:
        with transaction(self._sessions) as session:
            return [_info(row) for row in session.execute(select(ApiToken).order_by(ApiToken.name)).scalars()]

    def revoke(self, name: str) -> ApiTokenInfo:
        with transaction(self._sessions, write=True) as session:
            row = session.execute(select(ApiToken).where(ApiToken.name == (name or "").strip())).scalar()
            if row is None:
                raise TokenError(f"there is no token called {(name or '').strip()[:100]!r}")
            if row.revoked_at is None:
                row.revoked_at = self._clock()
            return _info(row)

    def authenticate(self, token: str | None) -> ApiTokenInfo | None:
        """The active token this secret belongs to, or None (missing, unknown or revoked)."""
        if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        digest = _digest(token)
        now = self._clock()
        with transaction(self._sessions) as session:
            row = session.execute(select(ApiToken).where(ApiToken.token_digest == digest)).scalar()
            if row is None or row.revoked_at is not None:
                return None
            info = _info(row)
        if info.last_used_at is None or now - info.last_used_at >= TOUCH_EVERY:
            with transaction(self._sessions, write=True) as session:
                live = session.get(ApiToken, info.id)
                if live is not None:
                    live.last_used_at = now
        return info
