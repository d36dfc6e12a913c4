"""Load through the gateway: scripted visitors at once, beside Rasa's stock starter bot.

    .venv/bin/python -m bench.load [--visitors 10] [--think 1.0] [--duration 60] [--rasa-servers 2]
                                   [--no-baseline] [--json PATH] [--seed 1]
    .venv/bin/python -m bench.load --ramp [--steps 1,2,4,8,16,32] [--step-seconds 20] [--rasa-servers 1]

Starts its own stack on ports that leave `make run` alone (Rasa 27005/27006,
actions 27055/27056, gateway 28000): 2 Rasa servers run on a throw-away
PostgreSQL database and Redis db 5, 1 Rasa server on SQLite files in a
temporary directory. Each visitor plays visits one after another for the
duration (50% questions, 30% course searches, 20% complete enquiries, a new
conversation per visit), pausing --think seconds on average between messages.
Then the stack is stopped and the same load is played against Rasa's stock
starter bot, straight to its REST channel (port 27105). Printed: latency per
message, messages per second, errors, degraded replies, enquiries confirmed
against leads stored, the peak memory and CPU time per message of every
process, how busy the machine was with other work, and the machine.

--ramp measures capacity: no think time, more visitors at each step, until a
step's p95 passes 500 ms; the answer is the highest rate below that line.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import itertools
import json
import math
import os
import platform
import random
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from bench.postgres import PostgresUnavailable, throwaway_postgres_database
from bench.rest_latency import percentile
from bench.stock_bot import (
    RestChatClient,
    ScriptedEnquiryVisitor,
    StockBotError,
    ensure_stock_bot,
    stock_bot_settings,
    stock_bot_spec,
)
from bench.visitors import STORE_FAILED, ChatClient, Turn, Visit, Visitor
from bot.runtime.stack import Stack, StackError, cluster_problems, process_specs
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "british-academy.tar.gz"
STOCK_BOT_DIR = ROOT / "var" / "bench" / "stock-bot"

RASA_PORTS = (27005, 27006)
ACTION_PORTS = (27055, 27056)
GATEWAY_PORT = 28000
STOCK_PORT = 27105
REDIS_URL = "redis://127.0.0.1:6379/5"
STARTUP_TIMEOUT = 900.0  # two Rasa servers loading TensorFlow on a busy 2-core machine take minutes

VISIT_MIX = {"faq": 0.5, "courses": 0.3, "enquiry": 0.2}
NAMES = ("Alex Morgan", "Priya Shah", "Tom Okafor", "Maria Rossi", "Jan Nowak", "Chloe Martin")
RAMP_STEPS = (1, 2, 4, 8, 16, 32)
# A question and a course search: custom actions on two action servers, the catalogue loaded.
WARM_UP_MESSAGES = ("what is healthcare management?", "do you have leadership courses in London?")
RAMP_P95_LIMIT_MS = 500.0
MIB = 1024 * 1024

# Targets of issue 7 (MB and GB are decimal: the limits in MiB are a little lower).
STEADY_P95_TARGET_MS = 150.0
ONE_SERVER_RATE_TARGET = 40.0
MEMORY_LIMITS_MIB = {"Rasa server": 1.3e9 / MIB, "Action server": 200e6 / MIB, "Gateway": 150e6 / MIB}


def _action_apology() -> str:
    """The start of the reply Rasa gives when a custom action fails (bot/runtime/rasa_runtime.py)."""
    responses = yaml.safe_load((ROOT / "data" / "responses.yml").read_text())["responses"]
    return responses["utter_action_unavailable"][0]["text"].split("{")[0].strip()


ACTION_APOLOGY = _action_apology()


# --- options -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadPlan:
    """What the visitors do: ``steps`` of (visitors, seconds), run one after another."""

    think: float
    steps: tuple[tuple[int, float], ...]
    stop_above_p95_ms: float | None = None  # ramp: no further step once a step's p95 passes this ...
    min_steps: int = 0  # ... unless fewer steps than this have run


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _seconds(text: str, allow_zero: bool = False) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, got {text!r}") from None
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise argparse.ArgumentTypeError(f"must be {'zero or more' if allow_zero else 'more than zero'}, got {text}")
    return value


def _steps(text: str) -> tuple[int, ...]:
    steps = tuple(_positive_int(part.strip()) for part in text.split(","))
    if list(steps) != sorted(set(steps)):
        raise argparse.ArgumentTypeError(f"must be increasing numbers of visitors like 1,2,4,8, got {text!r}")
    return steps


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--visitors", type=_positive_int, metavar="N", help="visitors at once (default 10)")
    parser.add_argument(
        "--think",
        type=lambda text: _seconds(text, allow_zero=True),
        metavar="SECONDS",
        help="mean seconds between a visitor's messages (default 1.0; 0 with --ramp)",
    )
    parser.add_argument("--duration", type=_seconds, metavar="SECONDS", help="seconds of load (default 60)")
    parser.add_argument(
        "--rasa-servers", type=int, choices=(1, 2), default=2, help="1, or 2 with 2 action servers (default 2)"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip Rasa's stock starter bot")
    parser.add_argument("--ramp", action="store_true", help="capacity: more visitors at each step, no think time")
    parser.add_argument(
        "--steps", type=_steps, metavar="N,N,...", help="--ramp: visitors at each step (default 1,2,4,8,16,32)"
    )
    parser.add_argument(
        "--step-seconds", type=_seconds, metavar="SECONDS", help="--ramp: seconds per step (default 20)"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the raw figures to this file")
    parser.add_argument("--seed", type=int, default=1, help="seed of the visitors' choices (default 1)")
    return parser


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, LoadPlan]:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.ramp:
        for name, value in (("--visitors", args.visitors), ("--duration", args.duration)):
            if value is not None:
                parser.error(f"{name} does not apply to --ramp: use --steps and --step-seconds")
        steps = args.steps or RAMP_STEPS
        step_seconds = args.step_seconds or 20.0
        plan = LoadPlan(args.think or 0.0, tuple((n, step_seconds) for n in steps), RAMP_P95_LIMIT_MS)
    else:
        for name, value in (("--steps", args.steps), ("--step-seconds", args.step_seconds)):
            if value is not None:
                parser.error(f"{name} only applies with --ramp")
        think = 1.0 if args.think is None else args.think
        plan = LoadPlan(think, ((args.visitors or 10, args.duration or 60.0),))
    if args.json is not None and not args.json.parent.resolve().is_dir():
        parser.error(f"--json: the folder {args.json.parent} does not exist")
    return args, plan


# --- playing the load ----------------------------------------------------------------------------


@dataclass
class Message:
    """One message as the load generator saw it; ``started`` is time.monotonic() when it was sent."""

    started: float
    turn: Turn

    @property
    def finished(self) -> float:
        return self.started + self.turn.seconds


class TimedClient:
    """Wraps a chat client to note when each message was sent (a Turn keeps only its duration)."""

    def __init__(self, client: ChatClient | RestChatClient, log: list[Message]):
        self.client = client
        self.log = log

    async def say(self, text: str, message_id: str | None = None) -> Turn:
        started = time.monotonic()
        turn = await self.client.say(text, message_id)
        self.log.append(Message(started, turn))
        return turn


@dataclass(frozen=True)
class Target:
    """What the visitors talk to: our gateway, or the stock bot's REST channel."""

    name: str
    new_client: Callable[[aiohttp.ClientSession], ChatClient | RestChatClient]
    visitor_class: type[Visitor] = Visitor


