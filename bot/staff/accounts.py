"""Staff accounts: who may sign in to the console, with which role.

Two roles: ``staff`` (read and work leads, export CSV, see insights) and
``admin`` (also erase people, export a person's data and read the audit log).
Accounts are disabled, never deleted, so the audit trail keeps its meaning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.leads.validation import validate_email
from bot.staff.models import ROLES, StaffSession, StaffUser
from bot.staff.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    spend_verification_time,
    verify_password,
)
from bot.storage.schema import Clock, utc_now
from bot.storage.transactions import transaction


class AccountError(ValueError):
    """A request about accounts that cannot be met; the message is one line for a person to read."""


@dataclass(frozen=True)
class StaffMember:
    id: int
    email: str
    role: str
    active: bool
    created_at: datetime
    last_login_at: datetime | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def member_of(user: StaffUser) -> StaffMember:
    return StaffMember(user.id, user.email, user.role, bool(user.active), user.created_at, user.last_login_at)


def normalise_email(text: str) -> str:
    """A staff email in its stored form, or AccountError saying what is wrong with it."""
    result = validate_email(text)
    if not result.ok:
        raise AccountError(f"{(text or '').strip()[:80]!r} is not a usable email address")
    return result.value


class StaffAccounts:
    def __init__(self, sessions: sessionmaker, clock: Clock = utc_now):
        self._sessions = sessions
        self._clock = clock

    def add(self, email: str, password: str, role: str = "staff") -> StaffMember:
        address = normalise_email(email)
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
        problem = password_problem(password, address)
        if problem:
            raise AccountError(problem)
        user = StaffUser(
            email=address, password_hash=hash_password(password), role=role, active=True, created_at=self._clock()
        )
        try:
            with transaction(self._sessions, write=True) as session:
                session.add(user)
                session.flush()
                return member_of(user)
        except IntegrityError:
            raise AccountError(f"there is already an account for {address}") from None

    def all(self) -> list[StaffMember]:
        with transaction(self._sessions) as session:
            return [member_of(user) for user in session.execute(select(StaffUser).order_by(StaffUser.email)).scalars()]

    def active_emails(self) -> list[str]:
        query = select(StaffUser.email).where(StaffUser.active.is_(True)).order_by(StaffUser.email)
        with transaction(self._sessions) as session:
            return list(session.execute(query).scalars())

    def find(self, email: str) -> StaffMember | None:
        address = (email or "").strip().lower()
        with transaction(self._sessions) as session:
            user = session.execute(select(StaffUser).where(StaffUser.email == address)).scalar()
            return member_of(user) if user else None

    def disable(self, email: str) -> StaffMember:
        """No more sign-ins, and every open session of the account ends now."""
        address = normalise_email(email)
        with transaction(self._sessions, write=True) as session:
            user = self._existing(session, address)
            user.active = False
            session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
            return member_of(user)

    def set_password(self, email: str, password: str) -> StaffMember:
        """A new password (and the account enabled again); every open session of the account ends."""
        address = normalise_email(email)
        problem = password_problem(password, address)
        if problem:
            raise AccountError(problem)
        password_hash = hash_password(password)
        with transaction(self._sessions, write=True) as session:
            user = self._existing(session, address)
            user.password_hash = password_hash
            user.active = True
            session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
            return member_of(user)

    def check_password(self, email: str, password: str) -> StaffMember | None:
        """The active account these credentials open, or None. Takes as long for an unknown email."""
        address = (email or "").strip().lower()
        with transaction(self._sessions) as session:
            user = session.execute(select(StaffUser).where(StaffUser.email == address)).scalar()
            stored = user.password_hash if user else None
            member = member_of(user) if user else None
        if stored is None:
            spend_verification_time(password)
            return None
        if not verify_password(stored, password) or not member.active:
            return None
        if needs_rehash(stored):
            self._rehash(member.id, password)
        return member

    def record_login(self, user_id: int) -> None:
        with transaction(self._sessions, write=True) as session:
            user = session.get(StaffUser, user_id)
            if user is not None:
                user.last_login_at = self._clock()

    def _rehash(self, user_id: int, password: str) -> None:
        with transaction(self._sessions, write=True) as session:
            user = session.get(StaffUser, user_id)
            if user is not None:
                user.password_hash = hash_password(password)

    @staticmethod
    def _existing(session, address: str) -> StaffUser:
        user = session.execute(select(StaffUser).where(StaffUser.email == address)).scalar()
        if user is None:
            raise AccountError(f"there is no account for {address}")
        return user
