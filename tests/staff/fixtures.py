"""Fixtures for the staff back office and its console (imported by the conftests of tests/staff,
tests/web/console and tests/security): a migrated database (SQLite, and PostgreSQL for the
service tests), Rasa's events table, staff accounts, the gateway app and signed-in clients.

PostgreSQL tests use a throw-away database each run and skip with the reason
when PostgreSQL is not reachable, or fail instead when BOT_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

# What the conftests of tests/staff, tests/web/console and tests/security take (one star import each).
__all__ = [
    "ADMIN",
    "NOW",
    "STAFF",
    "accounts",
    "admin",
    "anonymous",
    "any_database_url",
    "app",
    "clock",
    "conversations",
    "leads",
    "postgres_database",
    "pytest_configure",
    "quick_password_hashing",
    "sessions",
    "settings",
    "staff",
    "stores",
    "tracker",
]

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from argon2 import PasswordHasher, Type

from bot.leads.repository import LeadRepository
from bot.settings import Settings
from bot.staff.accounts import StaffAccounts
from bot.staff.audit import AuditLog
from bot.staff.conversations import ConversationStore
from bot.storage.engine import create_engine_for, session_factory
from bot.storage.migrate import upgrade
from bot.web.app import create_app
from tests.leads.builders import FakeClock
from tests.services import throwaway_postgres_database
from tests.staff.tracker_events import TrackerEvents
from tests.storage.databases import each_database
from tests.web.console.staff_client import StaffClient

ADMIN = ("admin@example.org", "admin password 123")
STAFF = ("sam@example.org", "staff password 456")
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=timezone.utc)


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "real_password_hashing: hash staff passwords at the production cost")


@pytest.fixture(autouse=True)
def quick_password_hashing(request, monkeypatch):
    """argon2id at its lowest cost, so sign-ins do not dominate the run; the production
    parameters are tested on their own (``@pytest.mark.real_password_hashing``)."""
    if request.node.get_closest_marker("real_password_hashing"):
        return
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    decoy = cheap.hash("decoy")
    monkeypatch.setattr("bot.staff.passwords._hasher", lambda: cheap)
    monkeypatch.setattr("bot.staff.passwords._decoy_hash", lambda: decoy)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """The URL of a migrated PostgreSQL database that only this test run uses."""
    with throwaway_postgres_database("console_test") as url:
        upgrade(url)
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def any_database_url(request, tmp_path) -> Iterator[str]:
    """A migrated, empty application database of each kind in turn (the tracker's events table lives there too)."""
    yield from each_database(request, tmp_path, "events")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def settings(tmp_path) -> Settings:
    """SQLite databases under tmp_path/var; nothing listens on the upstream ports."""
    return Settings.from_env(
        {
            "BOT_PROJECT_ROOT": str(tmp_path),
            "RASA_URL": "http://127.0.0.1:9",
            "ACTION_SERVER_URL": "http://127.0.0.1:9",
        }
    )


@pytest.fixture
def sessions(settings):
    upgrade(settings.database_url)
    engine = create_engine_for(settings.database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def leads(sessions, clock) -> LeadRepository:
    return LeadRepository(sessions, clock=clock, link_days=30)


@pytest.fixture
def tracker(settings) -> Iterator[TrackerEvents]:
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    events = TrackerEvents(settings.tracker_store_url)
    yield events
    events.close()


@pytest.fixture
def conversations(settings, clock) -> Iterator[ConversationStore]:
    store = ConversationStore(settings.tracker_store_url, clock)
    yield store
    store.close()


@pytest.fixture
def accounts(sessions, clock) -> StaffAccounts:
    staff = StaffAccounts(sessions, clock)
    staff.add(*ADMIN, role="admin")
    staff.add(*STAFF, role="staff")
    return staff


@pytest.fixture
def app(settings, sessions, accounts, clock):
    """The gateway with the console, on the test's clock."""
    app = create_app(settings)
    app.ctx.console.clock = clock
    return app


@pytest.fixture
def admin(app) -> StaffClient:
    client = StaffClient(app)
    assert client.login(*ADMIN).status == 303
    return client


@pytest.fixture
def staff(app) -> StaffClient:
    client = StaffClient(app)
    assert client.login(*STAFF).status == 303
    return client


@pytest.fixture
def anonymous(app) -> StaffClient:
    return StaffClient(app)


@pytest.fixture
def stores(any_database_url):
    """What the personal-data tests work on: (leads, conversations, audit log, tracker events, clock)."""
    engine = create_engine_for(any_database_url)
    clock = FakeClock(NOW)
    sessions = session_factory(engine)
    tracker = TrackerEvents(any_database_url)
    conversations = ConversationStore(any_database_url, clock)
    yield LeadRepository(sessions, clock=clock), conversations, AuditLog(sessions, clock), tracker, clock
    conversations.close()
    tracker.close()
    engine.dispose()
