"""Starts the local processes (Rasa servers, action servers, gateway), waits
until each answers, and stops them all together.

Used by ``make run`` and by the end-to-end tests, so both exercise the same
start-up path.
"""

from __future__ import annotations

import os
import signal
import subprocess  # nosec B404
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot.courses.loading import CatalogueError, load_catalogue
from bot.private_files import PRIVATE_UMASK, private_directory, tighten
from bot.runtime.process_logs import copy_output, open_process_log
from bot.settings import Settings


class StackError(RuntimeError):
    """A process could not be started or never became ready."""


@dataclass
class ProcessSpec:
    name: str
    command: list[str]
    ready_url: str
    public_url: str
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class RunningProcess:
    spec: ProcessSpec
    popen: subprocess.Popen
    log_path: Path
    log_copier: threading.Thread | None = None
    launched_at: float = field(default_factory=time.monotonic)
    ready_after: float | None = None  # seconds from launch until it first answered (bench/startup.py)


def _port(url: str) -> str:
    return str(urlsplit(url).port)


def latest_model(models_dir: Path) -> Path | None:
    candidates = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return candidates[-1] if candidates else None


def _numbered(name: str, index: int, count: int) -> str:
    return name if count == 1 else f"{name} {index}"


def _rasa_runtime(*args: str) -> list[str]:
    """``python -m bot.runtime.rasa_runtime ...``: Rasa, or the action server, with the behaviours it adds."""
    return [sys.executable, "-m", "bot.runtime.rasa_runtime", *args]


def _rasa_spec(settings: Settings, model: Path, url: str, name: str) -> ProcessSpec:
    return ProcessSpec(
        name=name,
        command=_rasa_runtime(
            "run",
            "--model",
            str(model),
            "--interface",
            "127.0.0.1",
            "--port",
            _port(url),
            "--endpoints",
            "endpoints.yml",
            "--credentials",
            "credentials.yml",
            # Staff replies and hand-backs reach the tracker through the API (live handoff, bot/handoff);
            # bot/runtime/rasa_runtime.py adds its token, so the token never shows in the process list.
            "--enable-api",
        ),
        ready_url=f"{url}/",
        public_url=f"{url}/webhooks/rest/webhook",
        env=settings.rasa_environment(),
    )


def _actions_spec(url: str, name: str) -> ProcessSpec:
    return ProcessSpec(
        name=name,
        # rasa_sdk's own CLI, through bot.runtime.rasa_runtime: dependencies' deprecations stay out of its log.
        command=_rasa_runtime("actions", "--actions", "actions", "--port", _port(url)),
        ready_url=f"{url}/health",
        public_url=f"{url}/webhook",
        env={"SANIC_HOST": "127.0.0.1"},
    )


def _gateway_environment(settings: Settings) -> dict[str, str]:
    """Console cookies over plain HTTP on localhost cannot be Secure: off here unless configured."""
    if settings.staff_cookie_secure is None:
        return {"STAFF_COOKIE_SECURE": "true" if settings.public_base_url.startswith("https://") else "false"}
    return {}


def process_specs(
    settings: Settings, model: Path, components: Sequence[str] = ("rasa", "actions", "gateway")
) -> list[ProcessSpec]:
    """One process per Rasa server and action server that the settings list, and the gateway.

    With one of each they are named "Rasa server" and "Action server"; with several,
    "Rasa server 1", "Rasa server 2", ...
    """
    # Only compared, for the address printed: nothing binds here (the default bind is 127.0.0.1).
    local_hosts = ("0.0.0.0", "127.0.0.1")  # nosec B104
    gateway_host = "localhost" if settings.gateway_host in local_hosts else settings.gateway_host
    rasa_count, actions_count = len(settings.rasa_urls), len(settings.action_server_urls)
    specs: dict[str, list[ProcessSpec]] = {
        "rasa": [
            _rasa_spec(settings, model, url, _numbered("Rasa server", index, rasa_count))
            for index, url in enumerate(settings.rasa_urls, start=1)
        ],
        "actions": [
            _actions_spec(url, _numbered("Action server", index, actions_count))
            for index, url in enumerate(settings.action_server_urls, start=1)
        ],
        "gateway": [
            ProcessSpec(
                name="Gateway",
                command=[sys.executable, "-m", "bot", "serve"],
                ready_url=f"http://127.0.0.1:{settings.gateway_port}/healthz",
                public_url=f"http://{gateway_host}:{settings.gateway_port}/",
                env=_gateway_environment(settings),
            )
        ],
    }
    return [spec for name in components for spec in specs[name]]


