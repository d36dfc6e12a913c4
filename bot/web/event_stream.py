"""Server-sent events, as the widget's handoff stream and the staff inbox send them."""

from __future__ import annotations

import json
import time
from typing import Any

# Proxies close a connection that has been silent for about half a minute; a comment line keeps it open.
KEEP_ALIVE_SECONDS = 15


def sse_event(event: str | None, data: dict[str, Any] | None = None, event_id: int | None = None) -> str:
    """One event in the text/event-stream format (id, event name, one JSON data line)."""
    lines = []
    if event_id is not None:
        lines.append(f"id: {event_id}")
    if event:
        lines.append(f"event: {event}")
    if data is not None:
        lines.append("data: " + json.dumps(data, ensure_ascii=False))
    return "\n".join(lines) + "\n\n"


class EventStream:
    """An open event-stream response that remembers when it last sent something."""

    def __init__(self, response: Any) -> None:
        self._response = response
        self._last_sent = time.monotonic()

    async def send(self, text: str) -> None:
        await self._response.send(text)
        self._last_sent = time.monotonic()

    async def keep_alive(self) -> None:
        """A comment line, when nothing else has been sent for KEEP_ALIVE_SECONDS."""
        if time.monotonic() - self._last_sent >= KEEP_ALIVE_SECONDS:
            await self.send(": keep-alive\n\n")
