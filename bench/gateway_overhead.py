"""What the gateway adds to each message, measured side by side.

    .venv/bin/python bench/gateway_overhead.py [--questions 200]

Starts Rasa, the action server and the gateway (ports 26005/26055/26080,
throwaway stores, rate limits raised for the run), then sends the same
questions alternately straight to Rasa's REST channel and through the
gateway's /api/chat, one at a time, and prints median / p95 of each and
of the difference.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.rest_latency import VISIT_LENGTH, percentile, post, questions  # noqa: E402
from bot.runtime.stack import Stack, latest_model, process_specs  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    model = latest_model(ROOT / "models")
    if model is None:
        print("error: no model; run `make train`", file=sys.stderr)
        return 2
    var = Path(tempfile.mkdtemp(prefix="bench-gateway-"))
    env = {
        "BOT_VAR_DIR": str(var),
        "RASA_URL": "http://127.0.0.1:26005",
        "ACTION_SERVER_URL": "http://127.0.0.1:26055",
        "GATEWAY_HOST": "127.0.0.1",
        "GATEWAY_PORT": "26080",
        "GATEWAY_IP_RATE_PER_MINUTE": "100000",
        "GATEWAY_IP_BURST": "100000",
        "GATEWAY_CONVERSATION_RATE_PER_MINUTE": "100000",
        "GATEWAY_CONVERSATION_BURST": "100000",
    }
    settings = Settings.from_env(env)
    upgrade(settings.database_url)
    texts = questions(args.questions)
    rest_url = f"{settings.rasa_url}/webhooks/rest/webhook"
    chat_url = "http://127.0.0.1:26080/api/chat"
    with Stack(process_specs(settings, model), settings, {**os.environ, **env}):
        post(rest_url, {"sender": "warm-up", "message": "hello"})
        direct, gateway = [], []
        for number, text in enumerate(texts):
            if number % VISIT_LENGTH == 0:  # a new visitor every few questions
                sender = f"bench-{uuid.uuid4().hex}"
                conversation = post(chat_url, {"message": "hello"})["conversation_id"]
            started = time.perf_counter()
            post(rest_url, {"sender": sender, "message": text})
            direct.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            post(chat_url, {"message": text, "conversation_id": conversation})
            gateway.append((time.perf_counter() - started) * 1000)
    added = [g - d for g, d in zip(gateway, direct, strict=True)]
    for name, values in (("straight to Rasa", direct), ("through the gateway", gateway)):
        print(f"{name}: median {statistics.median(values):.1f} ms, p95 {percentile(values, 0.95):.1f} ms")
    print(
        f"gateway adds: median {statistics.median(gateway) - statistics.median(direct):.1f} ms "
        f"(paired median {statistics.median(added):.1f} ms) over {len(texts)} questions"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
