"""A migrated SQLite application database with two members of staff, and a handoff store on it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from argon2 import PasswordHasher, Type

from bot.handoff.store import HandoffStore
from bot.staff.models import StaffUser
from bot.storage.engine import create_engine_for, session_factory
from bot.storage.migrate import upgrade

NOW = datetime(2026, 12, 2, 11, 0, tzinfo=timezone.utc)  # a Wednesday, 11:00 in London


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch):
    """argon2id at its lowest cost: sign-ins are not what these tests are about."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    decoy = cheap.hash("decoy")
    monkeypatch.setattr("bot.staff.passwords._hasher", lambda: cheap)
    monkeypatch.setattr("bot.staff.passwords._decoy_hash", lambda: decoy)


@pytest.fixture
def sessions(tmp_path):
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    upgrade(url)
    engine = create_engine_for(url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def staff_ids(sessions) -> dict[str, int]:
    with sessions() as session:
        users = [
            StaffUser(email=email, password_hash="x", role="staff", active=True, created_at=NOW)
            for email in ("sam@example.org", "kim@example.org")
        ]
        session.add_all(users)
        session.commit()
        return {user.email: user.id for user in users}


@pytest.fixture
def store(sessions) -> HandoffStore:
    return HandoffStore(sessions, clock=lambda: NOW)
