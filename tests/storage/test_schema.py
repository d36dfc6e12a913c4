"""``UTCDateTime`` and the one ``Base``: timestamps go in aware and come out aware in UTC, on every database."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic.config import Config
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from bot.leads.models import AuditEntry
from bot.storage.engine import session_factory
from bot.storage.migrate import MIGRATIONS_DIR
from bot.storage.schema import Base, utc_now
from bot.storage.transactions import transaction

PARIS = timezone(timedelta(hours=1))


def test_an_aware_timestamp_comes_back_aware_in_utc(engine):
    sessions = session_factory(engine)
    written = datetime(2026, 11, 2, 10, 30, tzinfo=PARIS)
    with transaction(sessions, write=True) as session:
        session.add(AuditEntry(at=written, actor="test", action="test", subject="lead:1", detail=""))
    with transaction(sessions) as session:
        read = session.execute(select(AuditEntry.at)).scalar_one()
    assert read == written and read.tzinfo == timezone.utc and read.hour == 9


def test_a_naive_timestamp_is_refused(engine):
    naive = datetime(2026, 11, 2, 9, 30)
    with pytest.raises(StatementError, match="timezone-aware"):
        with transaction(session_factory(engine), write=True) as session:
            session.add(AuditEntry(at=naive, actor="test", action="test", subject="lead:1", detail=""))


def test_utc_now_is_aware_and_in_utc():
    assert utc_now().tzinfo == timezone.utc


def test_the_alembic_command_compares_with_every_module_that_declares_a_table():
    """``alembic revision --autogenerate`` imports ``model_modules`` (alembic.ini): it must name them all."""
    named = Config(str(MIGRATIONS_DIR / "alembic.ini")).get_main_option("model_modules").split()
    declaring = {mapper.class_.__module__ for mapper in Base.registry.mappers}
    assert set(named) == declaring
