"""Start to first answer and memory after warm-up, beside Rasa's stock starter bot.

    .venv/bin/python -m bench.startup [--runs 1] [--no-baseline] [--json PATH]

Starts the Rasa server and the action server the way `make run` does
(bot.runtime.stack, side by side) on free ports with a throw-away tracker store, and
measures from the moment the processes are spawned until the first question
sent through the REST channel gets a reply with text ("start to first
answer"), with the time each process took to answer its health URL. Then a
few more questions (warm-up: a course search loads the catalogue in the
action server) and the resident memory of each process and its children.
Then the same for Rasa's stock starter bot (bench/stock_bot.py: built with
`rasa init` on first use, under var/bench/stock-bot, shared with
bench/load.py). The load average is printed too: on a shared machine read
the figures as indicative and compare figures taken in the same run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.rest_latency import memory_kib
from bench.stock_bot import StockBotError, ensure_stock_bot, stock_bot_settings, stock_bot_spec
from bot.runtime.stack import ProcessSpec, Stack, StackError, latest_model, process_specs
from bot.settings import Settings
from tests.browser.gateway_process import free_ports

ROOT = Path(__file__).resolve().parent.parent
STOCK_BOT_DIR = ROOT / "var" / "bench" / "stock-bot"
START_TIMEOUT = 900.0  # loading TensorFlow on a busy 2-core machine can take minutes
FIRST_QUESTION = "what is healthcare management?"
WARM_UP = ("how long is the course?", "do you have leadership courses in London?", "what jobs can I get?", "thanks")
STOCK_QUESTIONS = ("hello", "I am sad", "yes", "bye")


@dataclass
class StartUp:
    bot: str
    first_answer_s: float
    ready_s: dict[str, float]
    rss_mib: dict[str, float]
    peak_mib: dict[str, float]
    load_average: tuple[float, float, float] = field(default_factory=os.getloadavg)


def ask(url: str, sender: str, text: str, timeout: float = 60.0) -> list[dict]:
    request = urllib.request.Request(
        url, json.dumps({"sender": sender, "message": text}).encode(), {"Content-Type": "application/json"}
    )
    # The URL is built here from 127.0.0.1 and a free port.
    with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310
        return json.loads(response.read())


def first_reply(url: str, text: str, deadline: float) -> list[dict]:
    """The first reply with text; a server that is up but not yet answering is asked again."""
    sender = f"startup-{uuid.uuid4().hex}"
    while True:
        try:
            reply = ask(url, sender, text)
            if any(message.get("text") for message in reply):
                return reply
        except (urllib.error.URLError, OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            raise StackError(f"no answer from {url} within {START_TIMEOUT:.0f}s")
        time.sleep(0.25)


def measure(
    bot: str, specs: list[ProcessSpec], settings: Settings, env: dict[str, str], first: str, more: tuple[str, ...]
) -> StartUp:
    webhook = next(spec.public_url for spec in specs if "webhooks/rest" in spec.public_url)
    stack = Stack(specs, settings, env, start_timeout=START_TIMEOUT)
    started = time.monotonic()
    with stack:
        first_reply(webhook, first, started + START_TIMEOUT)
        first_answer = time.monotonic() - started
        sender = f"startup-{uuid.uuid4().hex}"
        for text in more:
            ask(webhook, sender, text)
        memory = {process.spec.name: memory_kib(process.popen.pid) for process in stack.running}
        ready = {process.spec.name: process.ready_after or math.nan for process in stack.running}
    return StartUp(
        bot=bot,
        first_answer_s=first_answer,
        ready_s=ready,
        rss_mib={name: kib["VmRSS"] / 1024 for name, kib in memory.items()},
        peak_mib={name: kib["VmHWM"] / 1024 for name, kib in memory.items()},
    )


def ours(model: Path, var: Path) -> StartUp:
    rasa_port, actions_port = free_ports(2)
    env = {
        "BOT_VAR_DIR": str(var),
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}",
    }
    settings = Settings.from_env(env)
    specs = process_specs(settings, model, ("rasa", "actions"))
    return measure("ours", specs, settings, {**os.environ, **env}, FIRST_QUESTION, WARM_UP)


def stock(var: Path) -> StartUp:
    model = ensure_stock_bot(STOCK_BOT_DIR)
    (port,) = free_ports(1)
    settings = stock_bot_settings(STOCK_BOT_DIR, var)
    return measure("stock", [stock_bot_spec(model, port)], settings, dict(os.environ), "hello", STOCK_QUESTIONS)


def report(runs: list[StartUp]) -> None:
    for bot in ("ours", "stock"):
        mine = [run for run in runs if run.bot == bot]
        if not mine:
            continue
        answers = [run.first_answer_s for run in mine]
        print(f"\n{bot}: start to first answer {', '.join(f'{s:.1f} s' for s in answers)}", end="")
        print(f" (median {statistics.median(answers):.1f} s)" if len(answers) > 1 else "")
        for run in mine:
            for name in run.rss_mib:
                print(
                    f"  {name:<18} answered its health URL after {run.ready_s[name]:6.1f} s; "
                    f"RSS after warm-up {run.rss_mib[name]:7,.0f} MiB (peak {run.peak_mib[name]:,.0f} MiB)"
                )
            print(f"  load average during the run: {' '.join(f'{x:.2f}' for x in run.load_average)}")
    our = [run.first_answer_s for run in runs if run.bot == "ours"]
    theirs = [run.first_answer_s for run in runs if run.bot == "stock"]
    if our and theirs:
        print(f"\nstart to first answer, ours/stock: {statistics.median(our) / statistics.median(theirs):.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="start each bot this many times (default 1)")
    parser.add_argument("--no-baseline", action="store_true", help="skip Rasa's stock starter bot")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    model = latest_model(ROOT / "models")
    if model is None:
        print("error: no trained model in models/; run `make train` first", file=sys.stderr)
        return 2
    runs: list[StartUp] = []
    try:
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="bench-startup-") as var:
                runs.append(ours(model, Path(var)))
            if not args.no_baseline:
                with tempfile.TemporaryDirectory(prefix="bench-startup-stock-") as var:
                    runs.append(stock(Path(var)))
    except (StackError, StockBotError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"model: {model.name}")
    report(runs)
    if args.json:
        args.json.write_text(json.dumps([asdict(run) for run in runs], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