@dataclass
class Phase:
    """One stretch of load: ``visitors`` at once for ``seconds``; visits under way at the end finish."""

    visitors: int
    think: float
    seconds: float
    started: float = 0.0
    messages: list[Message] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)
    cpu_by_process: dict[str, float] = field(default_factory=dict)


def choose_kind(rng: random.Random) -> str:
    return rng.choices(list(VISIT_MIX), weights=list(VISIT_MIX.values()))[0]


async def play_visit(visitor: Visitor, kind: str, emails: Iterator[str]) -> Visit:
    if kind == "faq":
        return await visitor.faq()
    if kind == "courses":
        return await visitor.courses()
    return await visitor.enquiry(name=visitor.rng.choice(NAMES), email=next(emails))


async def visitor_loop(
    target: Target, session: aiohttp.ClientSession, phase: Phase, seed: str, emails: Iterator[str]
) -> list[Visit]:
    # Kinds have their own generator: the stock bot offers no course buttons to pick from, and
    # that must not change which visits follow.
    kinds, choices = random.Random(f"{seed}-kinds"), random.Random(f"{seed}-choices")
    visits = []
    deadline = phase.started + phase.seconds
    while time.monotonic() < deadline:
        client = TimedClient(target.new_client(session), phase.messages)  # a new conversation per visit
        visitor = target.visitor_class(client, phase.think, choices)  # any client with ChatClient's say()
        visits.append(await play_visit(visitor, choose_kind(kinds), emails))
    return visits


