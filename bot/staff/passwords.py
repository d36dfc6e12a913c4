"""Staff passwords: argon2id hashes (argon2-cffi's defaults, RFC 9106's low-memory profile)."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 1024


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher(type=Type.ID)


@cache
def _decoy_hash() -> str:
    return _hasher().hash(secrets.token_urlsafe(24))


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None. Length is what matters; no composition rules."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"the password must be at least {PASSWORD_MIN_LENGTH} characters long"
    if len(password) > PASSWORD_MAX_LENGTH:
        return f"the password can be at most {PASSWORD_MAX_LENGTH} characters long"
    if not password.strip():
        return "the password cannot be only spaces"
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's: rehash at the next sign-in."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def spend_verification_time(password: str) -> None:
    """Verify against a decoy, so an unknown email takes as long to refuse as a wrong password."""
    verify_password(_decoy_hash(), password)
