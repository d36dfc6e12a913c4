"""The security suite reuses the console's fixtures: a migrated database, staff accounts, the gateway app."""

from __future__ import annotations

from tests.staff.fixtures import (  # noqa: F401 - fixtures
    ADMIN,
    NOW,
    STAFF,
    accounts,
    admin,
    anonymous,
    any_database_url,
    app,
    clock,
    conversations,
    leads,
    postgres_database,
    quick_password_hashing,
    sessions,
    settings,
    staff,
    tracker,
)
from tests.staff.fixtures import pytest_configure as _console_markers


def pytest_configure(config) -> None:
    _console_markers(config)
