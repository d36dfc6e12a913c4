"""In-memory token buckets for the chat endpoint (per client IP, per conversation).

Each gateway process keeps its own buckets: with N processes behind a load
balancer a client may get up to N times the configured rate.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable


class TokenBuckets:
    """One bucket per key: ``burst`` tokens, refilled at ``rate_per_minute``."""

    def __init__(
        self,
        rate_per_minute: float,
        burst: int,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.rate = rate_per_minute / 60.0
        self.burst = float(burst)
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: dict[Hashable, tuple[float, float]] = {}

    def take(self, key: Hashable) -> int:
        """Spend one token. Returns 0 when allowed, else the whole seconds to wait (Retry-After)."""
        now = self._clock()
        tokens, last = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > self.max_keys:
                self._forget_idle(now)
            return 0
        self._buckets[key] = (tokens, now)
        return max(1, math.ceil((1.0 - tokens) / self.rate))

    def _forget_idle(self, now: float) -> None:
        # A bucket that has refilled completely is the same as no bucket at all.
        full_after = self.burst / self.rate
        for key, (_, last) in list(self._buckets.items()):
            if now - last >= full_after:
                del self._buckets[key]
        if len(self._buckets) > self.max_keys:
            # Still too many (a flood of distinct keys): drop the oldest half.
            by_age = sorted(self._buckets, key=lambda k: self._buckets[k][1])
            for key in by_age[: len(by_age) // 2]:
                del self._buckets[key]
