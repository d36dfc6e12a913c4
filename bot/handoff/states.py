"""The handoff's states and the moves between them.

waiting (a visitor asked; nobody has answered yet) -> live (a member of staff
replied) -> closed (handed back to the bot). Staff may hand back a waiting
conversation too. The widget hears "bot" for closed: the assistant answers again.
"""

from __future__ import annotations

WAITING = "waiting"
LIVE = "live"
CLOSED = "closed"
OPEN_STATES = (WAITING, LIVE)

REPLY = "reply"
HAND_BACK = "hand_back"
MOVES = {
    (WAITING, REPLY): LIVE,
    (LIVE, REPLY): LIVE,
    (WAITING, HAND_BACK): CLOSED,
    (LIVE, HAND_BACK): CLOSED,
}


class HandoffClosed(ValueError):
    """The conversation is no longer with staff (handed back already, possibly by someone else)."""


def next_state(state: str, move: str) -> str:
    """The state after ``move``, or HandoffClosed when the move is not possible from ``state``."""
    try:
        return MOVES[(state, move)]
    except KeyError:
        raise HandoffClosed(f"a {state} conversation cannot take {move!r}") from None


def widget_state(state: str) -> str:
    """What the widget is told: "waiting", "live", or "bot" once the assistant has the conversation back."""
    return state if state in OPEN_STATES else "bot"
