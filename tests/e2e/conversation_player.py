"""Plays the multi-turn conversation set (tests/e2e/conversations.yml) through Rasa's REST channel.

Each dialogue is typed turn by turn by a fresh sender; only the last reply is
judged: every phrase in ``require`` must be in it, at least one phrase of
each list in ``require_any``, and none in ``forbid`` (case-insensitive; the
reply is its texts plus its button titles and payloads).

Used by tests/e2e/test_conversations.py (``make test``). For a run against a
model of your own, on private ports:

    .venv/bin/python -m tests.e2e.conversation_player --model /tmp/my-models/my.tar.gz
    .venv/bin/python -m tests.e2e.conversation_player --rasa-url http://127.0.0.1:5005   # servers already up
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.e2e.rest_channel import Send, rest_sender

CONVERSATIONS = Path(__file__).resolve().parent / "conversations.yml"
MIN_PASS_RATE = 0.90
WORKERS = 4


@dataclass(frozen=True)
class Dialogue:
    id: str
    kind: str
    turns: tuple[str, ...]
    require: tuple[str, ...] = ()
    require_any: tuple[tuple[str, ...], ...] = ()
    forbid: tuple[str, ...] = ()


@dataclass
class Played:
    dialogue: Dialogue
    sender: str
    replies: list[list[dict]] = field(default_factory=list)
    error: str | None = None

    @property
    def last_reply(self) -> str:
        return reply_text(self.replies[-1]) if self.replies else ""

    def transcript(self) -> str:
        lines = []
        for turn, reply in zip(self.dialogue.turns, self.replies, strict=False):
            lines.append(f"  visitor: {turn}")
            lines.append(f"  bot: {reply_text(reply)}")
        if self.error:
            lines.append(f"  error: {self.error}")
        return "\n".join(lines)


def _strings(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)  # type: ignore[union-attr]


def load(path: Path = CONVERSATIONS) -> list[Dialogue]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    dialogues = []
    for item in document["conversations"]:
        expect = item.get("expect") or {}
        dialogues.append(
            Dialogue(
                id=str(item["id"]),
                kind=str(item.get("kind", "")),
                turns=_strings(item["turns"]),
                require=_strings(expect.get("require")),
                require_any=tuple(_strings(group) for group in expect.get("require_any") or []),
                forbid=_strings(expect.get("forbid")),
            )
        )
    ids = [d.id for d in dialogues]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"{path}: duplicate ids {duplicates}")
    return dialogues


def reply_text(messages: list[dict]) -> str:
    """What the visitor sees: the texts, then button titles and payloads in brackets."""
    parts = []
    for message in messages:
        if message.get("text"):
            parts.append(str(message["text"]))
        for button in message.get("buttons") or []:
            parts.append(f"[{button.get('title', '')} {button.get('payload', '')}]")
    return " ".join(parts)


def judge(dialogue: Dialogue, reply: str) -> list[str]:
    """What is wrong with the last reply (empty: it passes)."""
    lowered = reply.lower()
    problems = [f"missing {p!r}" for p in dialogue.require if p.lower() not in lowered]
    for group in dialogue.require_any:
        if not any(p.lower() in lowered for p in group):
            problems.append(f"missing one of {list(group)!r}")
    problems += [f"has forbidden {p!r}" for p in dialogue.forbid if p.lower() in lowered]
    return problems


def play(dialogue: Dialogue, send: Send, sender: str) -> Played:
    played = Played(dialogue, sender)
    try:
        for turn in dialogue.turns:
            played.replies.append(send(turn))
    except Exception as error:  # a dead server fails the dialogue, not the whole run
        played.error = f"{type(error).__name__}: {error}"
    return played


@dataclass
class Report:
    results: list[tuple[Played, list[str]]]

    @property
    def failures(self) -> list[tuple[Played, list[str]]]:
        return [(p, problems) for p, problems in self.results if problems]

    @property
    def passed(self) -> int:
        return len(self.results) - len(self.failures)

    @property
    def rate(self) -> float:
        return self.passed / max(len(self.results), 1)

    def summary(self) -> str:
        return f"conversations: {len(self.results)} dialogues, {self.passed} passed ({100 * self.rate:.1f}%)"

    def by_kind(self) -> str:
        kinds: dict[str, list[int]] = {}
        for played, problems in self.results:
            counts = kinds.setdefault(played.dialogue.kind or "-", [0, 0])
            counts[0] += 1
            counts[1] += not problems
        return ", ".join(f"{kind} {ok}/{total}" for kind, (total, ok) in sorted(kinds.items()))

    def details(self, limit: int | None = None) -> str:
        blocks = []
        for played, problems in self.failures[:limit]:
            blocks.append(
                f"--- {played.dialogue.id} ({played.dialogue.kind}, sender {played.sender}): {'; '.join(problems)}\n"
                + played.transcript()
            )
        return "\n".join(blocks)


def run(rasa_url: str, dialogues: list[Dialogue] | None = None, workers: int = WORKERS) -> Report:
    dialogues = load() if dialogues is None else dialogues
    batch = uuid.uuid4().hex[:8]

    def one(dialogue: Dialogue) -> tuple[Played, list[str]]:
        sender = f"conv-{batch}-{dialogue.id}"
        played = play(dialogue, rest_sender(rasa_url, sender), sender)
        problems = [played.error] if played.error else judge(dialogue, played.last_reply)
        return played, problems

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return Report(list(pool.map(one, dialogues)))


def _run_with_model(model: Path, port: int, dialogues: list[Dialogue]) -> Report:
    """Start Rasa and the action server on private ports with ``model``, play, stop."""
    from bot.runtime.stack import Stack, process_specs
    from bot.settings import Settings

    var = Path(tempfile.mkdtemp(prefix="conversations-"))
    settings = Settings.from_env(
        {
            "BOT_VAR_DIR": str(var),
            "RASA_URL": f"http://127.0.0.1:{port}",
            "ACTION_SERVER_URL": f"http://127.0.0.1:{port + 50}",
        }
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TRACKER_STORE_URL", "REDIS_URL")}
    env.update(
        {"BOT_VAR_DIR": str(var), "RASA_URL": settings.rasa_url, "ACTION_SERVER_URL": settings.action_server_url}
    )
    with Stack(process_specs(settings, model, ("rasa", "actions")), settings, env):
        return run(settings.rasa_url, dialogues)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--model", type=Path, help="start Rasa and actions with this model on private ports")
    where.add_argument("--rasa-url", help="servers already running at this URL")
    parser.add_argument("--port", type=int, default=25005, help="Rasa port with --model (actions: port + 50)")
    parser.add_argument("--show", type=int, default=30, help="failures to print")
    parser.add_argument(
        "--conversations", type=Path, default=CONVERSATIONS, help="the set to play (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    dialogues = load(args.conversations)
    report = _run_with_model(args.model, args.port, dialogues) if args.model else run(args.rasa_url, dialogues)
    print(report.details(args.show))
    print(report.by_kind())
    print(report.summary())
    return 0 if report.rate >= MIN_PASS_RATE else 1


if __name__ == "__main__":
    sys.exit(main())