async def play_phase(target: Target, phase: Phase, seed: int, emails: Iterator[str]) -> Phase:
    # Seeded per step and visitor, so the stock bot is sent the same sequence of visits.
    seeds = [f"{seed}-{phase.visitors}-{number}" for number in range(phase.visitors)]
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        phase.started = time.monotonic()
        loops = [visitor_loop(target, session, phase, visitor_seed, emails) for visitor_seed in seeds]
        for visits in await asyncio.gather(*loops):
            phase.visits.extend(visits)
    return phase


def play_plan(
    target: Target, plan: LoadPlan, seed: int, emails: Iterator[str], processes: dict[str, int]
) -> list[Phase]:
    phases = []
    for visitors, seconds in plan.steps:
        meter = CpuMeter(processes)
        phase = asyncio.run(play_phase(target, Phase(visitors, plan.think, seconds), seed, emails))
        phase.cpu, phase.cpu_by_process = meter.read()
        phases.append(phase)
        summary = summarise(phase)
        print(
            f"  {target.name}: {visitors} visitors, {summary.messages} messages, {summary.per_second:.1f}/s, "
            f"median {summary.median_ms:.0f} ms, p95 {summary.p95_ms:.0f} ms, errors {summary.errors}",
            flush=True,
        )
        past_limit = plan.stop_above_p95_ms is not None and summary.p95_ms > plan.stop_above_p95_ms
        if past_limit and len(phases) >= plan.min_steps:
            break
    return phases


async def warm_up(webhooks: Sequence[str], gateway_url: str | None) -> None:
    """First answers from every Rasa server, both action servers and the gateway: start-up is not measured."""
    async with aiohttp.ClientSession() as session:
        turns = []
        for url in webhooks:
            client = RestChatClient(session, url, timeout=120)
            turns += [await client.say(text) for text in WARM_UP_MESSAGES]  # each Rasa server's own rotation
        if gateway_url:
            turns.append(await ChatClient(session, gateway_url, timeout=120).say("hello"))
    failed = [turn.error for turn in turns if turn.error]
    if failed:
        raise StackError(f"warm-up failed: {', '.join(failed)}")


# --- the figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseSummary:
    visitors: int
    think: float
    seconds: float
    messages: int
    per_second: float  # messages answered within the phase's seconds, per second
    median_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    error_kinds: dict[str, int]
    degraded: int
    degraded_kinds: dict[str, int]
    visits: dict[str, int]
    cpu: dict[str, float]  # cores used during the phase (CpuMeter)
    cpu_ms_per_message: float  # CPU time of the measured processes per message: less swayed by contention


def cpu_ms_per_message(cpu: dict[str, float], messages: int) -> float:
    if not messages or "measured processes" not in cpu:
        return math.nan
    return cpu["measured processes"] * cpu["seconds"] * 1000 / messages


def cpu_ms_by_process(phases: Sequence[Phase]) -> dict[str, float]:
    """CPU time per message of each process over all phases: where a message's cost goes."""
    messages = sum(len(phase.messages) for phase in phases)
    seconds: Counter[str] = Counter()
    for phase in phases:
        for name, cores in phase.cpu_by_process.items():
            seconds[name] += cores * phase.cpu["seconds"]
    return {name: total * 1000 / messages if messages else math.nan for name, total in seconds.items()}


def messages_per_second(messages: Sequence[Message], started: float, seconds: float) -> float:
    """Messages answered within the window: visits still under way at its end do not stretch it."""
    return sum(1 for message in messages if message.finished <= started + seconds) / seconds


def degraded_kind(turn: Turn) -> str | None:
    """Which apology a reply is, if any: the visitor got an answer, but not the one they asked for."""
    if turn.degraded:
        return "gateway apology (Rasa unavailable or too slow)"
    if ACTION_APOLOGY in turn.text:
        return "action apology (custom action failed)"
    if STORE_FAILED in turn.text:
        return "enquiry could not be saved"
    return None


