"""Bearer tokens for the leads API (``python -m bot tokens create NAME``).

A token is shown once, when it is created; only its SHA-256 digest is stored
(it is 256 random bits, so a fast digest is enough, unlike a password).
Every token expires (90 days unless told otherwise) and carries scopes: what
it may do. Revoked and expired tokens stay listed, so the audit log's
``token:NAME`` keeps its meaning.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.staff.models import ApiToken
from bot.storage.schema import Clock, utc_now

# bandit B105: the visible prefix of every token, not a secret
from bot.storage.transactions import transaction

# bandit B105: the visible prefix of every token, not a secret
TOKEN_PREFIX = "ba_"  # nosec B105
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}")
TOUCH_EVERY = timedelta(minutes=1)
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 366
# What a token may be allowed to do. The leads API's routes name the scope they need (bot/web/api_leads.py).
SCOPES = {
    "leads:read": "read leads (list and details)",
    "leads:export": "export leads in bulk",
    "leads:status": "change a lead's status",
}
DEFAULT_SCOPES = ("leads:read",)


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
    expires_at: datetime
    scopes: tuple[str, ...]

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


def _info(row: ApiToken) -> ApiTokenInfo:
    scopes = tuple((row.scopes or "").split())
    return ApiTokenInfo(
        row.id, row.name, row.prefix, row.created_at, row.last_used_at, row.revoked_at, row.expires_at, scopes
    )


def parse_scopes(names: Iterable[str] | None) -> tuple[str, ...]:
    """Scopes as given on the command line or a form (``leads:read``, or ``read``), checked; the default if none."""
    chosen = []
    for raw in names or ():
        for name in raw.replace(",", " ").split():
            scope = name if ":" in name else f"leads:{name}"
            if scope not in SCOPES:
                raise TokenError(f"unknown scope {name[:40]!r}; use {', '.join(SCOPES)}")
            if scope not in chosen:
                chosen.append(scope)
    return tuple(chosen) or DEFAULT_SCOPES


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokens:
    def __init__(self, sessions: sessionmaker, clock: Clock = utc_now):
        self._sessions = sessions
        self._clock = clock

    def create(
        self, name: str, scopes: Iterable[str] | None = None, days: int = DEFAULT_LIFETIME_DAYS
    ) -> tuple[str, ApiTokenInfo]:
        """A new token: the secret itself (to show once) and what is stored about it."""
        name = (name or "").strip()
        if not NAME_PATTERN.fullmatch(name):
            raise TokenError("a token name is 1 to 100 letters, digits, spaces, dots, dashes or underscores")
        if not 1 <= days <= MAX_LIFETIME_DAYS:
            raise TokenError(f"a token lives 1 to {MAX_LIFETIME_DAYS} days, not {days}")
        chosen = parse_scopes(scopes)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = self._clock()
        row = ApiToken(
            name=name,
            token_digest=_digest(token),
            prefix=token[:10],
            created_at=now,
            scopes=" ".join(chosen),
            expires_at=now + timedelta(days=days),
        )
        try:
            with transaction(self._sessions, write=True) as session:
                session.add(row)
                session.flush()
                return token, _info(row)
        except IntegrityError:
            raise TokenError(f"there is already a token called {name!r}; revoke it or choose another name") from None

    def now(self) -> datetime:
        return self._clock()

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
        """The active token this secret belongs to, or None (missing, unknown, revoked or expired)."""
        if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        digest = _digest(token)
        now = self._clock()
        with transaction(self._sessions) as session:
            row = session.execute(select(ApiToken).where(ApiToken.token_digest == digest)).scalar()
            if row is None or row.revoked_at is not None or row.expires_at <= now:
                return None
            info = _info(row)
        if info.last_used_at is None or now - info.last_used_at >= TOUCH_EVERY:
            with transaction(self._sessions, write=True) as session:
                live = session.get(ApiToken, info.id)
                if live is not None:
                    live.last_used_at = now
        return info
