"""Tune the FallbackClassifier and the "Did you mean ...?" margin on a held-out NLU set.

    .venv/bin/python bench/tune_fallback.py --model models/british-academy.tar.gz \
        --data tests/nlu_holdout.yml

Parses every example once and replays the fallback decision for each threshold
and ambiguity margin from the raw ranking: a message is answered (right or
wrong) when its best reading reaches the threshold and beats the second by the
margin; otherwise it gets "Did you mean ...?" when its two best readings are
within the margin and both can be offered (data/intent_titles.yml), counted as
helpful when one of the two buttons is the right intent, and the request to
rephrase in every other case. Answers from the conversation context are not
simulated (a single question has none).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.dialogue.clarification import FALLBACK_INTENT, MIN_READING, load_titles  # noqa: E402

THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
MARGINS = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2)


def outcome(expected: str, readings: list[tuple[str, float]], threshold: float, margin: float, offerable) -> str:
    (first, top), (second, runner_up) = readings[0], readings[1] if len(readings) > 1 else ("", 0.0)
    if top >= threshold and top - runner_up >= margin:
        return "right" if first == expected else "wrong"
    if top - runner_up < margin and runner_up >= MIN_READING and first in offerable and second in offerable:
        return "asked, helpful" if expected in (first, second) else "asked, neither"
    return "rephrase"


async def rankings(model: Path, data: Path) -> list[tuple[str, list[tuple[str, float]]]]:
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(str(model))
    found = []
    for message in load_data(str(data)).intent_examples:
        parse = await agent.parse_message(message.get("text"))
        readings = [
            (r["name"], float(r.get("confidence") or 0.0))
            for r in parse.get("intent_ranking") or []
            if r.get("name") != FALLBACK_INTENT
        ]
        found.append((message.get_full_intent(), sorted(readings, key=lambda r: -r[1]) or [("", 0.0)]))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    from rasa.utils.common import configure_logging_and_warnings

    configure_logging_and_warnings(logging.ERROR)
    if not args.model.exists():
        print(f"error: no model at {args.model}; run `make train`", file=sys.stderr)
        return 2
    offerable = set(load_titles())
    parsed = asyncio.run(rankings(args.model, args.data))
    kinds = ("right", "wrong", "asked, helpful", "asked, neither", "rephrase")
    print(f"{len(parsed)} examples\nthreshold margin  " + "  ".join(f"{k:>14}" for k in kinds))
    for threshold in THRESHOLDS:
        for margin in MARGINS:
            counts = dict.fromkeys(kinds, 0)
            for expected, readings in parsed:
                counts[outcome(expected, readings, threshold, margin, offerable)] += 1
            print(f"{threshold:>9} {margin:>6}  " + "  ".join(f"{counts[k]:>14}" for k in kinds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
