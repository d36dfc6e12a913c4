"""Spreading calls over several equal servers, and stepping round a dead one.

The gateway uses it for its Rasa servers, and each Rasa server for its action
servers (bot/runtime/rasa_runtime.py). Every server can serve every call (state lives
in PostgreSQL and Redis), so the order is plain round-robin; a server that
refused or dropped a connection goes to the back of the line for a few
seconds instead of being tried first again.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence


class Rotation:
    def __init__(self, urls: Sequence[str], rest_seconds: float = 5.0, clock: Callable[[], float] = time.monotonic):
        if not urls:
            raise ValueError("a rotation needs at least one server")
        self.urls = tuple(urls)
        self.rest_seconds = rest_seconds
        self._clock = clock
        self._turns = itertools.count()
        self._resting_until: dict[str, float] = {}

    def order(self) -> list[str]:
        """Every server once, the next one in turn first; resting servers last (still tried)."""
        start = next(self._turns) % len(self.urls)
        turn = self.urls[start:] + self.urls[:start]
        now = self._clock()
        awake = [url for url in turn if self._resting_until.get(url, 0.0) <= now]
        return awake + [url for url in turn if url not in awake]

    def failed(self, url: str) -> None:
        self._resting_until[url] = self._clock() + self.rest_seconds

    def succeeded(self, url: str) -> None:
        self._resting_until.pop(url, None)

    def resting(self) -> list[str]:
        now = self._clock()
        return [url for url in self.urls if self._resting_until.get(url, 0.0) > now]
