"""Live handoff: how long a staff reply takes to reach the visitor's event stream (issue 16 asks for 2 s).

    .venv/bin/python bench/handoff_latency.py [--replies 30] [--poll 0.5]

Starts the real gateway (``python -m bot serve``) on a throwaway SQLite
database, in front of the handoff tests' stand-in for Rasa (REST channel plus
the tracker-events API, writing Rasa's ``events`` table), hands a
conversation over, opens the visitor's stream (``GET /api/chat/events``) and
signs in as staff. Each reply is timed from just before the console's POST
until its ``event: message`` arrives on the stream. Prints median, p95 and
max in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.handoff.store import HandoffStore  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.staff.accounts import StaffAccounts  # noqa: E402
from bot.storage.engine import create_engine_for, session_factory  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from tests.browser.gateway_process import free_port, gateway_env, start_gateway, stop_gateway  # noqa: E402
from tests.handoff.fake_rasa import TOKEN, FakeRasaWithApi  # noqa: E402

EMAIL, PASSWORD = "sam@example.org", "bench password 123"


def stream_arrivals(url: str, arrivals: dict[str, float], ready: threading.Event) -> None:
    with requests.get(url, stream=True, timeout=(5, 120)) as response:
        ready.set()
        event = None
        for line in response.iter_lines(decode_unicode=True):
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "message":
                arrivals[json.loads(line[6:])["text"]] = time.perf_counter()
            elif line.startswith("data: ") and event == "state" and json.loads(line[6:])["state"] == "bot":
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=30)
    parser.add_argument("--poll", type=float, default=0.5, help="HANDOFF_POLL_SECONDS for the gateway")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="handoff-bench-"))
    settings = Settings.from_env({"BOT_VAR_DIR": str(var_dir)})
    upgrade(settings.database_url)
    engine = create_engine_for(settings.database_url)
    sessions = session_factory(engine)
    StaffAccounts(sessions).add(EMAIL, PASSWORD)
    rasa = FakeRasaWithApi(settings.tracker_store_url, HandoffStore(sessions)).start()
    env = gateway_env(
        var_dir,
        free_port(),
        RASA_URL=rasa.url,
        RASA_API_TOKEN=TOKEN,
        STAFF_COOKIE_SECURE="false",
        HANDOFF_POLL_SECONDS=str(args.poll),
        GATEWAY_IP_BURST="1000",
        GATEWAY_CONVERSATION_BURST="1000",
    )
    env.pop("DATABASE_URL", None)
    env.pop("TRACKER_STORE_URL", None)
    url, process = start_gateway(env, var_dir)
    try:
        visitor = requests.post(f"{url}/api/chat", json={"message": "may I talk to a person?"}, timeout=10).json()
        staff = requests.Session()
        page = staff.get(f"{url}/console/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        staff.post(
            f"{url}/console/login",
            data={"csrf_token": token, "email": EMAIL, "password": PASSWORD, "next": "/console/inbox"},
        )
        inbox = staff.get(f"{url}/console/inbox").text
        handoff_id = re.search(r'href="/console/inbox/(\d+)"', inbox).group(1)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', inbox).group(1)

        arrivals: dict[str, float] = {}
        ready = threading.Event()
        reader = threading.Thread(
            target=stream_arrivals, args=(url + visitor["handoff"]["events_url"], arrivals, ready), daemon=True
        )
        reader.start()
        ready.wait(10)
        latencies = []
        for number in range(args.replies):
            text = f"Reply number {number}"
            sent = time.perf_counter()
            staff.post(f"{url}/console/inbox/{handoff_id}/reply", data={"csrf_token": csrf, "text": text})
            while text not in arrivals and time.perf_counter() - sent < 10:
                time.sleep(0.005)
            latencies.append((arrivals.get(text, float("inf")) - sent) * 1000)
            time.sleep(0.137)  # replies at different points of the poll cycle
        staff.post(f"{url}/console/inbox/{handoff_id}/hand-back", data={"csrf_token": csrf})
        reader.join(10)
    finally:
        stop_gateway(process)
        rasa.stop()
        engine.dispose()
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"staff reply -> visitor's stream, {len(ordered)} replies, poll {args.poll} s (ms):")
    print(f"  median {statistics.median(ordered):.0f}  p95 {p95:.0f}  max {ordered[-1]:.0f}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