def cluster_problems(settings: Settings) -> list[str]:
    """Why these settings cannot run several Rasa servers on this machine (empty: they can)."""
    problems = []
    local = ("127.0.0.1", "localhost")
    for url in (*settings.rasa_urls, *settings.action_server_urls):
        if urlsplit(url).hostname not in local or urlsplit(url).port is None:
            problems.append(f"{url}: this command starts local processes; give 127.0.0.1 and a port")
    if len(settings.rasa_urls) > 1:
        if not settings.redis_url:
            problems.append("several Rasa servers need a shared lock store: set REDIS_URL (redis://127.0.0.1:6379/0)")
        if not settings.tracker_store_url.startswith("postgresql"):
            problems.append(
                "several Rasa servers need a shared tracker store: set TRACKER_STORE_URL to a PostgreSQL URL"
            )
    return problems


def _answers(url: str) -> bool:
    try:
        # The ready URL is built from settings that only accept http(s) (bot/settings.py _server_urls).
        with urllib.request.urlopen(url, timeout=2) as response:  # nosec B310
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except (urllib.error.URLError, OSError):
        return False


class Stack:
    """The running processes; a context manager that always cleans up."""

    def __init__(
        self,
        specs: list[ProcessSpec],
        settings: Settings,
        base_env: dict[str, str] | None = None,
        start_timeout: float = 240.0,
    ):
        self.specs = specs
        self.start_timeout = start_timeout
        self.settings = settings
        self.base_env = dict(os.environ if base_env is None else base_env)
        self.running: list[RunningProcess] = []

    def process_environment(self, spec: ProcessSpec) -> dict[str, str]:
        """What a child runs with. Rasa's telemetry is off unless the operator turned it on (settings)."""
        telemetry = self.settings.telemetry_environment()
        return {**self.base_env, **spec.env, **telemetry, "PYTHONUNBUFFERED": "1"}

    def _launch(self, spec: ProcessSpec) -> RunningProcess:
        # Databases, tracker and logs hold personal data: 0600 files in 0700 folders, also for
        # what the children create (the umask), and for what an earlier version left readable.
        tighten(self.settings.var_dir)
        log_dir = private_directory(self.settings.var_dir / "log")
        log_path = log_dir / f"{spec.name.lower().replace(' ', '-')}.log"
        log = open_process_log(log_path, self.settings.log_max_bytes, self.settings.log_backups)
        # An argument list (no shell) built by process_specs from sys.executable and settings.
        popen = subprocess.Popen(  # nosec B603
            spec.command,
            cwd=self.settings.project_root,
            env=self.process_environment(spec),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us; we stop the children in order
            umask=PRIVATE_UMASK,
        )
        copier = threading.Thread(target=copy_output, args=(popen.stdout, log), name=f"log: {spec.name}", daemon=True)
        copier.start()
        return RunningProcess(spec, popen, log_path, copier)

    @staticmethod
    def _wait_ready(process: RunningProcess, deadline: float, timeout: float) -> None:
        while not _answers(process.spec.ready_url):
            if process.popen.poll() is not None:
                raise StackError(
                    f"{process.spec.name} exited with code {process.popen.returncode}; see {process.log_path}"
                )
            if time.monotonic() > deadline:
                raise StackError(f"{process.spec.name} did not answer within {timeout:.0f}s; see {process.log_path}")
            time.sleep(0.25)
        process.ready_after = time.monotonic() - process.launched_at

    @staticmethod
    def _terminate(processes: list[RunningProcess], grace: float) -> None:
        for process in processes:
            if process.popen.poll() is None:
                os.killpg(process.popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in processes:
            try:
                process.popen.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait()
        for process in processes:
            if process.log_copier is not None:
                process.log_copier.join(timeout=5)  # the last lines reach the log file

    def start(self) -> None:
        """Launch every process at once (Rasa and the action servers load side by side), then wait for all."""
        timeout = self.start_timeout
        self.running = [self._launch(spec) for spec in self.specs]
        deadline = time.monotonic() + timeout
        waiting = list(self.running)
        while waiting:
            for process in list(waiting):
                if _answers(process.spec.ready_url):
                    process.ready_after = time.monotonic() - process.launched_at
                    waiting.remove(process)
                elif process.popen.poll() is not None:
                    raise StackError(
                        f"{process.spec.name} exited with code {process.popen.returncode}; see {process.log_path}"
                    )
            if waiting and time.monotonic() > deadline:
                names = ", ".join(process.spec.name for process in waiting)
                log = waiting[0].log_path
                raise StackError(f"{names} did not answer within {timeout:.0f}s; see {log}")
            if waiting:
                time.sleep(0.25)

    def stop(self, grace: float = 15.0) -> None:
        self._terminate(list(reversed(self.running)), grace)
        self.running = []

    def process(self, name: str) -> RunningProcess:
        return next(p for p in self.running if p.spec.name == name)

    def kill(self, name: str) -> None:
        """Stop one process abruptly (fault tests)."""
        process = self.process(name)
        os.killpg(process.popen.pid, signal.SIGKILL)
        process.popen.wait()

    def restart(self, name: str) -> None:
        """Start one process again (after ``kill``) and wait until it answers."""
        timeout = self.start_timeout
        old = self.process(name)
        self._terminate([old], grace=5)
        fresh = self._launch(old.spec)
        self.running[self.running.index(old)] = fresh
        self._wait_ready(fresh, time.monotonic() + timeout, timeout)

    def __enter__(self) -> Stack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def run_forever(settings: Settings) -> int:
    """``make run``: start everything, print addresses, stop on Ctrl-C."""
    try:
        # The action server reads the catalogue at the first course question: check it before starting.
        load_catalogue(settings.project_root / "data" / "courses.yml")
    except CatalogueError as error:
        print(f"error: the course catalogue cannot be used; fix it and run again:\n{error}", file=sys.stderr)
        return 2
    model = latest_model(settings.models_dir)
    if model is None:
        print("error: no trained model in models/; run `make train` first", file=sys.stderr)
        return 2
    problems = cluster_problems(settings)
    if problems:
        print("error: cannot start these servers:\n" + "\n".join(f"  - {p}" for p in problems), file=sys.stderr)
        return 2
    stack = Stack(process_specs(settings, model), settings)
    stopping = False

    def _stop(signum, frame):  # noqa: ARG001 - signal handler signature
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    print(f"Starting with model {model.name} (logs in {settings.var_dir / 'log'}) ...", flush=True)
    try:
        stack.start()
        for process in stack.running:
            print(f"  {process.spec.name:<16} {process.spec.public_url}", flush=True)
        print(f"All {len(stack.running)} processes are up. Press Ctrl-C to stop.", flush=True)
        while not stopping:
            for process in stack.running:
                if process.popen.poll() is not None:
                    print(f"error: {process.spec.name} stopped unexpectedly; see {process.log_path}", file=sys.stderr)
                    return 1
            time.sleep(0.5)
        return 0
    except StackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        print("Stopping ...", flush=True)
        stack.stop()
        print("Stopped.", flush=True)
