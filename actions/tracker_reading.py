"""Small readers of the Rasa SDK tracker shared by the actions."""

from __future__ import annotations

from rasa_sdk import Tracker


def latest_entities(tracker: Tracker) -> list[dict]:
    return list((tracker.latest_message or {}).get("entities") or [])


def latest_intent(tracker: Tracker) -> str:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def entity_value(tracker: Tracker, kind: str) -> str | None:
    for entity in latest_entities(tracker):
        value = entity.get("value")
        if entity.get("entity") == kind and isinstance(value, str) and value.strip():
            return value.strip()
    return None


def remember(tracker: Tracker, slot: str, codes: list[str], limit: int = 10) -> list[str]:
    """The slot's list of course codes with ``codes`` added, newest last, no repeats."""
    current = [c for c in (tracker.get_slot(slot) or []) if isinstance(c, str) and c not in codes]
    return (current + codes)[-limit:]


def recent_visitor_messages(tracker: Tracker, limit: int, intents: tuple[str, ...]) -> list[tuple[str, list[dict]]]:
    """The latest message and, of the ``limit`` before it in this session, those classified as one of
    ``intents``; newest first, with their entities."""
    found: list[tuple[str, list[dict]]] = []
    seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "session_started" or seen > limit:
            break
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        if seen == 0 or (parse.get("intent") or {}).get("name") in intents:
            found.append((event.get("text") or "", list(parse.get("entities") or [])))
        seen += 1
    return found
