"""The handoff across several gateways on PostgreSQL and Redis (as ``make run-cluster`` runs them):
one gateway starts it, another answers from its inbox, a third (a restarted one) streams the reply."""

from __future__ import annotations

import pytest

from bot.handoff.store import HandoffStore
from bot.settings import Settings
from bot.staff.accounts import StaffAccounts
from bot.storage.engine import create_engine_for, session_factory
from bot.storage.migrate import upgrade
from bot.web.app import create_app
from tests.handoff.fake_rasa import TOKEN, FakeRasaWithApi
from tests.handoff.test_gateway_handoff import STAFF, chat, events, handoff_id_on, start_handoff
from tests.leads.builders import FakeClock
from tests.services import reachable_redis, throwaway_postgres_database
from tests.web.console.staff_client import StaffClient

pytestmark = pytest.mark.services
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def cluster(tmp_path):
    with throwaway_postgres_database("handoff_cluster") as url, reachable_redis(REDIS_URL):
        upgrade(url)
        env = {
            "BOT_VAR_DIR": str(tmp_path),
            "DATABASE_URL": url,
            "TRACKER_STORE_URL": url,  # one PostgreSQL database for both, as deploy/compose.yaml does
            "REDIS_URL": REDIS_URL,
            "RASA_API_TOKEN": TOKEN,
        }
        engine = create_engine_for(url)
        store = HandoffStore(session_factory(engine))
        StaffAccounts(session_factory(engine)).add(*STAFF)
        rasa = FakeRasaWithApi(url, store).start()
        try:
            yield env, rasa, store
        finally:
            rasa.stop()
            engine.dispose()


def gateway(env: dict[str, str], rasa: FakeRasaWithApi):
    app = create_app(Settings.from_env({**env, "RASA_URL": rasa.url}))
    app.ctx.console.clock = FakeClock()
    app.ctx.handoff_stream_seconds = 1.5
    return app


def test_a_handoff_moves_between_gateways_and_survives_a_restart(cluster):
    env, rasa, store = cluster
    first, second = gateway(env, rasa), gateway(env, rasa)
    conversation_id, started = start_handoff(first)
    staff = StaffClient(second)
    assert staff.login(*STAFF).status == 303
    handoff_id = handoff_id_on(staff.get("/console/inbox").text)
    assert staff.post(f"/console/inbox/{handoff_id}/reply", {"text": "Answered from another gateway"}).status == 303
    assert chat(first, "still there?", conversation_id).json["handoff"]["state"] == "live"

    restarted = gateway(env, rasa)  # the first gateway again, after a restart: nothing kept in memory
    stream = events(restarted, started["handoff"]["events_url"])
    assert [data["text"] for kind, _, data in stream if kind == "message"] == ["Answered from another gateway"]
    assert staff.post(f"/console/inbox/{handoff_id}/hand-back").status == 303
    assert events(restarted, started["handoff"]["events_url"])[-1][2]["state"] == "bot"
    assert store.current(rasa_sender(conversation_id)) is None


def rasa_sender(conversation_id: str) -> str:
    from bot.web.conversation_ids import ConversationIds

    return ConversationIds.sender_id(conversation_id)
