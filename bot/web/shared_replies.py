"""The replay cache shared by several gateways, in Redis.

Behind a load balancer, the widget's retry of a message (same conversation,
same client_message_id) may reach another gateway than the first attempt.
With REDIS_URL set, the first gateway to see a message marks it as pending
in Redis and stores the reply there when it has one; any other gateway waits
for that reply instead of sending the message to Rasa a second time.

Redis is a helper here, never a dependency: when it cannot be reached, the
message goes to Rasa as it would without it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

PENDING = b"pending"
POLL_SECONDS = 0.1


class SharedReplies:
    def __init__(
        self,
        client: Any,  # redis.asyncio.Redis
        window_seconds: int,
        pending_seconds: float,
        prefix: str = "britishacademy:replay:",
    ):
        self.client = client
        self.window = window_seconds
        self.pending_seconds = pending_seconds
        self.prefix = prefix

    def _key(self, key: tuple[str, str]) -> str:
        return self.prefix + hashlib.sha256("\x00".join(key).encode()).hexdigest()

    async def once(
        self,
        key: tuple[str, str],
        produce: Callable[[], Awaitable[Any]],
        keep: Callable[[Any], bool],
        encode: Callable[[Any], dict],
        decode: Callable[[dict], Any],
    ) -> Any:
        """The reply another gateway gave (or is about to give) for ``key``, else ``produce()``'s."""
        redis_key = self._key(key)
        try:
            earlier = await self._claim_or_wait(redis_key)
        except Exception as error:  # noqa: BLE001 - Redis down or slow: answer without it
            log.warning("replay cache in Redis unavailable (%s); answering without it", type(error).__name__)
            return await produce()
        if earlier is not None:
            return decode(earlier)
        reply = await produce()
        try:
            if keep(reply) and self.window > 0:
                await self.client.set(redis_key, json.dumps(encode(reply)), ex=self.window)
            else:
                await self.client.delete(redis_key)  # a failure is not replayed: the retry tries again
        except Exception as error:  # noqa: BLE001
            log.warning("could not keep the reply in Redis (%s)", type(error).__name__)
        return reply

    async def _claim_or_wait(self, redis_key: str) -> dict | None:
        """None once this gateway has claimed the message; the earlier reply if another one answered."""
        deadline = time.monotonic() + self.pending_seconds
        while True:
            if await self.client.set(redis_key, PENDING, nx=True, ex=max(1, round(self.pending_seconds))):
                return None
            value = await self.client.get(redis_key)
            if value is not None and value != PENDING:
                return json.loads(value)
            if time.monotonic() > deadline:
                return None  # the gateway that claimed it is gone: answer it here
            await asyncio.sleep(POLL_SECONDS)
