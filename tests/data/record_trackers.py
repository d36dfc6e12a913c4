"""Records the action tests' trackers from real conversations.

    .venv/bin/python -m tests.data.record_trackers            # every entry of recordings.yml
    .venv/bin/python -m tests.data.record_trackers enquiry_form_email ...

Starts the real Rasa server (the newest model in models/) and the real action
server on free ports, with a recording proxy between them: every request Rasa
sends to the action server passes through it, and that request holds the
tracker exactly as the action sees it. Each entry of
``tests/data/trackers/recordings.yml`` types its messages through the REST
channel, one new conversation each, and keeps the tracker of the last call to
its action. Run it after changing the domain, the forms or the NLU in a way the
action tests should see, and review the diff.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from bot.runtime.stack import Stack, latest_model, process_specs
from bot.settings import Settings
from tests.browser.gateway_process import free_port
from tests.e2e.rest_channel import rest_sender

ROOT = Path(__file__).resolve().parents[2]
TRACKERS = Path(__file__).resolve().parent / "trackers"
RECORDINGS = TRACKERS / "recordings.yml"
# What the action tests read of a message; Rasa also sends the ranking, the model id, ...
MESSAGE_FIELDS = ("text", "intent", "entities")
ENTITY_FIELDS = ("entity", "value", "start", "end", "extractor")
# The tracker fields rasa_sdk's Tracker takes (tests/conftest.py load_tracker).
TRACKER_FIELDS = ("sender_id", "slots", "latest_message", "events", "active_loop", "latest_action_name")


class RecordingError(Exception):
    """A recording could not be made: the message says which and why."""


class ActionCalls:
    """The requests Rasa sent to the action server, by conversation."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, list[dict[str, Any]]] = {}

    def add(self, call: dict[str, Any]) -> None:
        sender = (call.get("tracker") or {}).get("sender_id") or ""
        with self._lock:
            self._calls.setdefault(sender, []).append(call)

    def last(self, sender: str, action: str) -> dict[str, Any] | None:
        with self._lock:
            calls = [c for c in self._calls.get(sender, []) if c.get("next_action") == action]
        return calls[-1] if calls else None

    def actions(self, sender: str) -> list[str]:
        with self._lock:
            return [c.get("next_action") or "" for c in self._calls.get(sender, [])]


def recording_proxy(target: str, calls: ActionCalls) -> ThreadingHTTPServer:
    """An HTTP server that forwards to ``target`` and keeps each webhook request body."""

    class Handler(BaseHTTPRequestHandler):
        def _forward(self, body: bytes | None) -> None:
            request = urllib.request.Request(
                target + self.path, data=body, method=self.command, headers={"Content-Type": "application/json"}
            )
            try:
                # target is the local action server this script started (http://127.0.0.1:port).
                with urllib.request.urlopen(request, timeout=60) as response:  # nosec B310
                    status, payload = response.status, response.read()
            except urllib.error.HTTPError as error:
                status, payload = error.code, error.read()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self._forward(None)

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path.startswith("/webhook"):
                calls.add(json.loads(body))
            self._forward(body)

        def log_message(self, *_args: Any) -> None:  # quiet: the stack logs the real servers
            return

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, name="recording proxy", daemon=True).start()
    return server


def trimmed_message(message: dict[str, Any]) -> dict[str, Any]:
    """A parsed message with what the actions read, confidences rounded (they move with every training)."""
    kept = {name: message.get(name) for name in MESSAGE_FIELDS if name in message}
    intent = message.get("intent") or {}
    kept["intent"] = {"name": intent.get("name"), "confidence": round(float(intent.get("confidence") or 0.0), 2)}
    kept["entities"] = [{k: e[k] for k in ENTITY_FIELDS if k in e} for e in message.get("entities") or []]
    return kept


