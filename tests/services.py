"""The PostgreSQL and Redis on 127.0.0.1, as tests use them: a throw-away
database per run, and skip-or-fail when a service is missing (tests fail
instead of skipping when BOT_REQUIRE_SERVICES=1, as CI sets)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import pytest
from sqlalchemy import create_engine, text

from bot.settings import Settings

POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"


def service_unavailable(reason: str) -> NoReturn:
    if Settings.from_env().require_services:
        pytest.fail(f"BOT_REQUIRE_SERVICES is set but {reason}", pytrace=False)
    pytest.skip(reason)


@contextmanager
def throwaway_postgres_database(prefix: str) -> Iterator[str]:
    """The URL of a new, empty database only this run uses; dropped afterwards."""
    admin = create_engine(
        f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure here means "no PostgreSQL to test against"
        admin.dispose()
        service_unavailable(f"PostgreSQL at {POSTGRES_SERVER} is not reachable ({type(error).__name__})")
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
