"""Scripted website visitors talking to the gateway's ``POST /api/chat``.

Shared by the load benchmark (bench/load.py) and the fault tests
(tests/e2e/test_cluster.py). A visitor reads what the bot asked before it
answers, as a person would: an enquiry is played by recognising each form
question (from data/responses.yml) rather than by a fixed list of replies, so
a repeated or re-asked question after a failure is still answered sensibly.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = re.compile(r"your reference is ([A-Z0-9-]+)")

FAQ_QUESTIONS = (
    "what's the difference between healthcare management and medical administration?",
    "what does a healthcare manager actually do?",
    "which qualifications do medical administrators usually have?",
    "is an MHA or an MBA better for hospital management?",
    "what is the CMOM certification?",
    "which skills does a medical administrator need?",
    "do healthcare managers work directly with patients?",
    "where do medical administrators work?",
    "what careers can healthcare management lead to?",
    "how do I choose between the two?",
)
COURSE_QUESTIONS = (
    "do you have leadership courses in London?",
    "I'm looking for a medical coding course online",
    "any courses on healthcare finance?",
    "show me courses in medical office management",
    "what courses do you run in Dubai?",
)
OPENERS = ("hello", "hi there", "good morning")
ENQUIRY_OPENERS = (
    "I'd like to enquire about a course",
    "can I make an enquiry?",
    "I want to apply for one of your courses",
)


def enquiry_answers(name: str, email: str) -> dict[str, str]:
    """What a visitor answers to each enquiry question, by slot, in the order the form asks."""
    return {
        "name": name,
        "email": email,
        "phone": "skip",
        "interest": "healthcare leadership courses",
        "organisation": "St Mary's Clinic",  # asked about in-house training only
        "team_size": "12",  # asked about in-house training only
        "location": "London",
        "message": "skip",
    }


@dataclass
class Turn:
    """One message and what came back."""

    sent: str
    status: int  # HTTP status; 0 when no HTTP answer arrived at all
    seconds: float
    texts: list[str]
    buttons: list[dict[str, str]]
    degraded: bool = False
    error: str = ""  # set when the answer was not the chat JSON (an error page, a dropped connection)
    message_id: str = ""  # the client_message_id sent: the widget sends it again when no answer came

    @property
    def text(self) -> str:
        return " ".join(self.texts)


@dataclass
class Visit:
    """Everything one visitor sent and saw."""

    kind: str
    email: str = ""
    turns: list[Turn] = field(default_factory=list)
    reference: str | None = None  # the lead reference the bot gave, when it said the enquiry was received
    store_failed: bool = False  # the bot said it could not save the enquiry
    gave_up: str = ""  # why an enquiry did not finish

    @property
    def errors(self) -> list[Turn]:
        return [turn for turn in self.turns if turn.error]


RESPONSES = yaml.safe_load((ROOT / "data" / "responses.yml").read_text())["responses"]


def _opening(response: str) -> str:
    """The fixed first words of a response, before any {variable}."""
    return RESPONSES[response][0]["text"].split("{")[0][:40]


# The enquiry form's questions, by the slot each asks for.
ASKS = {
    name.removeprefix("utter_ask_enquiry_"): _opening(name)
    for name in RESPONSES
    if name.startswith("utter_ask_enquiry_")
}
CONSENT_QUESTION = "Before I take any details"  # action_ask_enquiry_consent (bot/enquiry.py)
CONFIRM_QUESTION = "This is what I'll send to admissions"  # action_ask_enquiry_confirm
STORE_FAILED = _opening("utter_enquiry_store_failed")
ACTION_UNAVAILABLE = _opening("utter_action_unavailable")


class ChatClient:
    """One browser tab: keeps the conversation id the gateway issued."""

    def __init__(self, session: aiohttp.ClientSession, gateway_url: str, timeout: float = 30.0):
        self.session = session
        self.url = f"{gateway_url.rstrip('/')}/api/chat"
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.conversation_id: str | None = None

    async def say(self, text: str, message_id: str | None = None) -> Turn:
        message_id = message_id or uuid.uuid4().hex
        body: dict[str, Any] = {"message": text, "client_message_id": message_id}
        if self.conversation_id:
            body["conversation_id"] = self.conversation_id
        started = time.perf_counter()
        try:
            async with self.session.post(self.url, json=body, timeout=self.timeout) as response:
                raw = await response.read()
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            error_name = type(error).__name__
            return Turn(text, 0, time.perf_counter() - started, [], [], error=error_name, message_id=message_id)
        seconds = time.perf_counter() - started
        try:
            reply = json.loads(raw)
            messages = reply["messages"]
        except (ValueError, KeyError, TypeError):
            return Turn(text, status, seconds, [], [], error=f"HTTP {status}: not the chat JSON", message_id=message_id)
        self.conversation_id = reply.get("conversation_id") or self.conversation_id
        texts = [m["text"] for m in messages if m.get("text")]
        buttons = [b for m in messages for b in m.get("buttons", [])]
        degraded = bool(reply.get("degraded"))
        return Turn(text, status, seconds, texts, buttons, degraded=degraded, message_id=message_id)


class Visitor:
    """Plays one visit of a given kind, pausing ``think`` seconds (on average) between messages."""

    def __init__(self, client: ChatClient, think: float = 1.0, rng: random.Random | None = None):
        self.client = client
        self.think = think
        self.rng = rng or random.Random()

    async def _pause(self) -> None:
        if self.think > 0:
            await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.think)

    async def _say(self, visit: Visit, text: str, message_id: str | None = None) -> Turn:
        turn = await self.client.say(text, message_id)
        visit.turns.append(turn)
        await self._pause()
        return turn

    async def faq(self, questions: int = 4) -> Visit:
        visit = Visit("faq")
        await self._say(visit, self.rng.choice(OPENERS))
        for question in self.rng.sample(FAQ_QUESTIONS, questions):
            await self._say(visit, question)
        return visit

    async def courses(self) -> Visit:
        visit = Visit("courses")
        await self._say(visit, self.rng.choice(OPENERS))
        turn = await self._say(visit, self.rng.choice(COURSE_QUESTIONS))
        details = [b["payload"] for b in turn.buttons if b["payload"].startswith("/ask_course_details")]
        if details:
            await self._say(visit, self.rng.choice(details))  # a click on one of the courses offered
        await self._say(visit, "and are there any online?")
        return visit

    async def enquiry(self, name: str, email: str, max_turns: int = 30, retries: int = 6) -> Visit:
        """A complete enquiry; ``retries`` is how many apologies the visitor sits through before leaving."""
        visit = Visit("enquiry", email=email)
        answers = enquiry_answers(name, email)
        turn = await self._say(visit, self.rng.choice(ENQUIRY_OPENERS))
        while len(visit.turns) < max_turns:
            last = turn.texts[-1] if turn.texts else ""  # the bot's question comes last
            match = REFERENCE.search(turn.text)
            if match:
                visit.reference = match.group(1)
                return visit
            if turn.error or turn.degraded or ACTION_UNAVAILABLE in turn.text or STORE_FAILED in turn.text:
                if retries == 0:
                    visit.gave_up = f"still failing after retries: {turn.error or turn.text[:80]}"
                    return visit
                retries -= 1
                await asyncio.sleep(2.0)  # a person waits a moment, then tries again
                if STORE_FAILED in turn.text:
                    visit.store_failed = True
                    reply = "/retry_enquiry"  # the "Try again" button
                elif turn.error:
                    # No answer arrived: the widget sends the same message, with the same id, again.
                    turn = await self._say(visit, turn.sent, turn.message_id)
                    continue
                else:
                    reply = turn.sent
            elif CONSENT_QUESTION in turn.text:
                reply = "yes, I agree"
            elif CONFIRM_QUESTION in last:
                reply = "yes, send it"
            else:
                slot = next((slot for slot, ask in ASKS.items() if ask in last), None)
                if slot is None:
                    visit.gave_up = f"unexpected reply: {turn.text[:160]!r}"
                    return visit
                reply = answers[slot]
            turn = await self._say(visit, reply)
        visit.gave_up = "too many turns"
        return visit
