"""A visitor talking to the real Rasa server through the REST channel (the
stack itself is started once per session by tests/conftest.py)."""

from __future__ import annotations

import json
import urllib.request
import uuid

import pytest


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
