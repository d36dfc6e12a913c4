"""Starts the real Rasa server and action server once for the e2e tests, on
ports of their own and with a throwaway tracker store."""

from __future__ import annotations

import json
import os
import urllib.request
import uuid
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.stack import Stack, latest_model, process_specs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def stack_settings(tmp_path_factory) -> Settings:
    var = tmp_path_factory.mktemp("e2e-var")
    return Settings.from_env(
        {
            "BOT_VAR_DIR": str(var),
            "RASA_URL": "http://127.0.0.1:15005",
            "ACTION_SERVER_URL": "http://127.0.0.1:15055",
            "GATEWAY_PORT": "18000",
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
        }
    )
    with Stack(process_specs(stack_settings, model, ("rasa", "actions")), stack_settings, base_env) as stack:
        yield stack


class Visitor:
    """One conversation with the REST channel."""

    def __init__(self, rasa_url: str):
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.sender = f"e2e-{uuid.uuid4().hex}"

    def say(self, text: str) -> list[dict]:
        body = json.dumps({"sender": self.sender, "message": text}).encode()
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def text(self, text: str) -> str:
        return " ".join(m.get("text", "") for m in self.say(text))

    def buttons(self, text: str) -> list[dict]:
        return [b for m in self.say(text) for b in m.get("buttons", [])]


@pytest.fixture
def visitor(rasa_stack, stack_settings) -> Visitor:
    return Visitor(stack_settings.rasa_url)
