"""The storage tests' databases (tests/storage/databases.py, shared with tests/leads)."""

from tests.storage.databases import database_url, engine, postgres_database, sqlite_url  # noqa: F401
