"""Shared fixtures: project paths, the domain, Rasa SDK tracker fixtures."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.settings import Settings
from bot.stack import Stack, latest_model, process_specs

ROOT = Path(__file__).resolve().parent.parent
TRACKERS = Path(__file__).resolve().parent / "data" / "trackers"
# The date the real action server reads the catalogue on: fixed, so sessions never expire under the tests.
STACK_TODAY = "2026-12-02"


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


# --- the real processes, started once per test session -----------------------


@pytest.fixture(scope="session")
def stack_settings(tmp_path_factory) -> Settings:
    var = tmp_path_factory.mktemp("e2e-var")
    return Settings.from_env(
        {
            "BOT_VAR_DIR": str(var),
            "RASA_URL": "http://127.0.0.1:15005",
            "ACTION_SERVER_URL": "http://127.0.0.1:15055",
            "GATEWAY_PORT": "18000",
            "BOT_TODAY": STACK_TODAY,
        }
    )


@pytest.fixture(scope="session")
def rasa_stack(stack_settings):
    model = latest_model(ROOT / "models")
    if model is None:
        pytest.fail("no trained model in models/: run `make train` (make test trains first)")
    from bot.leads.database import upgrade

    upgrade(stack_settings.database_url)
    base_env = dict(os.environ)
    base_env.pop("DATABASE_URL", None)
    base_env.pop("TRACKER_STORE_URL", None)
    base_env.pop("REDIS_URL", None)
    base_env.update(
        {
            "BOT_VAR_DIR": str(stack_settings.var_dir),
            "RASA_URL": stack_settings.rasa_url,
            "ACTION_SERVER_URL": stack_settings.action_server_url,
            "GATEWAY_PORT": str(stack_settings.gateway_port),
            "BOT_TODAY": STACK_TODAY,
        }
    )
    with Stack(process_specs(stack_settings, model, ("rasa", "actions")), stack_settings, base_env) as stack:
        yield stack
