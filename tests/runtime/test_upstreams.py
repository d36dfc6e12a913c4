"""bot.runtime.upstreams.Rotation: round-robin over equal servers, resting a failed one."""

from __future__ import annotations

import pytest

from bot.runtime.upstreams import Rotation


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_each_call_starts_with_the_next_server():
    rotation = Rotation(["a", "b", "c"])

    assert [rotation.order() for _ in range(4)] == [
        ["a", "b", "c"],
        ["b", "c", "a"],
        ["c", "a", "b"],
        ["a", "b", "c"],
    ]


def test_a_failed_server_goes_last_until_it_has_rested():
    clock = Clock()
    rotation = Rotation(["a", "b"], rest_seconds=5, clock=clock)
    rotation.failed("a")

    assert rotation.order() == ["b", "a"]
    assert rotation.order() == ["b", "a"]  # even on a's turn
    assert rotation.resting() == ["a"]
    clock.now += 5.1
    assert rotation.resting() == []
    assert rotation.order() == ["a", "b"]


def test_success_ends_the_rest_at_once():
    rotation = Rotation(["a", "b"], rest_seconds=60, clock=Clock())
    rotation.failed("a")
    rotation.succeeded("a")

    assert rotation.resting() == []


def test_all_resting_are_still_all_tried():
    rotation = Rotation(["a", "b"], rest_seconds=60, clock=Clock())
    rotation.failed("a")
    rotation.failed("b")

    assert sorted(rotation.order()) == ["a", "b"]


def test_a_rotation_needs_a_server():
    with pytest.raises(ValueError, match="at least one"):
        Rotation([])
