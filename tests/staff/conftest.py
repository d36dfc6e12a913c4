"""The staff tests' fixtures: tests/staff/fixtures.py, shared with tests/web/console and tests/security."""

from tests.staff.fixtures import *  # noqa: F403 - the shared back-office fixtures