def summarise(phase: Phase) -> PhaseSummary:
    turns = [message.turn for message in phase.messages]
    milliseconds = [turn.seconds * 1000 for turn in turns] or [math.nan]
    degraded = [kind for kind in map(degraded_kind, turns) if kind]
    return PhaseSummary(
        visitors=phase.visitors,
        think=phase.think,
        seconds=phase.seconds,
        messages=len(turns),
        per_second=messages_per_second(phase.messages, phase.started, phase.seconds),
        median_ms=statistics.median(milliseconds),
        p95_ms=percentile(milliseconds, 0.95),
        p99_ms=percentile(milliseconds, 0.99),
        max_ms=max(milliseconds),
        errors=sum(1 for turn in turns if turn.error),
        error_kinds=dict(Counter(turn.error for turn in turns if turn.error)),
        degraded=len(degraded),
        degraded_kinds=dict(Counter(degraded)),
        visits=dict(Counter(visit.kind for visit in phase.visits)),
        cpu=phase.cpu,
        cpu_ms_per_message=cpu_ms_per_message(phase.cpu, len(turns)),
    )


def sustained_rate(summaries: Sequence[PhaseSummary], p95_limit_ms: float = RAMP_P95_LIMIT_MS) -> PhaseSummary | None:
    """The step with the most messages per second whose p95 stayed under the limit."""
    passing = [summary for summary in summaries if summary.p95_ms < p95_limit_ms]
    return max(passing, key=lambda summary: summary.per_second, default=None)


@dataclass(frozen=True)
class LeadCheck:
    """Enquiries the visitors were told were received, against the leads in the database."""

    enquiries: int
    confirmed: int
    stored: int
    lost: list[str]  # references a visitor was given that are not stored (under their email)
    duplicated: list[str]  # emails with more than one lead: each visit used its own email
    unconfirmed: list[str]  # emails stored although the visitor never saw a reference
    store_failed: int  # visits where the bot said it could not save the enquiry (at least once)
    gave_up: dict[str, int]


def reconcile_leads(visits: Sequence[Visit], stored: Sequence[tuple[str, str]]) -> LeadCheck:
    """``stored`` is (email, reference) of every lead whose email belongs to this run."""
    enquiries = [visit for visit in visits if visit.kind == "enquiry"]
    confirmed = {visit.email: visit.reference for visit in enquiries if visit.reference}
    per_email = Counter(email for email, _ in stored)
    stored_pairs = set(stored)
    return LeadCheck(
        enquiries=len(enquiries),
        confirmed=len(confirmed),
        stored=len(stored),
        lost=sorted(ref for email, ref in confirmed.items() if (email, ref) not in stored_pairs),
        duplicated=sorted(email for email, count in per_email.items() if count > 1),
        unconfirmed=sorted(email for email in per_email if email not in confirmed),
        store_failed=sum(1 for visit in enquiries if visit.store_failed),
        gave_up=dict(Counter(visit.gave_up for visit in enquiries if visit.gave_up)),
    )


def stored_leads(database_url: str, email_pattern: str) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from bot.leads.models import Lead
    from bot.storage.engine import create_engine_for

    engine = create_engine_for(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(Lead.email, Lead.reference).where(Lead.email.like(email_pattern)))
            return [(email, reference) for email, reference in rows]
    finally:
        engine.dispose()


# --- processes, memory and CPU -------------------------------------------------------------------


