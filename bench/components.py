"""Where training time, memory and per-message CPU go, component by component.

    .venv/bin/python bench/components.py train    # trains from an empty cache into a temporary folder
    .venv/bin/python bench/components.py load [--model models/british-academy.tar.gz] [--messages 200]

Rasa runs every component as a node of a graph (rasa.engine.graph.GraphNode).
This script wraps GraphNode so that each node reports:

- ``train``: the wall and CPU time of each node of the training graph, summed
  by component (a fresh cache directory, so nothing is restored);
- ``load``: the resident memory the process gained while each node of the
  inference graph was built (Agent.load, as `rasa run` does), and the time it
  took; then the CPU time of each node over messages parsed and answered
  (hold-out questions: NLU graph, then the policies on a one-turn tracker).

It prints Markdown tables for docs/benchmarks.md. Memory is the process's
VmRSS, so a node is charged for what Python and its libraries kept after it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class NodeCosts:
    """Costs per graph node, recorded by wrapping rasa.engine.graph.GraphNode."""

    def __init__(self) -> None:
        self.loads: list[tuple[str, str, float, float]] = []  # node, component, MiB gained, seconds
        self.calls: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])  # wall, cpu, count

    def install(self) -> None:
        from rasa.engine.graph import GraphNode

        costs = self
        original_load, original_call = GraphNode._load_component, GraphNode.__call__

        def _load_component(node, **kwargs):
            before, started = rss_mib(), time.perf_counter()
            original_load(node, **kwargs)
            name = node._component_class.__name__
            costs.loads.append((node._node_name, name, rss_mib() - before, time.perf_counter() - started))

        def __call__(node, *inputs):  # noqa: N807 - replaces GraphNode.__call__
            wall, cpu = time.perf_counter(), time.process_time()
            result = original_call(node, *inputs)
            entry = costs.calls[(node._node_name, node._component_class.__name__)]
            entry[0] += time.perf_counter() - wall
            entry[1] += time.process_time() - cpu
            entry[2] += 1
            return result

        GraphNode._load_component = _load_component
        GraphNode.__call__ = __call__

    def by_component(self) -> dict[str, list[float]]:
        totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
        for (_node, component), (wall, cpu, count) in self.calls.items():
            totals[component][0] += wall
            totals[component][1] += cpu
            totals[component][2] += count
        return totals


def train(costs: NodeCosts) -> None:
    cache = tempfile.mkdtemp(prefix="rasa-cache-")
    os.environ["RASA_CACHE_DIRECTORY"] = cache  # read when Rasa builds its cache: nothing is restored
    out = tempfile.mkdtemp(prefix="components-model-")
    costs.install()
    from rasa.api import train as rasa_train

    training_files = [str(p) for p in sorted((ROOT / "data").glob("*.yml")) if p.name != "courses.yml"]
    started = time.perf_counter()
    result = rasa_train("domain.yml", "config.yml", training_files, out, force_training=True)
    total = time.perf_counter() - started
    if result.code != 0:
        raise SystemExit(f"training failed (code {result.code})")
    print(f"training from an empty cache: {total:.0f} s wall; per component (training graph):\n")
    print("| component | wall s | CPU s | node runs |")
    print("|---|---|---|---|")
    for component, (wall, cpu, count) in sorted(costs.by_component().items(), key=lambda kv: -kv[1][0]):
        if wall >= 0.05:
            print(f"| {component} | {wall:.1f} | {cpu:.1f} | {int(count)} |")
    print(f"\nthe rest of the {total:.0f} s: reading and validating the data, building the graph, packing the model")


def load(costs: NodeCosts, model: Path, messages: int) -> None:
    start_rss = rss_mib()
    started = time.perf_counter()
    from rasa.core.agent import Agent
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    imported_rss, imported_at = rss_mib(), time.perf_counter() - started
    costs.install()
    agent = Agent.load(str(model))
    loaded_at = time.perf_counter() - started
    print(f"start: {start_rss:.0f} MiB; importing Rasa (TensorFlow, spaCy, ...): +{imported_rss - start_rss:.0f} MiB,")
    print(f"{imported_at:.1f} s; loading the model: {loaded_at - imported_at:.1f} s, RSS {rss_mib():.0f} MiB\n")
    print("| node | component | MiB gained while built | seconds |")
    print("|---|---|---|---|")
    for node, component, mib, seconds in costs.loads:
        if mib >= 1 or seconds >= 0.05:
            print(f"| {node} | {component} | {mib:.0f} | {seconds:.2f} |")

    from rasa.shared.nlu.training_data.loading import load_data

    texts = [m.get("text") for m in load_data(str(ROOT / "tests" / "nlu_holdout.yml")).intent_examples]
    texts = (texts * (messages // max(len(texts), 1) + 1))[:messages]
    costs.calls.clear()

    async def answer_all() -> None:
        for text in texts:
            parsed = await agent.parse_message(text)
            tracker = DialogueStateTracker.from_events(
                "bench",
                [ActionExecuted("action_listen"), UserUttered(text, parsed["intent"], parsed["entities"], parsed)],
                agent.domain.slots,
            )
            agent.processor.predict_next_with_tracker(tracker)

    cpu = time.process_time()
    asyncio.run(answer_all())
    cpu = (time.process_time() - cpu) * 1000 / len(texts)
    print(
        f"\nCPU per message over {len(texts)} hold-out questions (parse + next action): {cpu:.1f} ms; by component:\n"
    )
    print("| component | CPU ms per message |")
    print("|---|---|")
    for component, (_wall, node_cpu, _count) in sorted(costs.by_component().items(), key=lambda kv: -kv[1][1]):
        per_message = node_cpu * 1000 / len(texts)
        if per_message >= 0.05:
            print(f"| {component} | {per_message:.2f} |")
    print(f"\nRSS after the messages: {rss_mib():.0f} MiB")


def quiet() -> None:
    """Rasa logs each parse and prediction at debug level through structlog: keep warnings only, as
    bench/evaluate_nlu.py does, with Rasa's own logging set-up."""
    import logging

    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    from bot.runtime.rasa_runtime import quiet_dependency_warnings

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    quiet_dependency_warnings()


def main() -> int:
    quiet()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("train", "load"))
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "british-academy.tar.gz")
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    costs = NodeCosts()
    if args.what == "train":
        train(costs)
    else:
        if not args.model.exists():
            print(f"error: no model at {args.model}: run `make train`", file=sys.stderr)
            return 2
        load(costs, args.model, args.messages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
