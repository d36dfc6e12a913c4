"""Fixtures for the leads tests: the databases (tests/storage/databases.py), a clock and a repository."""

from __future__ import annotations

import pytest

from bot.leads.repository import LeadRepository
from bot.storage.engine import session_factory
from tests.leads.builders import FakeClock
from tests.storage.databases import database_url, engine, postgres_database, sqlite_url  # noqa: F401


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def repository(engine, clock) -> LeadRepository:  # noqa: F811 - the imported fixture
    return LeadRepository(session_factory(engine), clock=clock, link_days=30)
