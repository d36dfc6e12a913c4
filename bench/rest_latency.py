"""Start-up time, memory and REST-channel latency of the real processes.

    .venv/bin/python bench/rest_latency.py [--questions 200]

Starts Rasa and the action server (ports 25005/25055, throwaway tracker
store), times how long until the first question is answered, sends N
questions from tests/nlu_holdout.yml one after another through
/webhooks/rest/webhook (a new conversation every 10 questions), and prints median / p95 latency and the resident
memory (current and peak) of each process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.runtime.stack import Stack, latest_model, process_specs  # noqa: E402
from bot.settings import Settings  # noqa: E402

VISIT_LENGTH = 10


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process and its children, from /proc."""
    totals = {"VmRSS": 0, "VmHWM": 0}
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                key, _, value = line.partition(":")
                if key in totals:
                    totals[key] += int(value.split()[0])
        except FileNotFoundError:
            continue
    return totals


def post(url: str, body: dict) -> dict | list:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def ask(url: str, sender: str, text: str) -> list[dict]:
    return post(url, {"sender": sender, "message": text})


def questions(count: int) -> list[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    texts = [m.get("text") for m in load_data(str(ROOT / "tests" / "nlu_holdout.yml")).intent_examples]
    return [texts[i % len(texts)] for i in range(count)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    model = latest_model(ROOT / "models")
    if model is None:
        print("error: no model; run `make train`", file=sys.stderr)
        return 2
    var = Path(tempfile.mkdtemp(prefix="bench-"))
    env = {"BOT_VAR_DIR": str(var), "RASA_URL": "http://127.0.0.1:25005", "ACTION_SERVER_URL": "http://127.0.0.1:25055"}
    settings = Settings.from_env(env)
    texts = questions(args.questions)
    url = f"{settings.rasa_url}/webhooks/rest/webhook"
    import os

    stack = Stack(process_specs(settings, model, ("rasa", "actions")), settings, {**os.environ, **env})
    started = time.perf_counter()
    with stack:
        ask(url, "bench-warmup", "what is healthcare management?")
        first_answer = time.perf_counter() - started
        latencies = []
        for number, text in enumerate(texts):
            if number % VISIT_LENGTH == 0:  # a new visitor every few questions, as on the website
                sender = f"bench-{uuid.uuid4().hex}"
            t0 = time.perf_counter()
            ask(url, sender, text)
            latencies.append((time.perf_counter() - t0) * 1000)
        memory = {p.spec.name: memory_kib(p.popen.pid) for p in stack.running}
    print(f"model: {model.name}")
    print(f"start to first answer: {first_answer:.1f} s")
    print(
        f"{len(latencies)} sequential questions via REST: median {statistics.median(latencies):.1f} ms, "
        f"p95 {percentile(latencies, 0.95):.1f} ms, max {max(latencies):.1f} ms"
    )
    for name, kib in memory.items():
        print(f"{name}: RSS {kib['VmRSS'] / 1024:.0f} MiB, peak {kib['VmHWM'] / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