def _status_kib(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(value.split()[0])
    return values


def _parent_pids() -> dict[int, int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        parents[int(stat.parent.name)] = int(fields[1])
    return parents


def descendants(pid: int, parents: dict[int, int] | None = None) -> list[int]:
    parents = _parent_pids() if parents is None else parents
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


@dataclass(frozen=True)
class ProcessMemory:
    name: str
    pid: int
    rss_mib: float
    peak_mib: float  # VmHWM: the most the process was ever resident
    children: int  # child processes (none expected: Rasa, rasa_sdk and the gateway run one process each)
    children_peak_mib: float


def process_memory(name: str, pid: int) -> ProcessMemory:
    own = _status_kib(pid)
    children = [_status_kib(child) for child in descendants(pid)]
    return ProcessMemory(
        name=name,
        pid=pid,
        rss_mib=own.get("VmRSS", 0) / 1024,
        peak_mib=own.get("VmHWM", 0) / 1024,
        children=len(children),
        children_peak_mib=sum(child.get("VmHWM", 0) for child in children) / 1024,
    )


def memory_limit_mib(name: str) -> float | None:
    return next((limit for prefix, limit in MEMORY_LIMITS_MIB.items() if name.startswith(prefix)), None)


class CpuMeter:
    """CPU used during a phase, in cores: the whole machine, each measured process, this load generator.

    What is left over ("other work") is work that is not part of the benchmark, i.e. contention.
    """

    def __init__(self, processes: dict[str, int]):
        self.processes = processes  # name -> pid
        self.started = time.monotonic()
        self.machine, self.each, self.generator = self._sample()

    def _sample(self) -> tuple[int, dict[str, int], int]:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        busy = sum(fields[i] for i in (0, 1, 2, 5, 6, 7))  # user nice system irq softirq steal (guest is in user)
        parents = _parent_pids()
        each = {
            name: sum(_cpu_ticks(one) for one in (pid, *descendants(pid, parents)))
            for name, pid in self.processes.items()
        }
        return busy, each, _cpu_ticks(os.getpid())

    def read(self) -> tuple[dict[str, float], dict[str, float]]:
        """Cores used (and the seconds measured), and cores used by each measured process."""
        machine, each, generator = self._sample()
        seconds = time.monotonic() - self.started
        ticks = os.sysconf("SC_CLK_TCK") * seconds
        by_process = {name: round((each[name] - self.each[name]) / ticks, 3) for name in each}
        used = {
            "machine": (machine - self.machine) / ticks,
            "measured processes": sum(by_process.values()),
            "load generator": (generator - self.generator) / ticks,
        }
        used["other work"] = max(0.0, used["machine"] - used["measured processes"] - used["load generator"])
        return {**{name: round(cores, 3) for name, cores in used.items()}, "seconds": round(seconds, 2)}, by_process


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def machine_description() -> dict[str, Any]:
    cpu_model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown",
    )
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "load_average_before": [round(value, 2) for value in os.getloadavg()],
        "python": platform.python_version(),
        "rasa": importlib.metadata.version("rasa"),
    }


def what_was_measured() -> dict[str, str]:
    """The commit and the model, so a figure can be traced to the code and training it came from."""
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    stat = MODEL.stat()
    modified = time.strftime("%Y-%m-%d %H:%M", time.localtime(stat.st_mtime))
    return {"commit": commit or "unknown", "model": f"{MODEL.name}, {stat.st_size / 1e6:.1f} MB, trained {modified}"}


def busy_ports(ports: Sequence[int]) -> list[int]:
    busy = []
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                busy.append(port)
    return busy


# --- stores and stacks ---------------------------------------------------------------------------


class BenchSetupError(RuntimeError):
    """The run cannot start: a missing model, a busy port, PostgreSQL or Redis not reachable."""


def _check_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        raise BenchSetupError(
            f"2 Rasa servers need Redis at {REDIS_URL} ({type(error).__name__}); start it or use --rasa-servers 1"
        ) from None


@contextmanager
def run_stores(rasa_servers: int, var_dir: Path) -> Iterator[dict[str, str]]:
    """Tracker store, lock store and leads database for this run only."""
    if rasa_servers == 1:
        yield {
            "DATABASE_URL": f"sqlite:///{var_dir / 'leads.db'}",
            "TRACKER_STORE_URL": f"sqlite:///{var_dir / 'tracker.db'}",
        }
        return
    _check_redis()
    try:
        with throwaway_postgres_database("bench_load") as url:
            yield {"DATABASE_URL": url, "TRACKER_STORE_URL": url, "REDIS_URL": REDIS_URL}
    except PostgresUnavailable as error:
        raise BenchSetupError(f"2 Rasa servers need PostgreSQL: {error}; start it or use --rasa-servers 1") from None


def stack_environment(rasa_servers: int, var_dir: Path, stores: dict[str, str]) -> dict[str, str]:
    unlimited = "1000000"  # every visitor comes from 127.0.0.1: the per-IP limits would throttle the bench
    return {
        "BOT_VAR_DIR": str(var_dir),
        "RASA_URL": ",".join(f"http://127.0.0.1:{port}" for port in RASA_PORTS[:rasa_servers]),
        "ACTION_SERVER_URL": ",".join(f"http://127.0.0.1:{port}" for port in ACTION_PORTS[:rasa_servers]),
        "GATEWAY_HOST": "127.0.0.1",
        "GATEWAY_PORT": str(GATEWAY_PORT),
        "GATEWAY_IP_RATE_PER_MINUTE": unlimited,
        "GATEWAY_IP_BURST": unlimited,
        "GATEWAY_CONVERSATION_RATE_PER_MINUTE": unlimited,
        "GATEWAY_CONVERSATION_BURST": unlimited,
        "REDIS_URL": "",
        **stores,
    }


@dataclass
class Measurement:
    target: str
    phases: list[Phase]
    memory: list[ProcessMemory]
    load_average_before: list[float]


