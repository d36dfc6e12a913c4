"""Defect 3: the sign-in throttle is atomic: parallel guesses get exactly the budget checked.

Before: the throttle read the failure count, the password was checked, and the
failure was written afterwards, so 12 parallel guesses at one account got 7
passwords checked; and a lock per account let anyone lock any member of staff
out by guessing.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier, Lock

import pytest

from bot.staff.accounts import StaffAccounts
from bot.staff.login_throttle import LoginThrottle
from bot.storage.engine import create_engine_for, session_factory
from bot.web.console.auth import _attempt
from tests.leads.builders import FakeClock
from tests.security.conftest import NOW, STAFF

GUESSES = 12


@pytest.fixture
def throttle_factory(any_database_url):
    engine = create_engine_for(any_database_url)
    sessions = session_factory(engine)
    clock = FakeClock(NOW)

    def make() -> LoginThrottle:
        return LoginThrottle(sessions, clock, max_failures=5, ip_max_failures=20, lock=timedelta(minutes=15))

    yield make, sessions, clock
    engine.dispose()


def in_parallel(function, count: int) -> list:
    start = Barrier(count)

    def run(number: int):
        start.wait()  # every guess arrives together
        return function(number)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_parallel_reservations_grant_exactly_the_budget(throttle_factory):
    make, _sessions, _clock = throttle_factory
    reservations = in_parallel(lambda _n: make().reserve("sam@example.org", "203.0.113.66"), GUESSES)
    assert sum(r.granted for r in reservations) == 5
    assert all(r.wait == 15 * 60 for r in reservations if not r.granted)


class CountingConsole:
    """What ``_attempt`` needs of the console, counting the passwords actually checked."""

    def __init__(self, make_throttle, sessions, clock):
        self._make_throttle, self.sessions, self.clock = make_throttle, sessions, clock
        self.checked = 0
        self._lock = Lock()
        self.staff = StaffAccounts(sessions, clock)

    def throttle(self) -> LoginThrottle:
        return self._make_throttle()

    def accounts(self):
        console = self

        class Counting:
            def check_password(self, email, password):
                with console._lock:
                    console.checked += 1
                return console.staff.check_password(email, password)

            def record_login(self, user_id):
                return console.staff.record_login(user_id)

        return Counting()

    def audit(self):
        from bot.staff.audit import AuditLog

        return AuditLog(self.sessions, self.clock)


def test_twelve_parallel_sign_in_guesses_check_exactly_five_passwords(throttle_factory):
    make, sessions, clock = throttle_factory
    StaffAccounts(sessions, clock).add(*STAFF)
    console = CountingConsole(make, sessions, clock)
    outcomes = in_parallel(lambda n: _attempt(console, STAFF[0], f"wrong guess {n:04d}", "203.0.113.66"), GUESSES)
    assert console.checked == 5
    assert sum(outcome.checked for outcome in outcomes) == 5
    assert all(outcome.member is None for outcome in outcomes)
    # The member of staff, from their own address, is paced for a second at most: never locked out.
    clock.advance(seconds=1)
    assert _attempt(console, *STAFF, "198.51.100.1").member is not None


def test_guesses_spread_over_several_gateways_share_one_budget(any_database_url):
    """Each guess through its own engine, as separate gateway processes sharing the database would."""
    clock = FakeClock(NOW)

    def guess(_number: int) -> bool:
        engine = create_engine_for(any_database_url)
        try:
            throttle = LoginThrottle(session_factory(engine), clock, max_failures=5, lock=timedelta(minutes=15))
            return throttle.reserve("sam@example.org", "203.0.113.66").granted
        finally:
            engine.dispose()

    assert sum(in_parallel(guess, GUESSES)) == 5
