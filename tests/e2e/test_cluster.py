"""Rasa's scale-out model for real: two Rasa servers, two action servers and the
gateway, on a PostgreSQL tracker store, Redis locks and leads in PostgreSQL,
switched by environment variables only. Then the faults: servers killed
during a burst of conversations, and the database cut off.

The database URLs point through a proxy (tests/faults.py) so the tests can
cut PostgreSQL off from the processes without stopping the shared server.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid
from collections import Counter

import aiohttp
import pytest
import yaml
from sqlalchemy import create_engine, text

from bench.visitors import ChatClient, Visitor
from bot.runtime.stack import Stack, latest_model, process_specs
from bot.settings import Settings
from bot.storage.migrate import upgrade
from tests.browser.gateway_process import free_ports
from tests.conftest import STACK_TODAY
from tests.e2e.conftest import Visitor as RestVisitor
from tests.faults import BlockableProxy
from tests.services import reachable_redis, throwaway_postgres_database

pytestmark = [pytest.mark.e2e, pytest.mark.services]

REDIS_URL = "redis://127.0.0.1:6379/7"
# Free ports, chosen at import: two test runs on one machine never collide.
_PORTS = free_ports(5)
RASA_URLS = tuple(f"http://127.0.0.1:{port}" for port in _PORTS[:2])
ACTION_URLS = tuple(f"http://127.0.0.1:{port}" for port in _PORTS[2:4])
GATEWAY_PORT = _PORTS[4]
GATEWAY = f"http://127.0.0.1:{GATEWAY_PORT}"


@pytest.fixture(scope="module")
def redis_client():
    with reachable_redis(REDIS_URL) as client:
        yield client


@pytest.fixture(scope="module")
def database():
    with throwaway_postgres_database("cluster_test") as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="module")
def tracker_proxy():
    with BlockableProxy("127.0.0.1", 5432) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def leads_proxy():
    with BlockableProxy("127.0.0.1", 5432) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def cluster(database, tracker_proxy, leads_proxy, redis_client, tmp_path_factory, project_root):
    env = {
        "BOT_VAR_DIR": str(tmp_path_factory.mktemp("cluster")),
        "RASA_URL": ",".join(RASA_URLS),
        "ACTION_SERVER_URL": ",".join(ACTION_URLS),
        "GATEWAY_PORT": str(GATEWAY_PORT),
        "TRACKER_STORE_URL": tracker_proxy.proxied(database),
        "DATABASE_URL": leads_proxy.proxied(database),
        "REDIS_URL": REDIS_URL,
        # Every simulated visitor comes from 127.0.0.1: per-IP limits would throttle the burst.
        "GATEWAY_IP_RATE_PER_MINUTE": "100000",
        "GATEWAY_IP_BURST": "10000",
        "BOT_TODAY": STACK_TODAY,
    }
    settings = Settings.from_env(env)
    model = latest_model(project_root / "models")
    # Two Rasa servers load their models side by side on two cores: give them longer.
    with Stack(process_specs(settings, model), settings, {**os.environ, **env}, start_timeout=480) as stack:
        yield stack


def count(database: str, sql: str, **params) -> int:
    engine = create_engine(database)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def leads_per_email(database: str, pattern: str) -> Counter:
    engine = create_engine(database)
    try:
        with engine.connect() as connection:
            sql = text("SELECT email, count(*) FROM leads WHERE email LIKE :pattern GROUP BY email")
            return Counter(dict(connection.execute(sql, {"pattern": pattern}).all()))
    finally:
        engine.dispose()


def responses(project_root) -> dict:
    return yaml.safe_load((project_root / "data" / "responses.yml").read_text())["responses"]


class AlternatingVisitor(RestVisitor):
    """One conversation whose messages go to each Rasa server in turn."""

    def __init__(self, urls: tuple[str, ...]):
        super().__init__(urls[0])
        self.urls = [f"{url}/webhooks/rest/webhook" for url in urls]
        self.turn = 0

    def say(self, text: str) -> list[dict]:
        self.url = self.urls[self.turn % len(self.urls)]
        self.turn += 1
        return super().say(text)


# --- the shared stores ------------------------------------------------------------


def test_the_conversation_is_in_postgres_and_the_locks_in_redis(cluster, database, redis_client):
    visitor = RestVisitor(RASA_URLS[0])
    seen: list[str] = []
    ready = threading.Event()

    def watch() -> None:
        with redis_client.monitor() as monitor:
            ready.set()
            for command in monitor.listen():
                seen.append(command["command"])
                if "DEL" in command["command"] and visitor.sender in command["command"]:
                    return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    ready.wait(5)
    assert visitor.say("tell me about medical administration")
    watcher.join(15)

    key = f"britishacademy:lock:{visitor.sender}"
    assert any(command.startswith("SET") and key in command for command in seen), seen[-5:]
    assert any(command.startswith("DEL") and key in command for command in seen), seen[-5:]
    stored = "SELECT count(*) FROM events WHERE sender_id = :sender AND type_name = 'user'"
    assert count(database, stored, sender=visitor.sender) == 1


def test_a_form_keeps_its_state_across_alternating_rasa_servers(cluster, database):
    visitor = AlternatingVisitor(RASA_URLS)
    assert "Before I take any details" in visitor.text("I'd like to make an enquiry")  # server 1
    assert "name" in visitor.text("yes, I agree").lower()  # server 2
    assert "email" in visitor.text("Amara Okafor").lower()  # server 1
    assert "phone" in visitor.text("amara.okafor@example.org").lower()  # server 2
    visitor.say("skip")
    answer = visitor.text("healthcare leadership")
    while "This is what I'll send" not in answer:  # optional questions, on whichever server
        answer = visitor.text("skip")
        assert visitor.turn < 12, answer
    assert "amara.okafor@example.org" in answer and "Amara Okafor" in answer
    received = visitor.text("yes, send it")
    reference = received.split("reference is ")[1].split(".")[0]

    assert count(database, "SELECT count(*) FROM leads WHERE reference = :r", r=reference) == 1


def test_the_gateway_spreads_one_conversation_over_both_rasa_servers(cluster, database, project_root):
    async def visit() -> list[str]:
        async with aiohttp.ClientSession() as session:
            client = ChatClient(session, GATEWAY)
            first = await client.say("what is medical administration?")
            second = await client.say("and what jobs could I get?")
            return [first.text, second.text, client.conversation_id]

    overview, careers, _ = asyncio.run(visit())
    said = responses(project_root)
    assert said["utter_overview_ma"][0]["text"] in overview
    # Round-robin put the follow-up on the other server, which still knew the field asked about.
    assert said["utter_careers_ma"][0]["text"] in careers


# --- faults -------------------------------------------------------------------------


class Burst:
    """Visitors making enquiries through the gateway until told to stop."""

    def __init__(self, visitors: int):
        self.visitors = visitors
        self.stop = threading.Event()
        self.visits = []
        self.run_id = uuid.uuid4().hex[:8]

    async def _visitor(self, number: int, session: aiohttp.ClientSession) -> None:
        visit_number = 0
        while not self.stop.is_set():
            visit_number += 1
            player = Visitor(ChatClient(session, GATEWAY), think=0.3)
            email = f"burst-{self.run_id}-{number}-{visit_number}@example.org"
            # Up to a minute of apologies: longer than a dead server's conversation lock lasts.
            # A name has no digits: the form reads "Visitor 3" as something else.
            name = f"Visitor {'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[number % 26]}"
            self.visits.append(await player.enquiry(name, email, retries=30))

    async def _run(self) -> None:
        async with aiohttp.ClientSession() as session:
            await asyncio.gather(*(self._visitor(n, session) for n in range(self.visitors)))

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=asyncio.run, args=(self._run(),), daemon=True)
        thread.start()
        return thread


@pytest.mark.timeout(600)  # a burst with servers killed and restarted: about 100 s on a quiet machine
def test_a_burst_survives_servers_killed_and_restarted(cluster, database):
    # A form half-filled on server 1 just before it dies, to be continued there after its restart.
    half_filled = RestVisitor(RASA_URLS[0])
    half_filled.say("I'd like to make an enquiry")
    assert "name" in half_filled.text("yes, I agree").lower()

    burst = Burst(visitors=6)
    thread = burst.start()
    time.sleep(8)
    cluster.kill("Rasa server 1")
    time.sleep(8)
    cluster.kill("Action server 1")
    time.sleep(8)
    cluster.restart("Action server 1")
    cluster.restart("Rasa server 1")  # a minute or two: the burst goes on meanwhile on server 2
    time.sleep(8)
    burst.stop.set()
    thread.join(180)
    assert not thread.is_alive()

    visits = burst.visits
    turns = [turn for visit in visits for turn in visit.turns]
    # Nobody saw an error page or a broken answer: at worst, the gateway's apology.
    assert [(turn.sent, turn.error) for turn in turns if turn.error] == []
    assert [visit.gave_up for visit in visits if visit.gave_up] == []
    confirmed = [visit for visit in visits if visit.reference]
    assert len(confirmed) >= 6

    # Every enquiry a visitor was told was received is stored, exactly once; none twice.
    per_email = leads_per_email(database, f"burst-{burst.run_id}-%")
    assert {visit.email: per_email[visit.email] for visit in confirmed} == {visit.email: 1 for visit in confirmed}
    assert max(per_email.values()) == 1
    for visit in confirmed:
        sql = "SELECT count(*) FROM leads WHERE reference = :r AND email = :e"
        assert count(database, sql, r=visit.reference, e=visit.email) == 1

    # The restarted server picks the half-filled form up where it was: next, the email.
    assert "email" in half_filled.text("Tomasz Nowak").lower()


def test_leads_database_cut_off_gives_the_honest_message_then_recovers(cluster, database, leads_proxy):
    visitor = RestVisitor(RASA_URLS[1])
    visitor.say("I'd like to make an enquiry")
    visitor.say("yes, I agree")
    visitor.say("Ines Duarte")
    visitor.say("ines.duarte@example.org")
    visitor.say("skip")
    answer = visitor.text("healthcare leadership")
    while "This is what I'll send" not in answer:
        answer = visitor.text("skip")

    leads_proxy.block()
    try:
        failed = visitor.say("yes, send it")
    finally:
        leads_proxy.unblock()
    failed_text = " ".join(message.get("text", "") for message in failed)
    assert "couldn't save your enquiry" in failed_text and "nothing is lost" in failed_text
    assert {"title": "Try again", "payload": "/retry_enquiry"} in [b for m in failed for b in m.get("buttons", [])]
    assert leads_proxy.refused > 0
    assert count(database, "SELECT count(*) FROM leads WHERE email = 'ines.duarte@example.org'") == 0

    received = visitor.text("/retry_enquiry")
    assert "reference is" in received
    assert count(database, "SELECT count(*) FROM leads WHERE email = 'ines.duarte@example.org'") == 1


def test_tracker_database_cut_off_gives_the_apology_then_the_conversation_goes_on(cluster, tracker_proxy, project_root):
    said = responses(project_root)

    async def talk() -> tuple:
        async with aiohttp.ClientSession() as session:
            client = ChatClient(session, GATEWAY)
            before = await client.say("what is healthcare management?")
            tracker_proxy.block()
            try:
                during = await client.say("and what jobs could I get?")
            finally:
                tracker_proxy.unblock()
            after = await client.say("and what jobs could I get?")
            return before, during, after

    before, during, after = asyncio.run(talk())
    assert said["utter_overview_hm"][0]["text"] in before.text
    # Rasa cannot read the conversation: an apology, not an answer from a conversation started afresh.
    assert during.degraded and not during.error
    assert during.text.startswith("Sorry, I couldn't put an answer together just now")
    assert tracker_proxy.refused > 0
    # The same conversation, still about healthcare management.
    assert said["utter_careers_hm"][0]["text"] in after.text
