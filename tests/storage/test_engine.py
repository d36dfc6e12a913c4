"""Engines: SQLite's pragmas, and write transactions that take the lock at the start."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.storage.engine import WRITE_TRANSACTION, create_engine_for, session_factory
from bot.storage.migrate import upgrade


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(sqlite_url):
    upgrade(sqlite_url)
    engine = create_engine_for(sqlite_url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 30_000
    finally:
        engine.dispose()


def test_a_write_transaction_holds_sqlite_s_write_lock_from_its_first_statement(sqlite_url):
    upgrade(sqlite_url)
    engine = create_engine_for(sqlite_url)
    other = create_engine_for(sqlite_url)
    try:
        with session_factory(engine)() as session:
            session.connection(execution_options=WRITE_TRANSACTION)
            with other.connect() as connection:
                # A second writer cannot begin (busy at once, with the timeout lowered for the test).
                connection.exec_driver_sql("PRAGMA busy_timeout=0")
                with pytest.raises(Exception, match="locked"):
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
            session.rollback()
    finally:
        other.dispose()
        engine.dispose()


def test_an_unknown_sqlite_transaction_mode_is_refused(sqlite_url):
    upgrade(sqlite_url)
    engine = create_engine_for(sqlite_url)
    try:
        with pytest.raises(ValueError, match="unknown SQLite transaction mode"):
            with engine.connect().execution_options(sqlite_begin="SOMETIMES") as connection:
                connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()
