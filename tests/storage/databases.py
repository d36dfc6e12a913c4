"""Migrated test databases, shared by the storage and leads tests (their conftests import these fixtures).

A fresh SQLite file per test, and a throw-away PostgreSQL database per run:
PostgreSQL tests create their own database (``<prefix>_<random>``) through the
``postgres`` maintenance database and drop it afterwards, so parallel runs never
meet. They skip with the reason when PostgreSQL is not reachable, and fail
instead when ``BOT_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine

import bot.leads.models
import bot.staff.models  # noqa: F401 - every table on the metadata, for truncating and comparing
from bot.storage.engine import create_engine_for
from bot.storage.migrate import alembic_config, upgrade
from bot.storage.schema import Base
from tests.services import throwaway_postgres_database

# The newest migration: a freshly upgraded database is at this revision.
HEAD_REVISION = ScriptDirectory.from_config(alembic_config()).get_current_head()


def empty_tables(url: str, *also_drop: str) -> None:
    """Every application table emptied, and ``also_drop`` (tables of others, such as Rasa's events) dropped."""
    engine = create_engine_for(url)
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        for table in also_drop:
            connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """The URL of a migrated PostgreSQL database that only this test run uses."""
    with throwaway_postgres_database("storage_test") as url:
        upgrade(url)
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'var' / 'leads.db'}"


def each_database(request, tmp_path, *also_drop: str) -> Iterator[str]:
    """The body of a fixture with params sqlite and postgresql: a migrated, empty database of that kind.
    PostgreSQL is the run's ``postgres_database``, emptied before and after (``also_drop`` dropped)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'var' / 'leads.db'}"
        upgrade(url)
        yield url
        return
    url = request.getfixturevalue("postgres_database")
    empty_tables(url, *also_drop)
    yield url
    upgrade(url)  # a test may have stepped the schema down
    empty_tables(url, *also_drop)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def database_url(request, tmp_path) -> Iterator[str]:
    """A migrated, empty database of each kind in turn."""
    yield from each_database(request, tmp_path)


@pytest.fixture
def engine(database_url) -> Iterator[Engine]:
    engine = create_engine_for(database_url)
    yield engine
    engine.dispose()
