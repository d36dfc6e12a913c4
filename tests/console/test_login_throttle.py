"""Back-off and temporary lock after failed sign-ins, per account and per client IP."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.leads.database import create_engine_for, session_factory
from bot.settings import Settings
from bot.staff.login_throttle import LoginThrottle, backoff_seconds
from bot.web.app import create_app
from tests.console.conftest import ADMIN, NOW, STAFF
from tests.console.staff_client import StaffClient
from tests.leads.builders import FakeClock


def test_backoff_grows_from_the_second_failure_and_is_capped():
    assert [backoff_seconds(n) for n in range(0, 9)] == [0, 0, 1, 2, 4, 8, 16, 30, 30]


@pytest.fixture
def throttle(any_database_url):
    engine = create_engine_for(any_database_url)
    clock = FakeClock(NOW)
    yield LoginThrottle(session_factory(engine), clock, max_failures=5, ip_max_failures=8, lock=timedelta(minutes=15))
    engine.dispose()


def fail(throttle: LoginThrottle, email: str = "sam@example.org", ip: str = "198.51.100.1") -> int:
    throttle.record(email, ip, succeeded=False)
    return throttle.wait_seconds(email, ip)


def test_account_lock_after_five_failures_then_free_again(throttle):
    clock = throttle._clock
    waits = [fail(throttle)]
    for _ in range(4):
        clock.advance(seconds=waits[-1])
        waits.append(fail(throttle))
    assert waits[:4] == [0, 1, 2, 4]
    assert waits[4] == 15 * 60  # locked
    clock.advance(minutes=14)
    assert throttle.wait_seconds("sam@example.org", "198.51.100.1") == 60
    clock.advance(minutes=1)
    assert throttle.wait_seconds("sam@example.org", "198.51.100.1") == 0


def test_the_lock_follows_the_account_from_any_address(throttle):
    for number in range(5):
        fail(throttle, ip=f"198.51.100.{number}")
        throttle._clock.advance(seconds=30)
    assert throttle.wait_seconds("SAM@example.org ", "192.0.2.77") > 0
    assert throttle.wait_seconds("other@example.org", "192.0.2.77") == 0


def test_a_success_clears_the_account_count(throttle):
    fail(throttle)
    fail(throttle)
    throttle._clock.advance(seconds=5)
    throttle.record("sam@example.org", "198.51.100.1", succeeded=True)
    assert throttle.wait_seconds("sam@example.org", "198.51.100.1") == 0
    assert fail(throttle) == 0  # the first failure after a success


def test_one_address_guessing_many_accounts_is_locked(throttle):
    for number in range(8):
        fail(throttle, email=f"user{number}@example.org")
    assert throttle.wait_seconds("new@example.org", "198.51.100.1") == 15 * 60
    assert throttle.wait_seconds("new@example.org", "198.51.100.2") == 0


# --- through the sign-in form ---------------------------------------------------


def test_sign_in_backs_off_then_locks_and_refuses_even_the_right_password(anonymous, clock):
    statuses, wait = [], 0
    for _ in range(5):
        clock.advance(seconds=wait)  # wait out the back-off
        response = anonymous.login(STAFF[0], "wrong password!!")
        statuses.append(response.status)
        wait = int(response.headers.get("retry-after", "0"))
    assert statuses == [401] * 5
    assert "try again in 15 minutes" in response.text
    assert response.headers["retry-after"] == str(15 * 60)

    locked = anonymous.login(*STAFF)
    assert locked.status == 429
    assert "Too many failed sign-ins" in locked.text
    assert "ba_staff_session" not in anonymous.cookies

    clock.advance(minutes=15)
    assert anonymous.login(*STAFF).status == 303


def test_trying_again_before_the_backoff_has_passed_is_refused_unchecked(anonymous, clock):
    anonymous.login(STAFF[0], "wrong password!!")
    second = anonymous.login(STAFF[0], "wrong password!!")
    assert second.status == 401 and second.headers["retry-after"] == "1"
    early = anonymous.login(*STAFF)
    assert early.status == 429 and "Please wait 1 second" in early.text
    clock.advance(seconds=1)
    assert anonymous.login(*STAFF).status == 303


def test_the_lock_is_per_account(anonymous, clock):
    wait = 0
    for _ in range(5):
        clock.advance(seconds=wait)
        wait = int(anonymous.login(STAFF[0], "wrong password!!").headers.get("retry-after", "0"))
    assert anonymous.login(*STAFF).status == 429
    assert StaffClient(anonymous.app).login(*ADMIN).status == 303


def test_per_ip_lock_behind_a_trusted_proxy(tmp_path, sessions, accounts, clock):
    settings = Settings.from_env(
        {"BOT_PROJECT_ROOT": str(tmp_path), "GATEWAY_PROXIES_COUNT": "1", "LOGIN_IP_MAX_FAILURES": "3"}
    )
    app = create_app(settings)
    app.ctx.console.clock = clock
    guesser = {"X-Forwarded-For": "203.0.113.66"}
    client = StaffClient(app)
    for number in range(3):
        assert client.login(f"guess{number}@example.org", "wrong password!!", headers=guesser).status == 401
    assert client.login(*ADMIN, headers=guesser).status == 429
    assert StaffClient(app).login(*ADMIN, headers={"X-Forwarded-For": "203.0.113.10"}).status == 303
