"""Defect 9: weak staff passwords are refused at creation and change (zxcvbn and a common-password list).

Before: any 12 characters were accepted, "password1234" and "qwertyuiop12" included.
"""

from __future__ import annotations

import pytest

from bot.staff.accounts import AccountError, StaffAccounts
from bot.staff.passwords import password_problem


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("password1234", "most common passwords"),
        ("qwertyuiop12", "most common passwords"),
        ("123qweasdzxc", "most common passwords"),
        ("1qaz2wsx3edc", "most common passwords"),
        ("aaaaaaaaaaaa", "too weak"),
        ("britishacademy1", "too weak"),
        ("abcdefghijkl", "too weak"),
    ],
)
def test_guessable_passwords_are_refused(password, problem):
    found = password_problem(password)
    assert found is not None and problem in found


def test_a_password_built_from_the_accounts_email_is_refused():
    assert password_problem("samantha.jones1", "samantha.jones@nhs.example") is not None
    assert "too weak" in password_problem("samantha.jones1", "samantha.jones@nhs.example")


@pytest.mark.parametrize("password", ["correct horse battery staple", "violet kettle 42 marathon", "Gq8#vT2!mZ4@"])
def test_strong_passwords_are_accepted(password):
    assert password_problem(password, "sam@example.org") is None


def test_adding_and_changing_check_the_strength(sessions, clock):
    accounts = StaffAccounts(sessions, clock)
    with pytest.raises(AccountError, match="too weak"):
        accounts.add("new@example.org", "aaaaaaaaaaaa")
    accounts.add("new@example.org", "correct horse battery staple")
    with pytest.raises(AccountError, match="most common passwords"):
        accounts.set_password("new@example.org", "1q2w3e4r5t6y")
    assert accounts.check_password("new@example.org", "correct horse battery staple") is not None
