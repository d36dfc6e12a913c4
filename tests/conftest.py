"""Shared fixtures: project paths, the domain, Rasa SDK tracker fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parent.parent
TRACKERS = Path(__file__).resolve().parent / "data" / "trackers"


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The domain as the action server receives it: domain.yml plus responses."""
    merged = yaml.safe_load((ROOT / "domain.yml").read_text())
    responses = yaml.safe_load((ROOT / "data" / "responses.yml").read_text())["responses"]
    merged.setdefault("responses", {}).update(responses)
    return merged


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def load_tracker(name: str) -> Tracker:
    """A tracker recorded as JSON in tests/data/trackers/ (Rasa's tracker dump format)."""
    state = json.loads((TRACKERS / f"{name}.json").read_text())
    return Tracker(
        sender_id=state["sender_id"],
        slots=state.get("slots", {}),
        latest_message=state["latest_message"],
        events=state["events"],
        paused=False,
        followup_action=None,
        active_loop=state.get("active_loop", {}),
        latest_action_name=state.get("latest_action_name"),
    )
