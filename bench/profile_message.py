"""Where Rasa's time and memory go per message, measured in-process.

    .venv/bin/python bench/profile_message.py --model models/british-academy.tar.gz \
        --actions-url http://127.0.0.1:5055 [--conversations 24] [--concurrency 1] \
        [--tracker-store memory|sqlite] [--visit-length 10] [--rasa-action-validation] \
        [--pyinstrument out.html|out.txt] [--json out.json]

Loads the model the way ``rasa run`` does (``rasa.core.agent.load_agent`` with
an action endpoint and an in-memory or SQLite tracker store), warms up with one
conversation of each kind, then sends realistic visits of 10 messages: FAQ
questions from tests/nlu_holdout.yml, course searches, the guided-advice quiz
and a complete enquiry (the action server must be running, e.g.
``SANIC_HOST=127.0.0.1 BOT_VAR_DIR=/tmp/x python -m rasa_sdk --actions actions --port 5055``;
the enquiry flow stores a lead in that server's database).

Prints per-message median / p95 / max latency and CPU time, the time split by
stage (NLU graph, policy graph, action-server HTTP, action execution inside
Rasa, tracker store, the rest of the processor), latency by position in the
conversation, and resident memory (VmRSS, peak VmHWM) after loading and after
warm-up. With ``--concurrency N`` N conversations run at once (latency then
includes waiting for the event loop, and the stage split is not measured).
TensorFlow's thread pools follow TF_INTRA_OP_PARALLELISM_THREADS and
TF_INTER_OP_PARALLELISM_THREADS, as with the ``rasa`` command.
Action-server replies are checked as the project's Rasa server checks them
(bot.runtime.rasa_runtime: one prebuilt jsonschema validator);
``--rasa-action-validation`` measures Rasa's own per-call ``jsonschema.validate``
instead.
Compare figures taken in the same run of a quiet machine; CPU ms per message is
the figure least disturbed by other work on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import itertools
import json
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WARM_UP_QUESTION = "what is healthcare management?"

COURSE_SEARCH = [
    "hello",
    "do you have courses in London",
    "any leadership courses in Paris in february?",
    "tell me more about HM-103",
    "who's that one meant for?",
    "what courses do you run in Madrid?",
    "do you have any courses on medical billing?",
    "anything online in March",
    "what's your cheapest leadership course",
    "thanks, that's what i needed",
]
ENQUIRY = [
    "tell me more about MA-201",
    "I'd like to enrol on this course",
    "yes, I agree",
    "Priya Shah",
    "not-an-email",
    "priya.shah@example.org",
    "skip",
    "London",
    "skip",
    "yes, send it",
]
GUIDED_ADVICE = [
    "hi there",
    "i can't decide, could you ask me a few questions to narrow it down?",
    "smooth day-to-day operations",
    "some",
    "admin",
    "what is healthcare management?",
    "can someone from admissions call me?",
    "no, not at the moment",
    "thanks",
    "bye",
]
# Of every eight visits: five FAQ visits, one of each scripted flow.
VISIT_PATTERN = ["faq", "faq", "courses", "faq", "enquiry", "faq", "guided", "faq"]

STAGES = {
    "nlu": "NLU graph (spaCy, featurizers, DIET, response selectors)",
    "policies": "policy graph (rule, memoization, TED)",
    "action_http": "action server round trips (HTTP)",
    "actions": "action execution inside Rasa (responses, forms, slot extraction)",
    "tracker_store": "tracker store (retrieve, save)",
    "other": "rest of the processor (tracker updates and copies, session, lock)",
}


# --- measuring ----------------------------------------------------------------


def memory_mib() -> dict[str, float]:
    """VmRSS and VmHWM (peak resident memory) of this process, in MiB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(value.split()[0]) / 1024
    return values


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class StageTimer:
    """Exclusive wall time per stage for one message at a time.

    Entering a stage pauses the enclosing one, so the stages of a message add
    up to its whole latency; time outside every wrapped call counts as "other".
    Only meaningful when messages are handled one at a time.
    """

    def __init__(self) -> None:
        self.enabled = False
        self._stack: list[str] = []
        self._mark = 0.0
        self.current: dict[str, float] = defaultdict(float)

    def begin(self) -> None:
        self.current = defaultdict(float)
        self._stack = ["other"]
        self._mark = time.perf_counter()

    def end(self) -> dict[str, float]:
        self._switch()
        self._stack = []
        return dict(self.current)

    def _switch(self) -> None:
        now = time.perf_counter()
        self.current[self._stack[-1]] += now - self._mark
        self._mark = now

    def enter(self, stage: str) -> bool:
        if not (self.enabled and self._stack):
            return False
        self._switch()
        self._stack.append(stage)
        return True

    def leave(self) -> None:
        self._switch()
        self._stack.pop()

    def wrap(self, owner: Any, name: str, stage: str) -> None:
        """Replace ``owner.name`` (a class or instance attribute) by a timed version."""
        original: Callable = getattr(owner, name)
        if asyncio.iscoroutinefunction(original):

            @functools.wraps(original)
            async def timed(*args: Any, **kwargs: Any) -> Any:
                entered = self.enter(stage)
                try:
                    return await original(*args, **kwargs)
                finally:
                    if entered:
                        self.leave()

        else:

            @functools.wraps(original)
            def timed(*args: Any, **kwargs: Any) -> Any:
                entered = self.enter(stage)
                try:
                    return original(*args, **kwargs)
                finally:
                    if entered:
                        self.leave()

        setattr(owner, name, timed)


