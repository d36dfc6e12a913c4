"""The one transaction helper: commit, roll back, data errors pass through, an unreachable database is
``DatabaseUnavailable`` with no personal data in its message."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.leads.models import AuditEntry
from bot.staff.models import StaffUser
from bot.storage.engine import create_engine_for, session_factory
from bot.storage.transactions import DatabaseUnavailable, transaction

AT = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)


def entry(subject: str = "lead:1") -> AuditEntry:
    return AuditEntry(at=AT, actor="test", action="test", subject=subject, detail="")


def count(sessions) -> int:
    with transaction(sessions) as session:
        return session.execute(select(func.count(AuditEntry.id))).scalar_one()


def test_a_block_that_ends_normally_is_committed(engine):
    sessions = session_factory(engine)
    with transaction(sessions, write=True) as session:
        session.add(entry())
    assert count(sessions) == 1


def test_a_block_that_raises_is_rolled_back(engine):
    sessions = session_factory(engine)
    with pytest.raises(RuntimeError), transaction(sessions, write=True) as session:
        session.add(entry())
        session.flush()
        raise RuntimeError("changed my mind")
    assert count(sessions) == 0


def test_an_error_about_the_data_passes_through_for_the_caller(engine):
    sessions = session_factory(engine)
    user = {"email": "sam@example.org", "password_hash": "x", "created_at": AT}
    with transaction(sessions, write=True) as session:
        session.add(StaffUser(**user))
    with pytest.raises(IntegrityError), transaction(sessions, write=True) as session:
        session.add(StaffUser(**user))


def test_an_unreachable_database_is_unavailable_and_its_message_masks_personal_data(tmp_path):
    engine = create_engine_for(f"sqlite:///{tmp_path / 'no' / 'folder' / 'priya@example.org.db'}")
    try:
        with pytest.raises(DatabaseUnavailable, match="^database unavailable: ") as failure:
            with transaction(session_factory(engine), write=True) as session:
                session.add(entry())
        assert "priya@example.org" not in str(failure.value)
    finally:
        engine.dispose()


def test_postgresql_on_a_closed_port_is_unavailable():
    engine = create_engine_for("postgresql://postgres@127.0.0.1:1/test?connect_timeout=3")
    try:
        with pytest.raises(DatabaseUnavailable), transaction(session_factory(engine)) as session:
            session.execute(select(1))
    finally:
        engine.dispose()
