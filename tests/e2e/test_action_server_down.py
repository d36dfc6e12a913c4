"""When the action server is down, Rasa still answers: kindly, not with silence."""

import pytest

pytestmark = pytest.mark.e2e


def test_visitor_gets_a_friendly_answer_while_actions_are_down(rasa_stack, visitor):
    rasa_stack.kill("Action server")
    try:
        messages = visitor.say("what skills does a practice manager need?")
        assert messages, "Rasa answered with silence"
        assert "can't look that up right now" in messages[0]["text"]
        # Answers that need no custom action still work.
        assert "difference" in visitor.text("what's the difference between HM and med admin?").lower()
    finally:
        rasa_stack.restart("Action server")
    assert "communication" in visitor.text("what skills does a practice manager need?").lower()
