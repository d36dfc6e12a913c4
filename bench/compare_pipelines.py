"""Train each candidate pipeline and compare what it costs and how well it understands.

    .venv/bin/python -m bench.compare_pipelines bench/pipelines/baseline.yml config.yml ...

For each configuration: a full training from an empty cache (wall time), the
model's size, the resident memory of a process that has loaded it and
answered a few messages, the time per parse, and intent accuracy and macro F1
on tests/nlu_holdout.yml (a set that shares no example with data/; see
bench/check_leaks.py). Prints a Markdown table for docs/benchmarks.md.
Throughput through the whole stack is measured by `make bench`, not here.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

# Runs in a fresh process so that each model's memory is measured alone.
_PROBE = r"""
import asyncio, json, resource, sys, time, logging
sys.path.insert(0, sys.argv[3])
from rasa.utils.common import configure_logging_and_warnings
configure_logging_and_warnings(logging.ERROR)
from bench.evaluate_nlu import load_examples
from bot.nlp.evaluation import Prediction, predicted_intent, score
from rasa.core.agent import Agent

async def main():
    started = time.perf_counter()
    agent = Agent.load(sys.argv[1])
    await agent.parse_message("hello")
    loaded = time.perf_counter() - started
    examples = load_examples(sys.argv[2])
    predictions = []
    parse_started = time.perf_counter()
    for text, expected in examples:
        parse = await agent.parse_message(text)
        confidence = float((parse.get("intent") or {}).get("confidence") or 0.0)
        predictions.append(Prediction(text, expected, predicted_intent(parse), confidence))
    per_parse = (time.perf_counter() - parse_started) / max(len(examples), 1)
    report = score(predictions)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"load_s": loaded, "parse_ms": per_parse * 1000, "peak_rss_mib": rss_mib,
                      "accuracy": report.accuracy, "macro_f1": report.macro_f1, "examples": len(examples)}))

asyncio.run(main())
"""


def train(config: Path, out: Path, cache: Path) -> tuple[float, Path]:
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(cache), "RASA_TELEMETRY_ENABLED": "false"}
    started = time.perf_counter()
    subprocess.run(
        [PY, "-m", "bot", "rasa", "train", "--config", str(config), "--out", str(out),
         "--fixed-model-name", config.stem, "--quiet"],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - started, out / f"{config.stem}.tar.gz"


def probe(model: Path, holdout: Path) -> dict:
    result = subprocess.run(
        [PY, "-c", _PROBE, str(model), str(holdout), str(ROOT)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("configs", nargs="+", type=Path)
    parser.add_argument("--holdout", type=Path, default=ROOT / "tests" / "nlu_holdout.yml")
    args = parser.parse_args()
    rows = []
    for config in args.configs:
        with tempfile.TemporaryDirectory(prefix="pipeline-") as work:
            seconds, model = train(config, Path(work) / "out", Path(work) / "cache")
            figures = probe(model, args.holdout)
            figures.update(config=str(config), train_s=seconds, model_mib=model.stat().st_size / 2**20)
            rows.append(figures)
            print(json.dumps(figures), file=sys.stderr, flush=True)
    print("| configuration | full training | model | load | peak RSS | per parse | accuracy | macro F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| `{row['config']}` | {row['train_s']:.0f} s | {row['model_mib']:.1f} MiB | {row['load_s']:.1f} s "
            f"| {row['peak_rss_mib']:.0f} MiB | {row['parse_ms']:.1f} ms | {row['accuracy']:.3f} "
            f"| {row['macro_f1']:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