def measure(
    stack: Stack,
    target: Target,
    plan: LoadPlan,
    seed: int,
    emails: Iterator[str],
    webhooks: Sequence[str],
    gateway_url: str | None,
) -> Measurement:
    """Start the processes, warm them up, play the plan, read their memory, stop them."""
    print(f"Starting {', '.join(spec.name for spec in stack.specs)} ...", flush=True)
    try:
        stack.start()
        asyncio.run(warm_up(webhooks, gateway_url))
        load_average = [round(value, 2) for value in os.getloadavg()]
        processes = {process.spec.name: process.popen.pid for process in stack.running}
        phases = play_plan(target, plan, seed, emails, processes)
        memory = [process_memory(process.spec.name, process.popen.pid) for process in stack.running]
    finally:
        stack.stop()
    return Measurement(target.name, phases, memory, load_average)


def measure_our_stack(
    args: argparse.Namespace, plan: LoadPlan, var_dir: Path, run_id: str
) -> tuple[Measurement, LeadCheck]:
    with run_stores(args.rasa_servers, var_dir) as stores:
        env = stack_environment(args.rasa_servers, var_dir, stores)
        settings = Settings.from_env(env)
        problems = cluster_problems(settings)
        if problems:
            raise BenchSetupError("; ".join(problems))
        from bot.storage.migrate import upgrade

        upgrade(settings.database_url)
        gateway_url = f"http://127.0.0.1:{GATEWAY_PORT}"
        target = Target("ours", lambda session: ChatClient(session, gateway_url))
        stack = Stack(process_specs(settings, MODEL), settings, {**os.environ, **env}, STARTUP_TIMEOUT)
        webhooks = [f"{url}/webhooks/rest/webhook" for url in settings.rasa_urls]
        emails = (f"load-{run_id}-{number}@example.org" for number in itertools.count(1))
        measurement = measure(stack, target, plan, args.seed, emails, webhooks, gateway_url)
        visits = [visit for phase in measurement.phases for visit in phase.visits]
        leads = reconcile_leads(visits, stored_leads(settings.database_url, f"load-{run_id}-%@example.org"))
    return measurement, leads


def measure_stock_bot(args: argparse.Namespace, plan: LoadPlan, model: Path, var_dir: Path, run_id: str) -> Measurement:
    spec = stock_bot_spec(model, STOCK_PORT)
    target = Target("stock", lambda session: RestChatClient(session, spec.public_url), ScriptedEnquiryVisitor)
    stack = Stack([spec], stock_bot_settings(STOCK_BOT_DIR, var_dir), dict(os.environ), STARTUP_TIMEOUT)
    emails = (f"load-{run_id}-stock-{number}@example.org" for number in itertools.count(1))
    return measure(stack, target, plan, args.seed, emails, [spec.public_url], None)


# --- report --------------------------------------------------------------------------------------


def ratio(ours: float, stock: float) -> float | None:
    return ours / stock if stock and math.isfinite(ours) and math.isfinite(stock) else None


def peak_per_rasa_server(memory: Sequence[ProcessMemory]) -> float:
    peaks = [process.peak_mib for process in memory if "Rasa server" in process.name]
    return max(peaks) if peaks else math.nan


def target_verdicts(
    plan: LoadPlan, summaries: Sequence[PhaseSummary], leads: LeadCheck, memory: Sequence[ProcessMemory], servers: int
) -> list[tuple[str, bool | None, str]]:
    """(target, met?, what was measured); met is None when this run cannot tell."""
    verdicts: list[tuple[str, bool | None, str]] = []
    errors = sum(summary.errors for summary in summaries)
    if plan.stop_above_p95_ms is None:
        steady = summaries[0]
        verdicts.append(
            (
                f"p95 under {STEADY_P95_TARGET_MS:.0f} ms (target set for 10 visitors, 1 s think)",
                steady.p95_ms < STEADY_P95_TARGET_MS,
                f"{steady.p95_ms:.0f} ms at {steady.visitors} visitors, {steady.think:g} s think",
            )
        )
    else:
        best = sustained_rate(summaries)
        rate = f"{best.per_second:.1f} msg/s at {best.visitors} visitors" if best else "no step under 500 ms"
        if servers == 1:
            met = best is not None and best.per_second >= ONE_SERVER_RATE_TARGET
            verdicts.append(
                (f"1 Rasa server: at least {ONE_SERVER_RATE_TARGET:.0f} msg/s before p95 > 500 ms", met, rate)
            )
        else:
            verdicts.append(("2 Rasa servers: clearly more than 1 (compare with --rasa-servers 1)", None, rate))
    verdicts.append(("zero errors", errors == 0, f"{errors} errors"))
    verdicts.append(
        (
            "zero lost or duplicated leads",
            not leads.lost and not leads.duplicated,
            f"{len(leads.lost)} lost, {len(leads.duplicated)} duplicated of {leads.confirmed} confirmed",
        )
    )
    for process in memory:
        limit = memory_limit_mib(process.name)
        if limit is not None:
            peak = process.peak_mib + process.children_peak_mib
            verdicts.append((f"{process.name}: peak RSS under {limit:,.0f} MiB", peak < limit, f"{peak:,.0f} MiB"))
    return verdicts


