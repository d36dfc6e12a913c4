"""Fixtures for the action tests: a catalogue with a fixed date, test settings, a
lead repository on SQLite in tmp_path, and recorded trackers with the visitor's
latest message swapped for the one a test needs.

Every action reads its collaborators through ``actions.dependencies``; the
autouse fixtures replace them, so no test reads the environment, the real
``var/leads.db`` or today's date.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import date, datetime, timezone
from typing import Any

import pytest
from rasa_sdk import Tracker

from actions import dependencies
from bot.courses.store import CatalogueStore
from bot.leads.repository import LeadRepository
from bot.settings import Settings
from bot.staff.back_office import BackOffice
from bot.storage.migrate import upgrade
from tests.conftest import ROOT, TRACKERS

TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 18, 5, tzinfo=timezone.utc)
ADMISSIONS_EMAIL = "admissions@britishacademy.example"
PRIVACY_URL = "https://www.example.org/privacy"


@pytest.fixture(scope="session")
def store() -> CatalogueStore:
    return CatalogueStore(ROOT / "data" / "courses.yml", clock=lambda: TODAY)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        project_root=ROOT,
        var_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'leads.db'}",
        privacy_notice_version="2026-11",
        privacy_notice_url=PRIVACY_URL,
        lead_retention_days=730,
        admissions_email=ADMISSIONS_EMAIL,
    )


@pytest.fixture(autouse=True)
def test_dependencies(monkeypatch, store, settings) -> None:
    def no_repository() -> LeadRepository:
        raise AssertionError("this test uses the lead repository: request the `repository` fixture")

    monkeypatch.setattr(dependencies, "catalogue", lambda: store)
    monkeypatch.setattr(dependencies, "settings", lambda: settings)
    monkeypatch.setattr(dependencies, "lead_repository", no_repository)


@pytest.fixture
def repository(monkeypatch, settings) -> Iterator[LeadRepository]:
    """A real LeadRepository on a migrated SQLite database in tmp_path."""
    upgrade(settings.database_url)
    office = BackOffice.from_settings(settings, clock=lambda: NOW)
    repository = office.leads()
    monkeypatch.setattr(dependencies, "lead_repository", lambda: repository)
    yield repository
    office.close()


def conversation(
    name: str,
    text: str | None = None,
    *,
    intent: str | None = None,
    confidence: float = 0.95,
    entities: list[dict] | None = None,
    slots: dict[str, Any] | None = None,
) -> Tracker:
    """The recorded tracker ``name``, optionally with a different latest message.

    In a form (the recording ends with the slot the form extracted from the
    visitor's answer, as Rasa sends it to a validation action), ``text``
    replaces that answer too. ``slots`` overrides slot values; setting
    ``requested_slot`` there makes the answer fill that slot instead.
    """
    state = copy.deepcopy(json.loads((TRACKERS / f"{name}.json").read_text()))
    state["slots"].update(slots or {})
    events = state["events"]
    if text is not None or intent is not None or entities is not None:
        message = state["latest_message"]
        message["text"] = message["text"] if text is None else text
        message["intent"] = {"name": intent, "confidence": confidence} if intent else message["intent"]
        message["entities"] = message["entities"] if entities is None else entities
        last_user = next(e for e in reversed(events) if e["event"] == "user")
        last_user["text"], last_user["parse_data"] = message["text"], copy.deepcopy(message)
    answered = events[-1] if events[-1]["event"] == "slot" else None
    if answered is not None:
        requested = state["slots"].get("requested_slot") or answered["name"]
        answered["name"] = requested
        if text is not None:
            answered["value"] = text
        state["slots"][requested] = answered["value"]
    return Tracker(
        sender_id=state["sender_id"],
        slots=state["slots"],
        latest_message=state["latest_message"],
        events=events,
        paused=False,
        followup_action=None,
        active_loop=state.get("active_loop", {}),
        latest_action_name=state.get("latest_action_name"),
    )


def texts(dispatcher) -> list[str | None]:
    return [message["text"] for message in dispatcher.messages]


def responses(dispatcher) -> list[str | None]:
    return [message["response"] for message in dispatcher.messages]
