"""The sign-in throttle: a budget per account and client, a lock per client, a pace per account."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.settings import Settings
from bot.staff.login_throttle import LoginThrottle, pace_seconds
from bot.storage.engine import create_engine_for, session_factory
from bot.web.app import create_app
from tests.leads.builders import FakeClock
from tests.staff.fixtures import ADMIN, NOW, STAFF
from tests.web.console.staff_client import StaffClient

SAM, GUESSER, OFFICE = "sam@example.org", "203.0.113.66", "198.51.100.1"


def test_the_account_pace_grows_from_the_budget_and_is_capped():
    assert [pace_seconds(n, 5) for n in range(3, 12)] == [0, 0, 1, 2, 4, 8, 16, 30, 30]


@pytest.fixture
def throttle(any_database_url):
    engine = create_engine_for(any_database_url)
    clock = FakeClock(NOW)
    yield LoginThrottle(session_factory(engine), clock, max_failures=5, ip_max_failures=8, lock=timedelta(minutes=15))
    engine.dispose()


def fail(throttle: LoginThrottle, email: str = SAM, ip: str = GUESSER) -> int:
    """One wrong password (the reservation is never marked a success); the wait that follows."""
    assert throttle.reserve(email, ip).granted
    return throttle.wait_seconds(email, ip)


def test_a_client_gets_five_guesses_at_an_account_then_a_lock(throttle):
    waits = [fail(throttle) for _ in range(4)]
    assert waits == [0, 0, 0, 0]
    assert fail(throttle) == 15 * 60
    refused = throttle.reserve(SAM, GUESSER)
    assert not refused.granted and refused.wait == 15 * 60
    throttle._clock.advance(minutes=15)
    assert throttle.reserve(SAM, GUESSER).granted


def test_a_guesser_never_locks_the_owner_out_from_their_own_address(throttle):
    for _ in range(5):
        fail(throttle)
    assert throttle.wait_seconds(SAM, GUESSER) == 15 * 60
    # The owner's address: only the account's pace (one second after five failures), never a lock.
    assert throttle.wait_seconds(SAM, OFFICE) == 1
    throttle._clock.advance(seconds=1)
    assert throttle.reserve(SAM, OFFICE).granted


def test_guesses_from_many_addresses_are_paced_not_locked(throttle):
    waits = []
    for number in range(9):
        waits.append(fail(throttle, ip=f"192.0.2.{number}"))
        throttle._clock.advance(seconds=waits[-1])
    assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 16]
    assert max(waits) <= 30
    assert throttle.wait_seconds("other@example.org", "192.0.2.77") == 0


def test_a_success_clears_the_account_count(throttle):
    for _ in range(4):
        fail(throttle, ip=OFFICE)
    throttle._clock.advance(seconds=1)
    throttle.succeeded(throttle.reserve(SAM, OFFICE))
    assert throttle.wait_seconds(SAM, OFFICE) == 0
    throttle._clock.advance(seconds=1)
    # Four more would reach the budget again had the success not cleared the count (the address's own
    # count of 8 is not cleared: 3 more keep below it).
    assert [fail(throttle, ip=OFFICE) for _ in range(3)] == [0, 0, 0]


def test_one_address_guessing_many_accounts_is_locked(throttle):
    for number in range(8):
        fail(throttle, email=f"user{number}@example.org")
    assert throttle.wait_seconds("new@example.org", GUESSER) == 15 * 60
    assert throttle.wait_seconds("new@example.org", OFFICE) == 0


# --- through the sign-in form ---------------------------------------------------


def proxied_app(tmp_path, clock, **env):
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path), "GATEWAY_PROXIES_COUNT": "1", **env})
    app = create_app(settings)
    app.ctx.console.clock = clock
    return app


@pytest.mark.usefixtures("accounts")
def test_sign_in_locks_the_guessing_client_and_refuses_even_the_right_password(tmp_path, sessions, clock):
    app = proxied_app(tmp_path, clock)
    guesser = StaffClient(app)
    statuses = [guesser.login(STAFF[0], "wrong password!!", headers={"X-Forwarded-For": GUESSER}) for _ in range(5)]
    assert [response.status for response in statuses] == [401] * 5
    assert "try again in 15 minutes" in statuses[-1].text
    assert statuses[-1].headers["retry-after"] == str(15 * 60)

    locked = guesser.login(*STAFF, headers={"X-Forwarded-For": GUESSER})
    assert locked.status == 429 and "Too many failed sign-ins" in locked.text
    assert "ba_staff_session" not in guesser.cookies and "__Host-ba_staff_session" not in guesser.cookies

    owner = StaffClient(app)
    early = owner.login(*STAFF, headers={"X-Forwarded-For": OFFICE})
    assert early.status == 429 and "Please wait 1 second" in early.text
    clock.advance(seconds=1)
    assert owner.login(*STAFF, headers={"X-Forwarded-For": OFFICE}).status == 303


def test_the_lock_is_per_account(anonymous, clock):
    for _ in range(5):
        anonymous.login(STAFF[0], "wrong password!!")
    assert anonymous.login(*STAFF).status == 429
    assert StaffClient(anonymous.app).login(*ADMIN).status == 303


@pytest.mark.usefixtures("accounts")
def test_per_ip_lock_behind_a_trusted_proxy(tmp_path, sessions, clock):
    app = proxied_app(tmp_path, clock, LOGIN_IP_MAX_FAILURES="3")
    guesser = {"X-Forwarded-For": GUESSER}
    client = StaffClient(app)
    for number in range(3):
        assert client.login(f"guess{number}@example.org", "wrong password!!", headers=guesser).status == 401
    assert client.login(*ADMIN, headers=guesser).status == 429
    assert StaffClient(app).login(*ADMIN, headers={"X-Forwarded-For": "203.0.113.10"}).status == 303
