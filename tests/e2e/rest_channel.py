"""Talking to Rasa's REST channel as a visitor: one function per conversation that posts a message."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable

Send = Callable[[str], list[dict]]


def rest_sender(rasa_url: str, sender: str, timeout: float = 90) -> Send:
    """Posts each text to ``/webhooks/rest/webhook`` as ``sender`` and returns the bot's messages."""
    url = f"{rasa_url}/webhooks/rest/webhook"

    def send(text: str) -> list[dict]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    return send
