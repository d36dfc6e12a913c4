"""The console's view tests use the back-office fixtures of tests/staff/fixtures.py: a migrated database,
staff accounts, the gateway app and signed-in clients."""

from tests.staff.fixtures import (  # noqa: F401 - fixtures
    accounts,
    admin,
    anonymous,
    any_database_url,
    app,
    clock,
    conversations,
    leads,
    postgres_database,
    pytest_configure,  # noqa: F401 - the real_password_hashing marker
    quick_password_hashing,
    sessions,
    settings,
    staff,
    tracker,
)
