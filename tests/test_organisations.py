"""bot.organisations: what an organisation says about the team it wants trained."""

from __future__ import annotations

import pytest

from bot.organisations import Team, describe_team, read_team


@pytest.mark.parametrize(
    ("text", "team"),
    [
        ("Can you train our team of 20 at our clinic?", Team(20, "clinic")),
        ("a group of around 30 from my hospital", Team(30, "hospital")),
        ("about 15 nurses", Team(15, None)),
        ("12 of our staff need billing training", Team(12, None)),
        ("in-house training at the care home", Team(None, "care home")),
        ("training for our Practices", Team(None, "practice")),
        ("a team of 0", Team(None, None)),
        ("a team of 20000", Team(None, None)),  # more than anyone trains at once
        ("we have 3 sites", Team(None, None)),
        ("", Team(None, None)),
    ],
)
def test_read_team(text, team):
    assert read_team(text) == team


@pytest.mark.parametrize(
    ("size", "kind", "text"),
    [
        (20, "clinic", "For a team of 20 at your clinic, we can run the training on your premises. "),
        (20, None, "For a team of 20, we can run the training at your workplace. "),
        (None, "hospital", "We can run the training at your hospital. "),
        (None, None, ""),
    ],
)
def test_describe_team(size, kind, text):
    assert describe_team(size, kind) == text
