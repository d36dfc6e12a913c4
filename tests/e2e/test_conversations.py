"""Multi-turn conversations (issue 13, item 7), played end-to-end through the REST channel.

Each dialogue in tests/e2e/conversations.yml is typed by a fresh sender and
judged on its last reply (tests/e2e/conversation_player.py). The set passes
at 90% or better; the figure is printed in `make test`'s output.
"""

from __future__ import annotations

import pytest

from tests.e2e.conversation_player import MIN_PASS_RATE, load, run

pytestmark = pytest.mark.e2e

SHOWN_FAILURES = 15


def test_conversation_set_is_large_and_multi_turn():
    dialogues = load()
    assert len(dialogues) >= 100
    assert all(2 <= len(d.turns) <= 4 for d in dialogues), [d.id for d in dialogues if not 2 <= len(d.turns) <= 4]
    assert all(d.require or d.require_any for d in dialogues), "every dialogue requires something of its last reply"


def test_conversations_pass_at_ninety_percent(rasa_stack, stack_settings, capsys, record_property):
    report = run(stack_settings.rasa_url)
    record_property("figure", f"{report.summary()} [{report.by_kind()}]")  # printed at the end (tests/conftest.py)
    with capsys.disabled():
        print(f"\n{report.summary()} [{report.by_kind()}]")
    assert report.rate >= MIN_PASS_RATE, f"{report.summary()}\n{report.details(SHOWN_FAILURES)}"
