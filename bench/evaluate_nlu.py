"""Evaluate the trained model's intent classification on a held-out NLU set.

    .venv/bin/python bench/evaluate_nlu.py --model models/british-academy.tar.gz \
        --data tests/nlu_holdout.yml [--min-accuracy 0.92]

Prints the number of examples, intent accuracy, macro F1 (the mean of the
per-intent F1; each FAQ and out-of-scope question is an intent of its own),
the confusions and every miss; exits 1 when accuracy is under --min-accuracy.
The figures mean something only while the set shares no example with the
training data: `bench/check_leaks.py` checks that.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.nlp.evaluation import Prediction, format_report, predicted_intent, score  # noqa: E402


def load_examples(path: Path) -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    examples = []
    for message in data.intent_examples:
        expected = message.get_full_intent()
        examples.append((message.get("text"), expected))
    return examples


async def predict(model: Path, examples: list[tuple[str, str]]) -> list[Prediction]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    predictions = []
    for text, expected in examples:
        parse = await agent.parse_message(text)
        confidence = float((parse.get("intent") or {}).get("confidence") or 0.0)
        predictions.append(Prediction(text, expected, predicted_intent(parse), confidence))
    return predictions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--min-accuracy", type=float, default=None)
    args = parser.parse_args()
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    from bot.runtime.rasa_runtime import quiet_dependency_warnings

    configure_logging_and_warnings(logging.ERROR)
    configure_structlog(logging.ERROR)  # else Rasa's structured log prints a debug line per example
    quiet_dependency_warnings()  # after Rasa's own filters, which would show them once
    if not args.model.exists():
        print(f"error: no model at {args.model}; run `make train`", file=sys.stderr)
        return 2
    examples = load_examples(args.data)
    report = score(asyncio.run(predict(args.model, examples)))
    print(format_report(report))
    if args.min_accuracy is not None and report.accuracy < args.min_accuracy:
        print(f"\nFAIL: intent accuracy {report.accuracy:.3f} is under {args.min_accuracy}", file=sys.stderr)
        return 1
    if args.min_accuracy is not None:
        print(f"\nOK: intent accuracy {report.accuracy:.3f} >= {args.min_accuracy}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
