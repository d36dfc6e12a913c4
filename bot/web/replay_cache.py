"""Replies remembered by (conversation, client_message_id), so a retried message
reaches Rasa once.

The widget retries a message after a network failure with the same
client_message_id. Whether the first attempt got through or is still in
flight, the retry receives the same reply instead of a second Rasa turn.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Reply = TypeVar("Reply")


class ReplayCache(Generic[Reply]):
    def __init__(self, window_seconds: float, max_entries: int = 20_000, clock: Callable[[], float] = time.monotonic):
        self.window = window_seconds
        self.max_entries = max_entries
        self._clock = clock
        self._done: dict[tuple[str, str], tuple[float, Reply]] = {}
        self._in_flight: dict[tuple[str, str], asyncio.Future] = {}

    def get(self, key: tuple[str, str]) -> Reply | None:
        entry = self._done.get(key)
        if entry is None:
            return None
        stored_at, reply = entry
        if self._clock() - stored_at > self.window:
            del self._done[key]
            return None
        return reply

    async def once(
        self,
        key: tuple[str, str],
        produce: Callable[[], Awaitable[Reply]],
        keep: Callable[[Reply], bool],
    ) -> Reply:
        """The remembered reply for ``key``, or ``produce()``'s, run at most once at a time.

        ``keep`` decides whether a reply is remembered for later retries (a
        failure is not: the retry should get a real answer).
        """
        remembered = self.get(key)
        if remembered is not None:
            return remembered
        pending = self._in_flight.get(key)
        if pending is None:
            # A task of its own: a client that disconnects must not cancel the Rasa turn
            # its retry is about to wait for.
            pending = asyncio.ensure_future(produce())
            self._in_flight[key] = pending
            pending.add_done_callback(lambda done: self._settle(key, done, keep))
        return await asyncio.shield(pending)

    def _settle(self, key: tuple[str, str], done: asyncio.Future, keep: Callable[[Reply], bool]) -> None:
        self._in_flight.pop(key, None)
        if done.cancelled() or done.exception() is not None:
            return
        reply = done.result()
        if keep(reply) and self.window > 0:
            self._remember(key, reply)

    def _remember(self, key: tuple[str, str], reply: Reply) -> None:
        now = self._clock()
        if len(self._done) >= self.max_entries:
            for old_key, (stored_at, _) in list(self._done.items()):
                if now - stored_at > self.window:
                    del self._done[old_key]
            while len(self._done) >= self.max_entries:
                del self._done[next(iter(self._done))]  # dicts keep insertion order: oldest first
        self._done[key] = (now, reply)
