"""Rasa on the scale-out stores, switched by environment variables only:
PostgreSQL tracker store and Redis lock store. A
restart of Rasa loses no conversation: the follow-up still knows the field
the visitor asked about before the restart."""

from __future__ import annotations

import os
import threading

import pytest
import redis
import yaml
from sqlalchemy import create_engine, text

from bot.settings import Settings
from bot.stack import Stack, latest_model, process_specs
from tests.e2e.conftest import Visitor
from tests.services import service_unavailable, throwaway_postgres_database

pytestmark = [pytest.mark.e2e, pytest.mark.services]

REDIS_URL = "redis://127.0.0.1:6379/7"


@pytest.fixture(scope="module")
def tracker_database():
    with throwaway_postgres_database("tracker_test") as url:
        yield url


@pytest.fixture(scope="module")
def redis_client():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        service_unavailable(f"Redis at {REDIS_URL} is not reachable ({type(error).__name__})")
    yield client
    client.close()


@pytest.fixture(scope="module")
def scaled_stack(tracker_database, redis_client, tmp_path_factory, project_root):
    env = {
        "BOT_VAR_DIR": str(tmp_path_factory.mktemp("scale-out")),
        "RASA_URL": "http://127.0.0.1:16005",
        "ACTION_SERVER_URL": "http://127.0.0.1:16055",
        "TRACKER_STORE_URL": tracker_database,
        "REDIS_URL": REDIS_URL,
    }
    settings = Settings.from_env(env)
    model = latest_model(project_root / "models")
    with Stack(process_specs(settings, model, ("rasa", "actions")), settings, {**os.environ, **env}) as stack:
        yield stack, settings


def test_conversation_lives_in_postgres_and_survives_a_rasa_restart(scaled_stack, tracker_database, project_root):
    stack, settings = scaled_stack
    responses = yaml.safe_load((project_root / "data" / "responses.yml").read_text())["responses"]
    visitor = Visitor(settings.rasa_url)
    visitor.say("tell me about medical administration")

    engine = create_engine(tracker_database)
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :sender AND type_name = 'user'"),
            {"sender": visitor.sender},
        ).scalar()
    engine.dispose()
    assert stored == 1

    stack.restart("Rasa server")
    assert responses["utter_careers_ma"][0]["text"] in visitor.text("and what jobs could I get?")


def test_rasa_takes_its_conversation_locks_in_redis(scaled_stack, redis_client):
    _, settings = scaled_stack
    visitor = Visitor(settings.rasa_url)
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
    assert visitor.say("hello")
    watcher.join(15)
    key = f"britishacademy:lock:{visitor.sender}"
    assert any(command.startswith("SET") and key in command for command in seen), seen[-5:]
    assert any(command.startswith("DEL") and key in command for command in seen), seen[-5:]
