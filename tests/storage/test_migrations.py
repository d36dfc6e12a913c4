"""The schema comes only from the Alembic migrations, and they run both ways."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.storage.engine import create_engine_for
from bot.storage.migrate import current_revision, downgrade, upgrade
from bot.storage.schema import Base
from tests.storage.databases import HEAD_REVISION

TABLES = {"leads", "lead_courses", "consent_records", "status_changes", "notes", "audit_log"}


def differences(engine) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)


def test_upgrade_from_empty_matches_the_models_and_downgrade_removes_everything(database_url):
    """``database_url`` arrives migrated; go down to nothing and back up again."""
    engine = create_engine_for(database_url)
    try:
        assert current_revision(engine) == HEAD_REVISION
        assert TABLES <= set(inspect(engine).get_table_names())
        assert differences(engine) == []

        downgrade(engine, "base")
        assert current_revision(engine) is None
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}

        upgrade(engine)
        assert current_revision(engine) == HEAD_REVISION
        assert differences(engine) == []
    finally:
        engine.dispose()


def test_migrations_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'new' / 'folder' / 'leads.db'}"
    upgrade(url)  # also creates the folder: setting up is the one time that is wanted
    assert current_revision(url) == HEAD_REVISION
    upgrade(url)  # a second run is a no-op
    assert current_revision(url) == HEAD_REVISION
