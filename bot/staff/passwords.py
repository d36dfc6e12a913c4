"""Staff passwords: argon2id hashes (argon2-cffi's defaults, RFC 9106's low-memory profile),
checked for strength when set: length, zxcvbn's estimate, and its list of common passwords.
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 1024
# zxcvbn's score: 3 is "safely unguessable" (about 10^8 guesses and more); 4 is better still.
PASSWORD_MIN_SCORE = 3
ESTIMATE_CHARACTERS = 100  # zxcvbn's cost grows with length; beyond this, length alone is plenty
# Words anyone would try first against this organisation's accounts.
ORGANISATION_WORDS = ("british", "academy", "britishacademy", "admissions", "console", "staff", "healthcare")


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher(type=Type.ID)


@cache
def _decoy_hash() -> str:
    return _hasher().hash(secrets.token_urlsafe(24))


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, email: str = "") -> str | None:
    """Why a new password is refused, or None. No composition rules: length and guessability.

    ``email`` (the account's) counts as something a guesser knows: a password
    built from it is weak.
    """
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"the password must be at least {PASSWORD_MIN_LENGTH} characters long"
    if len(password) > PASSWORD_MAX_LENGTH:
        return f"the password can be at most {PASSWORD_MAX_LENGTH} characters long"
    if not password.strip():
        return "the password cannot be only spaces"
    if password.lower() in _common_passwords() or "".join(password.lower().split()) in _common_passwords():
        return "that password is on the list of the most common passwords: choose another"
    local, _, domain = (email or "").lower().partition("@")
    hints = [word for word in (email.lower(), local, *domain.split("."), *ORGANISATION_WORDS) if word]
    estimate = zxcvbn(password[:ESTIMATE_CHARACTERS], user_inputs=hints)
    if estimate["score"] < PASSWORD_MIN_SCORE:
        advice = estimate["feedback"].get("warning") or "it would be guessed too easily"
        return f"the password is too weak ({advice.rstrip('.')}): a few unrelated words together work well"
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