def _subclasses(cls: type) -> set[type]:
    found = {cls}
    for sub in cls.__subclasses__():
        found |= _subclasses(sub)
    return found


def instrument(agent: Any, timer: StageTimer) -> None:
    import rasa.core.actions.forms  # noqa: F401  (defines the form and loop actions, subclasses of Action)
    from rasa.core.actions.action import Action
    from rasa.core.processor import MessageProcessor
    from rasa.utils.endpoints import EndpointConfig

    timer.wrap(MessageProcessor, "_parse_message_with_graph", "nlu")
    timer.wrap(MessageProcessor, "_predict_next_with_tracker", "policies")
    for action_class in _subclasses(Action):
        if "run" in vars(action_class):
            timer.wrap(action_class, "run", "actions")
    timer.wrap(EndpointConfig, "request", "action_http")
    store = agent.processor.tracker_store
    for name in ("get_or_create_tracker", "retrieve", "retrieve_full_tracker", "save"):
        timer.wrap(store, name, "tracker_store")


# --- the visits -----------------------------------------------------------------


def holdout_texts() -> list[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    return [m.get("text") for m in load_data(str(ROOT / "tests" / "nlu_holdout.yml")).intent_examples]


def visits(count: int, visit_length: int) -> list[tuple[str, list[str]]]:
    """``count`` visits in a fixed mix; FAQ visits take ``visit_length`` held-out questions each."""
    faq = itertools.cycle(holdout_texts())
    scripted = {"courses": COURSE_SEARCH, "enquiry": ENQUIRY, "guided": GUIDED_ADVICE}
    result = []
    for kind in itertools.islice(itertools.cycle(VISIT_PATTERN), count):
        texts = [next(faq) for _ in range(visit_length)] if kind == "faq" else scripted[kind]
        result.append((kind, texts))
    return result


async def run_visit(agent: Any, texts: list[str], timer: StageTimer, records: list[dict]) -> None:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    sender = f"profile-{uuid.uuid4().hex}"
    for position, text in enumerate(texts, start=1):
        message = UserMessage(text, CollectingOutputChannel(), sender)
        if timer.enabled:
            timer.begin()
        started = time.perf_counter()
        replies = await agent.handle_message(message)
        wall = time.perf_counter() - started
        stages = timer.end() if timer.enabled else {}
        records.append({"position": position, "ms": wall * 1000, "stages": stages, "replies": len(replies or [])})


async def run_visits(agent: Any, plan: list[tuple[str, list[str]]], concurrency: int, timer: StageTimer) -> list[dict]:
    records: list[dict] = []
    gate = asyncio.Semaphore(concurrency)

    async def one(texts: list[str]) -> None:
        async with gate:
            await run_visit(agent, texts, timer, records)

    await asyncio.gather(*(one(texts) for _, texts in plan))
    return records


# --- reporting -------------------------------------------------------------------


def summarise(records: list[dict], concurrency: int) -> dict[str, Any]:
    latencies = [r["ms"] for r in records]
    summary: dict[str, Any] = {
        "messages": len(records),
        "median_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 0.95),
        "max_ms": max(latencies),
        "mean_ms": statistics.fmean(latencies),
        "silent_replies": sum(1 for r in records if r["replies"] == 0),
    }
    if concurrency == 1:
        summary["stages_mean_ms"] = {
            stage: statistics.fmean(r["stages"].get(stage, 0.0) * 1000 for r in records) for stage in STAGES
        }
    by_position: dict[str, list[float]] = defaultdict(list)
    for r in records:
        p = r["position"]
        band = f"{p}" if p <= 10 else ("11-50" if p <= 50 else "51+")
        by_position[band].append(r["ms"])
    summary["median_ms_by_position"] = {band: statistics.median(v) for band, v in by_position.items()}
    return summary


def print_report(result: dict[str, Any]) -> None:
    s = result["summary"]
    print(
        f"model: {result['model']}  tracker store: {result['tracker_store']}  concurrency: {result['concurrency']}"
        f"  action-reply validation: {result['action_validation']}"
    )
    print(f"TF threads: intra {result['tf_threads']['intra']}, inter {result['tf_threads']['inter']}")
    print(f"load: {result['load_seconds']:.1f} s")
    for when in ("after_load", "after_warm_up", "after_run"):
        m = result["memory_mib"][when]
        print(f"memory {when.replace('_', ' ')}: RSS {m['VmRSS']:.0f} MiB, peak {m['VmHWM']:.0f} MiB")
    print(
        f"{s['messages']} messages: median {s['median_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms, "
        f"max {s['max_ms']:.1f} ms, mean {s['mean_ms']:.1f} ms, process CPU {s['cpu_ms_per_message']:.1f} ms/message"
    )
    if s["silent_replies"]:
        print(f"warning: {s['silent_replies']} messages got no reply")
    if "stages_mean_ms" in s:
        print("mean time per message by stage:")
        total = sum(s["stages_mean_ms"].values())
        for stage, ms in s["stages_mean_ms"].items():
            print(f"  {ms:7.1f} ms {100 * ms / total:5.1f} %  {STAGES[stage]}")
    positions = ", ".join(f"{band}: {ms:.0f}" for band, ms in s["median_ms_by_position"].items())
    print(f"median ms by position in the conversation: {positions}")


# --- main ---------------------------------------------------------------------------


async def profile(args: argparse.Namespace) -> dict[str, Any]:
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig
    from rasa.utils.tensorflow.environment import setup_tf_environment

    from bot.runtime.rasa_runtime import install_action_failure_reply, install_prebuilt_action_validation

    setup_tf_environment()  # what `rasa run` does first: TF thread pools from the environment
    install_action_failure_reply(8.0)  # as bot.runtime.rasa_runtime does for the Rasa server
    if not args.rasa_action_validation:
        install_prebuilt_action_validation()
    tracker_store = None
    if args.tracker_store == "sqlite":
        db = Path(tempfile.mkdtemp(prefix="perf-tracker-")) / "tracker.db"
        tracker_store = EndpointConfig(type="SQL", url=f"sqlite:///{db}")
    endpoints = AvailableEndpoints(
        action=EndpointConfig(url=f"{args.actions_url.rstrip('/')}/webhook"), tracker_store=tracker_store
    )
    started = time.perf_counter()
    agent = await load_agent(model_path=str(args.model), endpoints=endpoints)
    load_seconds = time.perf_counter() - started
    memory = {"after_load": memory_mib()}

    timer = StageTimer()
    instrument(agent, timer)
    warm_up = [(kind, texts) for kind, texts in visits(len(VISIT_PATTERN), 10) if kind != "faq"]
    await run_visits(agent, [("faq", [WARM_UP_QUESTION] * 3), *warm_up], 1, timer)
    memory["after_warm_up"] = memory_mib()

    timer.enabled = args.concurrency == 1
    plan = visits(args.conversations, args.visit_length)
    profiler = None
    if args.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(async_mode="enabled")
        profiler.start()
    cpu_started = time.process_time()
    records = await run_visits(agent, plan, args.concurrency, timer)
    cpu_seconds = time.process_time() - cpu_started
    if profiler is not None:
        profiler.stop()
        out = Path(args.pyinstrument)
        if out.suffix == ".html":
            out.write_text(profiler.output_html())
        else:  # the call tree, then the functions with the most time of their own
            flat = profiler.output_text(flat=True, processor_options={"filter_threshold": 0.005})
            out.write_text(profiler.output_text() + "\n" + flat)
    memory["after_run"] = memory_mib()
    return {
        "model": str(args.model),
        "tracker_store": args.tracker_store,
        "action_validation": "rasa per call" if args.rasa_action_validation else "prebuilt",
        "concurrency": args.concurrency,
        "tf_threads": {
            "intra": os.environ.get("TF_INTRA_OP_PARALLELISM_THREADS", "default"),
            "inter": os.environ.get("TF_INTER_OP_PARALLELISM_THREADS", "default"),
        },
        "load_seconds": load_seconds,
        "memory_mib": memory,
        "summary": {**summarise(records, args.concurrency), "cpu_ms_per_message": 1000 * cpu_seconds / len(records)},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True, help="trained model (.tar.gz)")
    parser.add_argument("--actions-url", default="http://127.0.0.1:5055", help="action server base URL")
    parser.add_argument("--conversations", type=int, default=24, help="measured visits (default 24)")
    parser.add_argument("--visit-length", type=int, default=10, help="messages per FAQ visit (default 10)")
    parser.add_argument("--concurrency", type=int, default=1, help="visits in flight at once (default 1)")
    parser.add_argument("--tracker-store", choices=("memory", "sqlite"), default="memory")
    parser.add_argument(
        "--rasa-action-validation",
        action="store_true",
        help="check action-server replies with Rasa's own per-call jsonschema.validate (slow), not the prebuilt one",
    )
    parser.add_argument("--pyinstrument", metavar="PATH", help="profile the measured run (.html or .txt)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args()
    if not args.model.exists():
        print(f"error: no model at {args.model}", file=sys.stderr)
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)  # Rasa's structured debug lines would otherwise be printed and timed
    result = asyncio.run(profile(args))
    print_report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
