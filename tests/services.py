"""The PostgreSQL and Redis on 127.0.0.1, as tests use them: a throw-away
database per run, and skip-or-fail when a service is missing (tests fail
instead of skipping when BOT_REQUIRE_SERVICES=1, as CI sets)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import pytest

from bench import postgres
from bot.settings import Settings


def service_unavailable(reason: str) -> NoReturn:
    if Settings.from_env().require_services:
        pytest.fail(f"BOT_REQUIRE_SERVICES is set but {reason}", pytrace=False)
    pytest.skip(reason)


@contextmanager
def throwaway_postgres_database(prefix: str) -> Iterator[str]:
    """The URL of a new, empty database only this run uses; dropped afterwards."""
    try:
        with postgres.throwaway_postgres_database(prefix) as url:
            yield url
    except postgres.PostgresUnavailable as error:
        service_unavailable(str(error))