COLUMNS = (
    ("visitors", lambda s: s.visitors, 0),
    ("messages", lambda s: s.messages, 0),
    ("msg/s", lambda s: s.per_second, 1),
    ("median ms", lambda s: s.median_ms, 1),
    ("p95 ms", lambda s: s.p95_ms, 1),
    ("p99 ms", lambda s: s.p99_ms, 1),
    ("max ms", lambda s: s.max_ms, 0),
    ("errors", lambda s: s.errors, 0),
    ("degraded", lambda s: s.degraded, 0),
    ("CPU ms/msg", lambda s: s.cpu_ms_per_message, 1),
    ("other cores", lambda s: s.cpu.get("other work", math.nan), 2),
)


def _number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:,.{digits}f}"


def print_phase_table(ours: Sequence[PhaseSummary], stock: Sequence[PhaseSummary]) -> None:
    """One line per step and target, then ours/stock for median and p95 ("other cores": contention)."""
    print("  " + f"{'':<7}" + "".join(f"{name:>13}" for name, _, _ in COLUMNS))
    for our, theirs in itertools.zip_longest(ours, stock):
        for name, summary in (("ours", our), ("stock", theirs)):
            if summary is not None:
                print(
                    f"  {name:<7}" + "".join(f"{_number(value(summary), digits):>13}" for _, value, digits in COLUMNS)
                )
        if our is not None and theirs is not None:
            print(
                f"  {'':<7}ours/stock: median {_number(ratio(our.median_ms, theirs.median_ms), 2)}, "
                f"p95 {_number(ratio(our.p95_ms, theirs.p95_ms), 2)}, "
                f"CPU per message {_number(ratio(our.cpu_ms_per_message, theirs.cpu_ms_per_message), 2)}"
            )


def print_report(report: dict[str, Any], ours: Measurement, stock: Measurement | None, leads: LeadCheck) -> None:
    machine = report["machine"]
    print()
    print(f"command: {report['command']}")
    print(
        f"machine: {machine['cpus']} CPUs ({machine['cpu_model']}), {machine['memory_gib']} GiB, Python "
        f"{machine['python']}, Rasa {machine['rasa']}; load average before the run {machine['load_average_before']}"
    )
    options, measured = report["options"], report["measured"]
    print(f"run {report['run_id']}, seed {options['seed']}, {options['rasa_servers']} Rasa server(s)")
    print(f"commit {measured['commit']}; model {measured['model']}")
    print(
        "ours: through the gateway's /api/chat"
        + ("; stock: Rasa's starter bot, straight to its REST channel" if stock else "")
    )
    print()
    our_summaries = [summarise(phase) for phase in ours.phases]
    stock_summaries = [summarise(phase) for phase in stock.phases] if stock else []
    print_phase_table(our_summaries, stock_summaries)
    for name, summaries in (("ours", our_summaries), ("stock", stock_summaries)):
        for summary in summaries:
            for kind, count in {**summary.error_kinds, **summary.degraded_kinds}.items():
                print(f"  {name}, {summary.visitors} visitors: {count} x {kind}")
    if len(our_summaries) > 1:
        print(f"\nhighest rate with p95 under {RAMP_P95_LIMIT_MS:.0f} ms:")
        for name, summaries in (("ours", our_summaries), ("stock", stock_summaries)):
            if summaries:
                best = sustained_rate(summaries)
                print(f"  {name}: " + (f"{best.per_second:.1f} msg/s at {best.visitors} visitors" if best else "none"))
    print(
        f"\nenquiries: {leads.enquiries} played, {leads.confirmed} confirmed with a reference, "
        f"{leads.stored} leads stored; lost {len(leads.lost)}, duplicated {len(leads.duplicated)}, "
        f"stored without a confirmation {len(leads.unconfirmed)}, told 'could not save' {leads.store_failed}"
    )
    for reason, count in leads.gave_up.items():
        print(f"  gave up {count} x: {reason}")
    print("\nprocess               RSS MiB at end   peak RSS MiB   child processes   CPU ms/msg")
    for measurement in (ours, stock) if stock else (ours,):
        cpu = cpu_ms_by_process(measurement.phases)
        for process in measurement.memory:
            print(
                f"  {process.name:<20}{process.rss_mib:>15,.0f}{process.peak_mib:>15,.0f}{process.children:>18}"
                f"{_number(cpu.get(process.name), 1):>13}"
            )
    if stock:
        per_server = ratio(peak_per_rasa_server(ours.memory), peak_per_rasa_server(stock.memory))
        print(f"  peak RSS per Rasa server, ours/stock: {_number(per_server, 2)}")
    print("\ntargets:")
    for name, met, measured in report["targets"]:
        verdict = "n/a " if met is None else ("met " if met else "MISSED")
        print(f"  {verdict:<7}{name}: {measured}")


