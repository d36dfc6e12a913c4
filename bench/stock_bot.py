"""Rasa's stock starter bot (``rasa init``), the baseline of the load benchmark.

It shows what plain Rasa costs per message on the same machine: the starter
bot's own pipeline, in-memory tracker and lock stores, no custom actions, and
no gateway in front (messages go straight to its REST channel). It does not
understand the academy's questions, which does not matter here: every message
still goes through NLU, the policies and the tracker.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp

from bench.visitors import ENQUIRY_OPENERS, Turn, Visit, Visitor, enquiry_answers
from bot.runtime.stack import ProcessSpec, latest_model
from bot.settings import Settings

INIT_TIMEOUT_SECONDS = 1800  # training the starter bot takes 1-2 min on a quiet machine, much longer when busy


class StockBotError(RuntimeError):
    """The starter bot could not be created or trained."""


def ensure_stock_bot(project_dir: Path) -> Path:
    """The starter bot's model, created with ``rasa init`` the first time and reused afterwards."""
    model = latest_model(project_dir / "models") if (project_dir / "models").is_dir() else None
    if model is not None:
        return model
    project_dir.mkdir(parents=True, exist_ok=True)
    print(f"Creating Rasa's starter bot in {project_dir} (rasa init, trains a model once) ...", flush=True)
    log_path = project_dir / "init.log"
    with open(log_path, "wb") as log:
        finished = subprocess.run(
            [sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(project_dir)],
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=INIT_TIMEOUT_SECONDS,
            check=False,
        )
    model = latest_model(project_dir / "models") if (project_dir / "models").is_dir() else None
    if finished.returncode != 0 or model is None:
        raise StockBotError(f"rasa init failed (exit code {finished.returncode}); see {log_path}")
    return model


def stock_bot_settings(project_dir: Path, var_dir: Path) -> Settings:
    """Settings for ``Stack``: the starter bot's directory as the working directory, logs under ``var_dir``."""
    return Settings(project_root=project_dir, var_dir=var_dir, models_dir=project_dir / "models")


def stock_bot_spec(model: Path, port: int) -> ProcessSpec:
    """``rasa run`` as the starter bot ships: its credentials.yml enables the REST channel."""
    url = f"http://127.0.0.1:{port}"
    return ProcessSpec(
        name="Stock Rasa server",
        command=[
            sys.executable,
            "-m",
            "rasa",
            "run",
            "--model",
            str(model),
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        ready_url=f"{url}/",
        public_url=f"{url}/webhooks/rest/webhook",
        env={"RASA_TELEMETRY_ENABLED": "false"},
    )


class RestChatClient:
    """Talks to a Rasa REST channel directly, in ChatClient's shape, so a ``Visitor`` can drive it."""

    def __init__(self, session: aiohttp.ClientSession, webhook_url: str, timeout: float = 30.0):
        self.session = session
        self.url = webhook_url
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.sender = f"load-{uuid.uuid4().hex}"

    async def say(self, text: str, message_id: str | None = None) -> Turn:  # noqa: ARG002 - the REST channel has no ids
        started = time.perf_counter()
        try:
            async with self.session.post(
                self.url, json={"sender": self.sender, "message": text}, timeout=self.timeout
            ) as response:
                raw = await response.read()
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            return Turn(text, 0, time.perf_counter() - started, [], [], error=type(error).__name__)
        seconds = time.perf_counter() - started
        try:
            messages: list[dict[str, Any]] = json.loads(raw)
            texts = [m["text"] for m in messages if m.get("text")]
            buttons = [b for m in messages for b in m.get("buttons", [])]
        except (ValueError, KeyError, TypeError, AttributeError):
            return Turn(text, status, seconds, [], [], error=f"HTTP {status}: not the REST channel's JSON")
        return Turn(text, status, seconds, texts, buttons)


def scripted_enquiry(name: str, email: str) -> list[str]:
    """What a visitor types through our enquiry form (not about in-house training), in the order it asks."""
    answers = enquiry_answers(name, email)
    in_house_only = ("organisation", "team_size")
    fields = [answers[slot] for slot in answers if slot not in in_house_only]
    return ["yes, I agree", *fields, "yes, send it"]  # consent first, the summary last


class ScriptedEnquiryVisitor(Visitor):
    """Sends an enquiry's answers without reading the replies: the starter bot never asks for them."""

    async def enquiry(self, name: str, email: str, max_turns: int = 30, retries: int = 6) -> Visit:  # noqa: ARG002
        visit = Visit("enquiry", email=email)
        for text in [self.rng.choice(ENQUIRY_OPENERS), *scripted_enquiry(name, email)]:
            await self._say(visit, text)
        return visit
