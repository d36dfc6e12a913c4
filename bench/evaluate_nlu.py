"""Evaluate the trained model's intent classification on a held-out NLU set.

    .venv/bin/python bench/evaluate_nlu.py --model models/british-academy.tar.gz \
        --data tests/nlu_holdout.yml [tests/nlu_fresh.yml ...] [--min-accuracy 0.92]

For each set (the model is loaded once), prints the number of examples, intent accuracy, macro F1 (the mean of the
per-intent F1; each FAQ and out-of-scope question is an intent of its own),
the confusions and every miss; exits 1 when a set's accuracy is under
--min-accuracy.
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


def load_agent(model: Path):
    from rasa.core.agent import Agent

    return Agent.load(str(model))


async def predict(agent, examples: list[tuple[str, str]]) -> list[Prediction]:
    predictions = []
    for text, expected in examples:
        parse = await agent.parse_message(text)
        confidence = float((parse.get("intent") or {}).get("confidence") or 0.0)
        predictions.append(Prediction(text, expected, predicted_intent(parse), confidence))
    return predictions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True, nargs="+")
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
    missing = [str(path) for path in args.data if not path.exists()]
    if missing:
        print(f"error: no test set at {', '.join(missing)}", file=sys.stderr)
        return 2
    agent = load_agent(args.model)
    failed = []
    for path in args.data:
        report = score(asyncio.run(predict(agent, load_examples(path))))
        print(f"=== {path}\n{format_report(report)}")
        if args.min_accuracy is None:
            continue
        if report.accuracy < args.min_accuracy:
            message = f"FAIL: {path}: intent accuracy {report.accuracy:.3f} is under {args.min_accuracy}"
            print(f"\n{message}\n", file=sys.stderr)
            failed.append(path)
        else:
            print(f"\nOK: {path}: intent accuracy {report.accuracy:.3f} >= {args.min_accuracy}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
