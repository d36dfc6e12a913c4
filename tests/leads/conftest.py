"""Databases for the leads tests: a fresh SQLite file per test, and a throw-away PostgreSQL database.

PostgreSQL tests create their own database (``leads_test_<random>``) through the
``postgres`` maintenance database and drop it afterwards, so parallel runs never
meet. They skip with the reason when PostgreSQL is not reachable, and fail
instead when ``BOT_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from bot.leads.database import create_engine_for, session_factory, upgrade
from bot.leads.repository import LeadRepository
from bot.settings import Settings
from tests.leads.builders import FakeClock

POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
TABLES = ("audit_log", "notes", "status_changes", "consent_records", "lead_courses", "leads")


def postgres_unavailable(reason: str) -> None:
    if Settings.from_env().require_services:
        pytest.fail(f"BOT_REQUIRE_SERVICES is set but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """The URL of a migrated, empty PostgreSQL database that only this test run uses."""
    admin = create_engine(
        f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    name = f"leads_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure here means "no PostgreSQL to test against"
        admin.dispose()
        postgres_unavailable(f"PostgreSQL at {POSTGRES_SERVER} is not reachable ({type(error).__name__})")
    url = f"{POSTGRES_SERVER}/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
