"""Multi-turn conversations (issue 13, item 7), played end-to-end through the REST channel.

Each dialogue is typed by a fresh sender and judged on its last reply
(tests/e2e/conversation_player.py). Two sets: tests/e2e/conversations.yml,
the one the conversation work was built against, and
tests/e2e/conversations_fresh.yml, written afterwards without seeing it or
the training data and never used to tune anything. Each passes at 90% or
better; the figures are printed in `make test`'s output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conversation_player import MIN_PASS_RATE, load, run

pytestmark = pytest.mark.e2e

SHOWN_FAILURES = 15
FRESH = Path(__file__).resolve().parent / "conversations_fresh.yml"


def test_conversation_set_is_large_and_multi_turn():
    dialogues = load()
    assert len(dialogues) >= 100
    assert all(2 <= len(d.turns) <= 4 for d in dialogues), [d.id for d in dialogues if not 2 <= len(d.turns) <= 4]
    assert all(d.require or d.require_any for d in dialogues), "every dialogue requires something of its last reply"


def test_fresh_set_is_multi_turn_and_shares_no_id():
    fresh = load(FRESH)
    assert len(fresh) >= 50
    assert all(2 <= len(d.turns) <= 4 for d in fresh)
    assert all(d.require or d.require_any for d in fresh)
    assert not {d.id for d in fresh} & {d.id for d in load()}


@pytest.mark.parametrize("path", [None, FRESH], ids=["built-against", "fresh"])
def test_conversations_pass_at_ninety_percent(path, rasa_stack, stack_settings, capsys, record_property):
    label = "" if path is None else "fresh "
    report = run(stack_settings.rasa_url, None if path is None else load(path))
    figure = f"{label}{report.summary()} [{report.by_kind()}]"
    record_property("figure", figure)  # printed at the end (tests/conftest.py)
    with capsys.disabled():
        print(f"\n{figure}")
    assert report.rate >= MIN_PASS_RATE, f"{figure}\n{report.details(SHOWN_FAILURES)}"
