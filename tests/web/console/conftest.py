"""The console's view tests use the back-office fixtures of tests/staff/fixtures.py: a migrated database,
staff accounts, the gateway app and signed-in clients."""

from tests.staff.fixtures import *  # noqa: F403 - the shared back-office fixtures
