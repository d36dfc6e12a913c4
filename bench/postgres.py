"""A throw-away PostgreSQL database on the server at 127.0.0.1, for tests and benchmarks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server to create a database on."""


@contextmanager
def throwaway_postgres_database(prefix: str, server: str = POSTGRES_SERVER) -> Iterator[str]:
    """The URL of a new, empty database only this run uses; dropped afterwards."""
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure here means "no PostgreSQL to use"
        admin.dispose()
        raise PostgresUnavailable(f"PostgreSQL at {server} is not reachable ({type(error).__name__})") from None
    try:
        yield f"{server}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
