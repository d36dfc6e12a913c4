"""The security suite reuses the console's fixtures: a migrated database, staff accounts, the gateway app."""

from __future__ import annotations

from tests.staff.fixtures import *  # noqa: F403 - the shared back-office fixtures
