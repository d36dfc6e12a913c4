"""Databases for the leads tests: a fresh SQLite file per test, and a throw-away PostgreSQL database.

PostgreSQL tests create their own database (``leads_test_<random>``) through the
``postgres`` maintenance database and drop it afterwards, so parallel runs never
meet. They skip with the reason when PostgreSQL is not reachable, and fail
instead when ``BOT_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.leads.database import create_engine_for, session_factory, upgrade
from bot.leads.repository import LeadRepository
from tests.leads.builders import FakeClock
from tests.services import throwaway_postgres_database

TABLES = ("audit_log", "notes", "status_changes", "consent_records", "lead_courses", "leads")


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """The URL of a migrated PostgreSQL database that only this test run uses."""
    with throwaway_postgres_database("leads_test") as url:
        upgrade(url)
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'var' / 'leads.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def database_url(request, tmp_path) -> Iterator[str]:
    """A migrated, empty database of each kind in turn."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'var' / 'leads.db'}"
        upgrade(url)
        yield url
        return
    url = request.getfixturevalue("postgres_database")
    yield url
    engine = create_engine_for(url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def engine(database_url) -> Iterator[Engine]:
    engine = create_engine_for(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def repository(engine, clock) -> LeadRepository:
    return LeadRepository(session_factory(engine), clock=clock, link_days=30)
