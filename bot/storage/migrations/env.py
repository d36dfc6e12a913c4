"""Alembic environment for the application database.

Normally run through ``bot.storage.migrate.upgrade``, which hands over an open
connection. Run by the ``alembic`` command itself (for ``revision
--autogenerate``), it connects to ``Settings.from_env().database_url`` and
compares with the tables of the modules named by ``model_modules`` in
alembic.ini (the packages above storage declare them; storage does not import them).
"""

from __future__ import annotations

from importlib import import_module

from alembic import context

from bot.storage.schema import Base

config = context.config
for module in (config.get_main_option("model_modules") or "").split():
    import_module(module)
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
    from bot.settings import Settings
    from bot.storage.engine import create_engine_for

    engine = create_engine_for(Settings.from_env().database_url)
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run python -m bot db upgrade")
run_migrations_online()
