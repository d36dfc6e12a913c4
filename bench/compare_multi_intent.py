"""Multi-part questions: Rasa's multi-intent labels against the action that splits a message.

    .venv/bin/python bench/compare_multi_intent.py --model models/british-academy.tar.gz \
        --multi-model /tmp/multi/models/multi.tar.gz [--questions bench/multi_intent/questions.yml]

Scores both designs on the same questions (bench/multi_intent/questions.yml):

- split (the design in use): the production model's intent, then
  ``bot.dialogue.context.topics_asked`` reads each clause for its topic, as
  ``action_answer_question`` does;
- multi-intent: a model trained with ``intent_tokenization_flag`` and
  ``intent_split_symbol: "+"`` and the examples in
  bench/multi_intent/examples.yml; its label (``ask_skills+ask_workplaces``)
  names the topics, which an action would answer in turn.

A question counts as answered in full when every topic it asks is answered,
in the order asked. How to train the multi-intent model: docs/conversation.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.dialogue.context import topics_asked  # noqa: E402
from bot.dialogue.knowledge import TOPICS  # noqa: E402

QUESTIONS = Path(__file__).resolve().parent / "multi_intent" / "questions.yml"


def split_topics(intent: str, text: str) -> list[str]:
    if intent.removeprefix("ask_") not in TOPICS:
        return []
    return topics_asked(intent, text)


def label_topics(intent: str) -> list[str]:
    return [part.removeprefix("ask_") for part in intent.split("+") if part.removeprefix("ask_") in TOPICS]


async def intents(model: Path, texts: list[str]) -> list[str]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [((await agent.parse_message(text)).get("intent") or {}).get("name") or "" for text in texts]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--multi-model", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    args = parser.parse_args()
    from rasa.utils.common import configure_logging_and_warnings

    configure_logging_and_warnings(logging.ERROR)
    for model in (args.model, args.multi_model):
        if not model.exists():
            print(f"error: no model at {model}", file=sys.stderr)
            return 2
    questions = yaml.safe_load(args.questions.read_text(encoding="utf-8"))["questions"]
    texts = [q["text"] for q in questions]
    single, multi = asyncio.run(intents(args.model, texts)), asyncio.run(intents(args.multi_model, texts))
    full = {"split": 0, "multi-intent": 0}
    for question, one, combined in zip(questions, single, multi, strict=True):
        split, labelled = split_topics(one, question["text"]), label_topics(combined)
        full["split"] += split == question["topics"]
        full["multi-intent"] += labelled == question["topics"]
        print(f"{question['text']}\n    asked {question['topics']}  split {split}  multi-intent {combined}")
    for design, count in full.items():
        print(f"{design:>13}: {count}/{len(questions)} answered in full")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
