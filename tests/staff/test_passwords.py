"""Staff passwords are argon2id hashes at argon2-cffi's (RFC 9106 low-memory) cost; weaker ones are upgraded."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import select

from bot.staff import passwords
from bot.staff.accounts import AccountError, StaffAccounts
from bot.staff.models import StaffUser

pytestmark = pytest.mark.real_password_hashing


def test_hashes_are_argon2id_at_the_recommended_cost():
    stored = passwords.hash_password("correct horse battery")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(stored, "correct horse battery")
    assert not passwords.verify_password(stored, "correct horse batterY")
    assert not passwords.verify_password("not a hash", "anything")


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "at least 12 characters"),
        (" " * 12, "cannot be only spaces"),
        ("x" * 1025, "at most 1024 characters"),
        ("twelve chars", None),
        ("correct horse battery staple", None),
    ],
)
def test_password_rules_are_about_length(password, problem):
    found = passwords.password_problem(password)
    assert (found is None) if problem is None else (problem in found)


def test_a_weaker_hash_is_replaced_at_the_next_sign_in(sessions, clock):
    accounts = StaffAccounts(sessions, clock)
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID).hash("an old password here")
    with sessions.begin() as session:
        session.add(
            StaffUser(email="old@example.org", password_hash=weak, role="staff", active=True, created_at=clock())
        )
    assert passwords.needs_rehash(weak)
    assert accounts.check_password("old@example.org", "an old password here") is not None
    with sessions() as session:
        upgraded = session.execute(select(StaffUser.password_hash)).scalar_one()
    assert upgraded != weak and not passwords.needs_rehash(upgraded)


def test_weak_passwords_and_bad_emails_are_refused_when_adding(sessions, clock):
    accounts = StaffAccounts(sessions, clock)
    with pytest.raises(AccountError, match="at least 12"):
        accounts.add("new@example.org", "short")
    with pytest.raises(AccountError, match="not a usable email"):
        accounts.add("new at example", "long enough password")
    with pytest.raises(AccountError, match="unknown role"):
        accounts.add("new@example.org", "long enough password", role="owner")
