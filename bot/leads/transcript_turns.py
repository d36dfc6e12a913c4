"""How a stored transcript turn reads to staff: who said it, and what the visitor saw.

A button click reaches Rasa as its payload (``/choose_course{"course":"MA-208"}``);
the transcript keeps the button's title instead when it is known (see
``bot.dialogue.enquiry_lead.transcript``), and a payload kept by an older lead
is shown in words ("Choose course: MA-208"). A member of staff who answered a
visitor during a live handoff is named.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

STAFF_NAME_MAX = 80
_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z0-9_]+)(?P<entities>\{.*\})?", re.DOTALL)


def button_title(payload: str, buttons: Sequence[Mapping[str, Any]] | None) -> str | None:
    """The title of the button in ``buttons`` that sends ``payload``."""
    for button in buttons or ():
        if isinstance(button, Mapping) and button.get("payload") == payload and button.get("title"):
            return str(button["title"])
    return None


def readable_payload(text: str) -> str:
    """``/choose_course{"course":"MA-208"}`` -> ``Choose course: MA-208``; other text as it is."""
    match = _PAYLOAD.fullmatch(text.strip())
    if not match:
        return text
    words = match.group("intent").replace("_", " ").strip().capitalize()
    values: list[str] = []
    if match.group("entities"):
        try:
            entities = json.loads(match.group("entities"))
        except ValueError:
            entities = None
        if isinstance(entities, Mapping):
            values = [str(value) for value in entities.values() if value not in (None, "")]
        else:
            return text
    return f"{words}: {', '.join(values)}" if values else words


def turn_text(turn: Mapping[str, Any]) -> str:
    text = str(turn.get("text") or "")
    return readable_payload(text) if turn.get("sender") == "visitor" else text


def turn_speaker(turn: Mapping[str, Any]) -> str:
    if turn.get("sender") == "visitor":
        return "Visitor"
    staff = turn.get("staff")
    return f"{staff} (admissions)" if staff else "Assistant"
