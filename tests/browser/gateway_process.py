"""The real gateway (``python -m bot serve``) in a subprocess, for browser tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Waiting for a process to come up is not a timed assertion: it only bounds a broken start.
STARTUP_LIMIT_SECONDS = 60


class GatewayDidNotStart(RuntimeError):
    pass


def free_ports(count: int) -> list[int]:
    """``count`` different ports nothing listens on now (all probes stay open until each has its own)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def free_port() -> int:
    return free_ports(1)[0]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def gateway_env(var_dir: Path, port: int, **settings: str) -> dict[str, str]:
    """This process's environment with the gateway's own settings on top."""
    return {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "BOT_VAR_DIR": str(var_dir),
        "GATEWAY_HOST": "127.0.0.1",
        "GATEWAY_PORT": str(port),
        **settings,
    }


def start_gateway(env: dict[str, str], var_dir: Path) -> tuple[str, subprocess.Popen]:
    """Starts the gateway with ``env`` and waits for /healthz; its log goes to var_dir/gateway.log."""
    log_path = var_dir / "gateway.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{env['GATEWAY_PORT']}"
    deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
    while not answers(f"{url}/healthz"):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_gateway(process)
            raise GatewayDidNotStart(f"the gateway did not start; see {log_path}:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.2)
    return url, process


def stop_gateway(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
