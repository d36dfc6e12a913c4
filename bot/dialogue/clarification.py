"""Rasa's two-stage fallback, in the widget's terms: when the two best readings
of a message are close, ask "Did you mean ...?" with a button for each.

Rasa's own ``action_two_stage_fallback`` offers one reading with a "Yes" /
"No" pair and the intent's raw name as its text; here both readings get a
button whose title is a readable phrase (``data/intent_titles.yml``) and whose
payload carries the message's entities, so a click answers the question the
visitor meant ("Skills needed" for medical administration stays about
medical administration).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

TITLES_FILE = Path(__file__).resolve().parents[2] / "data" / "intent_titles.yml"
FALLBACK_INTENT = "nlu_fallback"
# Two readings closer than this are both offered. Tuned with the FallbackClassifier's
# ambiguity_threshold on the clean hold-out (bench/tune_fallback.py, docs/conversation.md).
CLOSE_MARGIN = 0.05
# A reading below this is too weak to offer, however close the other one is.
MIN_READING = 0.1


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str


def load_titles(path: Path = TITLES_FILE) -> dict[str, str]:
    """Intent -> button title; a clear error naming the file when it is malformed."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ValueError(f"{path}: cannot read the intent titles: {error}") from error
    titles = document.get("intent_titles") if isinstance(document, dict) else None
    if not isinstance(titles, dict) or not titles:
        raise ValueError(f"{path}: expected a non-empty mapping under 'intent_titles'")
    bad = sorted(str(k) for k, v in titles.items() if not isinstance(v, str) or not v.strip())
    if bad:
        raise ValueError(f"{path}: intent_titles without a text: {', '.join(bad)}")
    return {str(k): v.strip() for k, v in titles.items()}


def close_readings(
    ranking: Iterable[Mapping], offerable: Iterable[str], margin: float = CLOSE_MARGIN, floor: float = MIN_READING
) -> list[str]:
    """The two best intents when they are within ``margin`` of each other and both can be offered."""
    readings = [
        (str(r.get("name")), float(r.get("confidence") or 0.0))
        for r in ranking
        if r.get("name") and r.get("name") != FALLBACK_INTENT
    ]
    readings.sort(key=lambda reading: -reading[1])
    if len(readings) < 2:
        return []
    (first, top), (second, runner_up) = readings[:2]
    allowed = set(offerable)
    if first not in allowed or second not in allowed or runner_up < floor or top - runner_up >= margin:
        return []
    return [first, second]


def payload(intent: str, entities: Iterable[Mapping]) -> str:
    """``/intent{"entity": "value"}`` with the first value of each entity the message named."""
    values: dict[str, str] = {}
    for entity in entities:
        kind, value = entity.get("entity"), entity.get("value")
        if isinstance(kind, str) and isinstance(value, str) and value.strip():
            values.setdefault(kind, value.strip())
    return f"/{intent}{json.dumps(values, ensure_ascii=False)}" if values else f"/{intent}"


def did_you_mean(
    ranking: Iterable[Mapping], entities: Iterable[Mapping], titles: Mapping[str, str], margin: float = CLOSE_MARGIN
) -> list[Choice]:
    """One button per close reading, best first; empty when the readings are not close."""
    entities = list(entities)
    return [Choice(titles[name], payload(name, entities)) for name in close_readings(ranking, titles, margin)]
