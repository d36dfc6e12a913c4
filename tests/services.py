"""The PostgreSQL and Redis on 127.0.0.1, as tests use them: a throw-away
database per run, and skip-or-fail when a service is missing (tests fail
instead of skipping when BOT_REQUIRE_SERVICES=1, as CI sets)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import pytest
import redis

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


@contextmanager
def reachable_redis(url: str) -> Iterator[redis.Redis]:
    """A client of the Redis at ``url``; skip-or-fail when it does not answer."""
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        try:
            client.ping()
        except redis.RedisError as error:
            service_unavailable(f"Redis at {url} is not reachable ({type(error).__name__})")
        yield client
    finally:
        client.close()
