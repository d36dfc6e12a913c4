"""Shared fixtures: project paths, the domain, Rasa SDK tracker fixtures."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.runtime.stack import Stack, latest_model, process_specs
from bot.settings import Settings
from tests.browser.gateway_process import free_ports

ROOT = Path(__file__).resolve().parent.parent
TRACKERS = Path(__file__).resolve().parent / "data" / "trackers"
# The date the real action server reads the catalogue on: fixed, so sessions never expire under the tests.
STACK_TODAY = "2026-12-02"
# The real stack takes live chats at any hour, so handoff tests do not depend on when they run (whether someone
# is available is then up to each test). tests/browser/test_handoff_out_of_hours.py starts a stack that is closed.
STACK_HANDOFF_HOURS = "always"


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


# --- how suites are split (make test-unit, make test-e2e) -------------------------

E2E_DIR = Path(__file__).resolve().parent / "e2e"
BROWSER_DIR = Path(__file__).resolve().parent / "browser"


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    """Every test in tests/e2e, and every test that uses the real stack, is an ``e2e`` test. Under
    pytest-xdist (``--dist loadgroup``) the tests that share one stack run on one worker: the real
    stack's (``rasa_stack``), the two-server cluster's (tests/e2e/test_cluster.py), and the other
    browser tests' (one Chromium, one gateway and one fake Rasa)."""
    for item in items:
        path = Path(str(item.path))
        if path.name == "test_cluster.py" and E2E_DIR in path.parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("cluster"))
        elif E2E_DIR in path.parents or "rasa_stack" in item.fixturenames:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("stack"))
        elif BROWSER_DIR in path.parents:
            item.add_marker(pytest.mark.xdist_group("browser"))


def pytest_terminal_summary(terminalreporter):
    """The figures that tests record (``record_property("figure", ...)``: the typed-enquiry corpus, the
    dialogues), at the end of the run: under pytest-xdist a worker's own output never reaches the terminal."""
    reports = [*terminalreporter.stats.get("passed", []), *terminalreporter.stats.get("failed", [])]
    properties = [prop for report in reports for prop in getattr(report, "user_properties", [])]
    figures = [value for name, value in properties if name == "figure"]
    if figures:
        terminalreporter.section("figures")
        for figure in figures:
            terminalreporter.write_line(figure)


# --- the real processes, started once per test session -----------------------


def stack_environment(var_dir: Path, **overrides: str) -> dict[str, str]:
    """A test stack's settings: its own var/ and free ports (two test runs on one machine, or `make run`
    beside them, never collide), the fixed catalogue date and office hours, then ``overrides``."""
    rasa_port, actions_port, gateway_port = free_ports(3)
    return {
        "BOT_VAR_DIR": str(var_dir),
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}",
        "GATEWAY_PORT": str(gateway_port),
        "BOT_TODAY": STACK_TODAY,
        "HANDOFF_HOURS": STACK_HANDOFF_HOURS,
        **overrides,
    }


@contextmanager
def running_stack(env: dict[str, str]) -> Iterator[Stack]:
    """The real Rasa server and action server on the newest model, with ``env`` over this process's
    environment (less the stores it may name: a test stack keeps its own under BOT_VAR_DIR)."""
    model = latest_model(ROOT / "models")
    if model is None:
        pytest.fail("no trained model in models/: run `make train` (make test trains first)")
    from bot.storage.migrate import upgrade

    settings = Settings.from_env(env)
    upgrade(settings.database_url)
    base_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TRACKER_STORE_URL", "REDIS_URL")}
    with Stack(process_specs(settings, model, ("rasa", "actions")), settings, {**base_env, **env}) as stack:
        yield stack


@pytest.fixture(scope="session")
def stack_env(tmp_path_factory) -> dict[str, str]:
    return stack_environment(tmp_path_factory.mktemp("e2e-var"))


@pytest.fixture(scope="session")
def stack_settings(stack_env) -> Settings:
    return Settings.from_env(stack_env)


@pytest.fixture(scope="session")
def rasa_stack(stack_env):
    with running_stack(stack_env) as stack:
        yield stack
