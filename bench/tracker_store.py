"""What the tracker store costs per message: Rasa's SQL store against the caching one.

    .venv/bin/python bench/tracker_store.py [--messages 50] [--conversations 20] [--postgresql URL]

Each simulated message does what Rasa's message processor does with the store:
retrieve the conversation, add a turn (the visitor's message with its parse
data, a slot, the bot's answer, action_listen), save it. The figure is the
store's time per message, averaged over the conversations, at a few points of
the conversation's length. No model is loaded: only the store is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rasa.core.tracker_store import SQLTrackerStore  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402

from bot.runtime.tracker_cache import CachingSQLTrackerStore  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PARSE = {
    "intent": {"name": "ask_skills", "confidence": 0.91},
    "entities": [{"entity": "field", "value": "healthcare management", "start": 0, "end": 10}],
    "intent_ranking": [{"name": f"intent_{n}", "confidence": 0.01} for n in range(10)],
}


def add_turn(tracker: DialogueStateTracker, number: int) -> None:
    text = f"what skills do healthcare managers need, question {number}?"
    tracker.update(UserUttered(text, PARSE["intent"], PARSE["entities"], {**PARSE, "text": text}))
    tracker.update(ActionExecuted("action_answer_question"))
    tracker.update(SlotSet("current_topic", "skills"))
    tracker.update(BotUttered("Healthcare managers need leadership, planning and budgeting skills. " * 3))
    tracker.update(ActionExecuted("action_listen"))


async def one_conversation(store: SQLTrackerStore, domain: Domain, messages: int) -> list[float]:
    sender = f"bench-{uuid.uuid4().hex}"
    timings = []
    for number in range(messages):
        started = time.perf_counter()
        tracker = await store.retrieve(sender)
        if tracker is None:
            tracker = DialogueStateTracker.from_events(sender, [ActionExecuted("action_listen")], domain.slots)
        stored = time.perf_counter() - started
        add_turn(tracker, number)
        started = time.perf_counter()
        await store.save(tracker)
        timings.append((stored + time.perf_counter() - started) * 1000)
    return timings


async def measure(store: SQLTrackerStore, domain: Domain, messages: int, conversations: int) -> list[float]:
    per_position = [[] for _ in range(messages)]
    for _ in range(conversations):
        for position, ms in enumerate(await one_conversation(store, domain, messages)):
            per_position[position].append(ms)
    return [statistics.mean(values) for values in per_position]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--postgresql", help="also measure on this PostgreSQL URL's database")
    args = parser.parse_args()
    domain = Domain.load(str(ROOT / "domain.yml"))
    points = sorted({1, 10, 25, args.messages} & set(range(1, args.messages + 1)))
    stores = []
    with tempfile.TemporaryDirectory() as directory:
        kinds = (("Rasa's SQLTrackerStore", SQLTrackerStore), ("CachingSQLTrackerStore", CachingSQLTrackerStore))
        for name, kind in kinds:
            sqlite = kind(domain=domain, dialect="sqlite", db=f"{directory}/{kind.__name__}.db")
            stores.append((f"{name}, SQLite", sqlite))
            if args.postgresql:
                stores.append((f"{name}, PostgreSQL", kind(domain=domain, host=args.postgresql)))
        print(f"store time per message (ms), mean of {args.conversations} conversations")
        print("| store | " + " | ".join(f"message {p}" for p in points) + " | mean |")
        print("|---|" + "---|" * (len(points) + 1))
        for name, store in stores:
            means = asyncio.run(measure(store, domain, args.messages, args.conversations))
            cells = " | ".join(f"{means[p - 1]:.1f}" for p in points)
            print(f"| {name} | {cells} | {statistics.mean(means):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
