"""When the database cannot be reached the caller gets DatabaseUnavailable, and a retry works later."""

from __future__ import annotations

import pytest

from bot.leads.repository import LeadRepository
from bot.storage.engine import create_engine_for, session_factory
from bot.storage.migrate import upgrade
from bot.storage.transactions import DatabaseUnavailable
from tests.leads.builders import submission


def repository_on(url: str) -> LeadRepository:
    return LeadRepository(session_factory(create_engine_for(url)))


def test_sqlite_in_a_missing_folder_is_unavailable_then_a_retry_succeeds(tmp_path):
    url = f"sqlite:///{tmp_path / 'not-there' / 'leads.db'}"
    repository = repository_on(url)
    with pytest.raises(DatabaseUnavailable) as failure:
        repository.submit(submission())
    assert "priya" not in str(failure.value).lower()
    with pytest.raises(DatabaseUnavailable):
        repository.list_leads()

    upgrade(url)  # the database is back
    assert repository.submit(submission()).created is True
    assert repository.submit(submission()).created is False


def test_postgresql_on_a_closed_port_is_unavailable():
    repository = repository_on("postgresql://postgres@127.0.0.1:1/test?connect_timeout=3")
    with pytest.raises(DatabaseUnavailable, match="database unavailable"):
        repository.submit(submission())
    with pytest.raises(DatabaseUnavailable):
        repository.ping()


def test_a_database_without_the_schema_is_unavailable(database_url):
    from bot.storage.migrate import downgrade

    downgrade(database_url, "base")
    try:
        with pytest.raises(DatabaseUnavailable):
            repository_on(database_url).submit(submission())
    finally:
        upgrade(database_url)
