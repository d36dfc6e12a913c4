"""Running the Alembic migrations in ``migrations/`` from code (``python -m bot db upgrade``, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from bot.storage.engine import create_engine_for

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """Alembic configuration built in code: migrations are found next to this file, whatever the CWD."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine_or_url: Engine | str, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (``alembic upgrade head``)."""
    _run_migration(engine_or_url, lambda config: command.upgrade(config, revision))


def downgrade(engine_or_url: Engine | str, revision: str) -> None:
    """Step the schema back to ``revision`` (``"base"`` drops every table)."""
    _run_migration(engine_or_url, lambda config: command.downgrade(config, revision))


def current_revision(engine_or_url: Engine | str) -> str | None:
    engine, owned = _engine(engine_or_url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        if owned:
            engine.dispose()


def _run_migration(engine_or_url: Engine | str, run) -> None:
    engine, owned = _engine(engine_or_url)
    _ensure_sqlite_directory(engine)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            run(config)
    finally:
        if owned:
            engine.dispose()


def _engine(engine_or_url: Engine | str) -> tuple[Engine, bool]:
    if isinstance(engine_or_url, Engine):
        return engine_or_url, False
    return create_engine_for(engine_or_url), True


def _ensure_sqlite_directory(engine: Engine) -> None:
    """Setting up the database is the one moment its directory may be created."""
    database = engine.url.database
    if engine.url.get_backend_name() == "sqlite" and database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
