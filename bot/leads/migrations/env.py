"""Alembic environment for the leads database.

Normally run through ``bot.leads.database.upgrade``, which hands over an open
connection. Run by the ``alembic`` command itself (for ``revision
--autogenerate``), it connects to ``Settings.from_env().database_url``.
"""

from __future__ import annotations

from alembic import context

import bot.staff.models  # noqa: F401 - staff tables share the metadata the migrations are compared with
from bot.leads.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from bot.leads.database import create_engine_for
    from bot.settings import Settings

    engine = create_engine_for(Settings.from_env().database_url)
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run python -m bot db upgrade")
run_migrations_online()