def phase_record(phase: Phase) -> dict[str, Any]:
    return {
        "summary": asdict(summarise(phase)),
        "messages": [
            {
                "at_s": round(message.started - phase.started, 3),
                "ms": round(message.turn.seconds * 1000, 1),
                "error": message.turn.error,
                "degraded": degraded_kind(message.turn),
            }
            for message in phase.messages
        ],
        "visits": [
            {
                "kind": visit.kind,
                "sent": [turn.sent for turn in visit.turns],
                "reference": visit.reference,
                "gave_up": visit.gave_up,
            }
            for visit in phase.visits
        ],
    }


def measurement_record(measurement: Measurement) -> dict[str, Any]:
    return {
        "load_average_before": measurement.load_average_before,
        "phases": [phase_record(phase) for phase in measurement.phases],
        "memory": [asdict(process) for process in measurement.memory],
        "cpu_ms_per_message_by_process": cpu_ms_by_process(measurement.phases),
    }


# --- main ----------------------------------------------------------------------------------------


def check_can_start(args: argparse.Namespace) -> None:
    if not MODEL.exists():
        raise BenchSetupError(f"no trained model at {MODEL.relative_to(ROOT)}: run `make train`")
    ports = [*RASA_PORTS[: args.rasa_servers], *ACTION_PORTS[: args.rasa_servers], GATEWAY_PORT]
    busy = busy_ports([*ports, *([] if args.no_baseline else [STOCK_PORT])])
    if busy:
        raise BenchSetupError(f"ports already in use: {', '.join(map(str, busy))} (another bench still running?)")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args, plan = parse_args(argv)
    command = shlex.join([os.path.relpath(sys.executable, ROOT), "-m", "bench.load", *argv])
    machine = machine_description()
    run_id = uuid.uuid4().hex[:8]
    var_dir = Path(tempfile.mkdtemp(prefix=f"bench-load-{run_id}-"))
    try:
        check_can_start(args)
        measured = what_was_measured()
        # The starter bot is trained before anything is measured, so its training never competes.
        stock_model = None if args.no_baseline else ensure_stock_bot(STOCK_BOT_DIR)
        ours, leads = measure_our_stack(args, plan, var_dir / "ours", run_id)
        stock = None
        if stock_model is not None:
            # Only after our stack has stopped, so the two never compete. A ramp plays at least the
            # steps ours played, then goes on to the stock bot's own limit.
            same_load = replace(plan, min_steps=len(ours.phases))
            stock = measure_stock_bot(args, same_load, stock_model, var_dir / "stock", run_id)
    except (BenchSetupError, StackError, StockBotError) as error:
        print(f"error: {error}\n(logs kept in {var_dir})", file=sys.stderr)
        return 1
    our_summaries = [summarise(phase) for phase in ours.phases]
    report = {
        "command": command,
        "run_id": run_id,
        "options": {**{k: v for k, v in vars(args).items() if k != "json"}, "plan": asdict(plan)},
        "measured": measured,
        "machine": {**machine, "load_average_after": [round(value, 2) for value in os.getloadavg()]},
        "ours": {**measurement_record(ours), "leads": asdict(leads)},
        "stock": measurement_record(stock) if stock else None,
        "targets": target_verdicts(plan, our_summaries, leads, ours.memory, args.rasa_servers),
    }
    print_report(report, ours, stock, leads)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n")
        print(f"\nraw figures written to {args.json}")
    shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
