"""The gateway's in-memory building blocks: token buckets and the replay cache."""

from __future__ import annotations

import asyncio

from bot.web.rate_limits import TokenBuckets
from bot.web.replay_cache import ReplayCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_asks_to_wait():
    clock = Clock()
    buckets = TokenBuckets(rate_per_minute=6, burst=3, clock=clock)
    assert [buckets.take("ip") for _ in range(3)] == [0, 0, 0]
    assert buckets.take("ip") == 10  # one token every 10 s
    clock.now += 4
    assert buckets.take("ip") == 6
    clock.now += 6
    assert buckets.take("ip") == 0
    assert buckets.take("another ip") == 0


def test_idle_buckets_are_forgotten_when_there_are_too_many():
    clock = Clock()
    buckets = TokenBuckets(rate_per_minute=60, burst=2, max_keys=10, clock=clock)
    for n in range(10):
        buckets.take(n)
    clock.now += 60
    buckets.take("new")
    assert len(buckets._buckets) <= 10


async def test_concurrent_duplicates_share_one_answer():
    cache: ReplayCache[str] = ReplayCache(window_seconds=60)
    calls = 0

    async def produce() -> str:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        return "answer"

    results = await asyncio.gather(*(cache.once(("c", "m"), produce, keep=lambda _: True) for _ in range(5)))
    assert results == ["answer"] * 5
    assert calls == 1
    assert cache.get(("c", "m")) == "answer"


async def test_answers_expire_and_failures_are_not_kept():
    clock = Clock()
    cache: ReplayCache[str] = ReplayCache(window_seconds=60, clock=clock)

    async def ok() -> str:
        return "ok"

    async def failure() -> str:
        return "failure"

    await cache.once(("c", "1"), ok, keep=lambda reply: reply == "ok")
    await cache.once(("c", "2"), failure, keep=lambda reply: reply == "ok")
    assert cache.get(("c", "1")) == "ok"
    assert cache.get(("c", "2")) is None
    clock.now += 61
    assert cache.get(("c", "1")) is None


async def test_a_cancelled_caller_does_not_cancel_the_turn():
    cache: ReplayCache[str] = ReplayCache(window_seconds=60)
    release = asyncio.Event()

    async def produce() -> str:
        await release.wait()
        return "answer"

    first = asyncio.ensure_future(cache.once(("c", "m"), produce, keep=lambda _: True))
    await asyncio.sleep(0)
    first.cancel()
    retry = asyncio.ensure_future(cache.once(("c", "m"), produce, keep=lambda _: True))
    await asyncio.sleep(0)
    release.set()
    assert await retry == "answer"