def trimmed_tracker(tracker: dict[str, Any], name: str) -> dict[str, Any]:
    """The tracker as the action received it, under a stable sender id."""
    events = []
    # Times stay as recorded: slots such as enquiry_run and enquiry_consent_at hold them.
    for event in tracker.get("events") or []:
        event = {k: v for k, v in event.items() if v is not None and k not in ("metadata", "input_channel")}
        if event.get("event") == "user":
            event.pop("message_id", None)
            event["parse_data"] = trimmed_message(event.get("parse_data") or {})
        if event.get("event") == "action":
            for noise in ("policy", "confidence", "hide_rule_turn", "action_text"):
                event.pop(noise, None)
        if event.get("event") == "bot":
            event["data"] = {k: v for k, v in (event.get("data") or {}).items() if v}
        events.append(event)
    state = {field: tracker.get(field) for field in TRACKER_FIELDS}
    state["sender_id"] = f"test-{name}"
    state["slots"] = {slot: value for slot, value in (tracker.get("slots") or {}).items() if value is not None}
    state["latest_message"] = trimmed_message(tracker.get("latest_message") or {})
    state["events"] = events
    state["active_loop"] = tracker.get("active_loop") or {}
    return state


def load_recordings(path: Path = RECORDINGS) -> dict[str, dict[str, Any]]:
    """The recordings file, checked: each entry has a list of messages and the action to keep."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(entries, dict):
        raise RecordingError(f"{path}: expected a mapping of tracker names to recordings")
    for name, entry in entries.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("action"), str):
            raise RecordingError(f"{path}: {name}: give the action whose tracker to keep (action: ...)")
        messages = entry.get("say")
        if not isinstance(messages, list) or not messages or not all(isinstance(m, str) for m in messages):
            raise RecordingError(f"{path}: {name}: give the messages to type as a list of strings (say: [...])")
    return entries


def record(rasa_url: str, calls: ActionCalls, name: str, entry: dict[str, Any]) -> dict[str, Any]:
    sender = f"record-{name}-{os.urandom(4).hex()}"
    send = rest_sender(rasa_url, sender)
    for text in entry["say"]:
        send(text)
    call = calls.last(sender, entry["action"])
    if call is None:
        ran = ", ".join(calls.actions(sender)) or "no custom action"
        raise RecordingError(f"{name}: {entry['action']} never ran; the conversation ran {ran}")
    return trimmed_tracker(call["tracker"], name)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="recordings to make (default: all)")
    parser.add_argument("--model", type=Path, default=None, help="model to talk to (default: newest in models/)")
    args = parser.parse_args(argv)
    try:
        recordings = load_recordings()
    except RecordingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    unknown = sorted(set(args.names) - set(recordings))
    if unknown:
        print(f"error: not in {RECORDINGS.name}: {', '.join(unknown)}", file=sys.stderr)
        return 2
    model = args.model or latest_model(ROOT / "models")
    if model is None or not model.exists():
        print("error: no trained model: run `make train` first", file=sys.stderr)
        return 2

    var = Path(tempfile.mkdtemp(prefix="record-trackers-"))
    actions_url = f"http://127.0.0.1:{free_port()}"
    calls = ActionCalls()
    proxy = recording_proxy(actions_url, calls)
    proxy_url = f"http://127.0.0.1:{proxy.server_port}"
    rasa_url = f"http://127.0.0.1:{free_port()}"
    # Rasa calls the proxy; the action server listens behind it. A fixed date keeps course replies stable.
    common = {"BOT_VAR_DIR": str(var), "BOT_TODAY": "2026-12-02", "RASA_URL": rasa_url}
    rasa_side = Settings.from_env({**common, "ACTION_SERVER_URL": proxy_url})
    actions_side = Settings.from_env({**common, "ACTION_SERVER_URL": actions_url})
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TRACKER_STORE_URL", "REDIS_URL")}
    env.update(common)
    specs = [*process_specs(actions_side, model, ("actions",)), *process_specs(rasa_side, model, ("rasa",))]
    failed = 0
    try:
        with Stack(specs, rasa_side, env):
            for name in args.names or list(recordings):
                try:
                    state = record(rasa_url, calls, name, recordings[name])
                except RecordingError as error:
                    print(f"not recorded: {error}", file=sys.stderr)
                    failed += 1
                    continue
                path = TRACKERS / f"{name}.json"
                path.write_text(json.dumps(state, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
                print(f"recorded {path.relative_to(ROOT)} ({len(state['events'])} events)")
    finally:
        proxy.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
