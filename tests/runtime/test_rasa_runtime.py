"""bot.runtime.rasa_runtime: Rasa's own RemoteAction answers with an apology when the action server fails."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web
from rasa.core.actions import action as rasa_action
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot.runtime.rasa_runtime import install_action_failure_reply
from tests.conftest import ROOT

CLOSED_PORT = EndpointConfig("http://127.0.0.1:1/webhook")
APOLOGY_TEXT = (
    "Sorry, I can't look that up right now. Please try again in a moment, or contact admissions at "
    "admissions@britishacademy.example."
)


@pytest.fixture(scope="module")
def rasa_domain() -> Domain:
    return Domain.load([str(ROOT / "domain.yml"), str(ROOT / "data" / "responses.yml")])


@pytest.fixture
def nlg(rasa_domain) -> TemplatedNaturalLanguageGenerator:
    return TemplatedNaturalLanguageGenerator(rasa_domain.responses)


@pytest.fixture(autouse=True)
def restore_rasa(monkeypatch):
    """install_action_failure_reply patches Rasa globally: undo it after each test."""
    monkeypatch.setattr(RemoteAction, "run", RemoteAction.run)
    monkeypatch.setattr(rasa_action, "DEFAULT_REQUEST_TIMEOUT", rasa_action.DEFAULT_REQUEST_TIMEOUT)


def tracker(domain: Domain, requested_slot: str | None = None) -> DialogueStateTracker:
    events = [SlotSet("requested_slot", requested_slot)] if requested_slot else []
    return DialogueStateTracker.from_events("visitor-1", events, slots=domain.slots)


async def run(action: RemoteAction, domain: Domain, nlg, requested_slot: str | None = None) -> list:
    return await action.run(CollectingOutputChannel(), nlg, tracker(domain, requested_slot), domain)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def action_server() -> AsyncIterator[Callable[[Handler], Awaitable[EndpointConfig]]]:
    """Starts a tiny fake action server answering /webhook with a handler; returns its endpoint."""
    runners: list[web.AppRunner] = []

    async def start(handler: Handler) -> EndpointConfig:
        app = web.Application()
        app.router.add_post("/webhook", handler)
        runner = web.AppRunner(app, handler_cancellation=True)  # a visitor-side timeout ends a slow handler
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = runner.addresses[0][1]
        return EndpointConfig(f"http://127.0.0.1:{port}/webhook")

    yield start
    for runner in runners:
        await runner.cleanup()


async def test_without_it_rasa_raises_and_the_visitor_hears_nothing(rasa_domain, nlg):
    with pytest.raises(RasaException):
        await run(RemoteAction("action_recommend_courses", CLOSED_PORT), rasa_domain, nlg)


async def test_an_unreachable_action_server_gives_the_apology(rasa_domain, nlg):
    install_action_failure_reply(timeout=5)

    events = await run(RemoteAction("action_recommend_courses", CLOSED_PORT), rasa_domain, nlg)

    assert len(events) == 1
    (apology,) = events
    assert isinstance(apology, BotUttered)
    assert apology.text == APOLOGY_TEXT
    assert apology.data["buttons"] == [{"title": "Talk to admissions", "payload": "/request_human"}]
    assert apology.metadata["utter_action"] == "utter_action_unavailable"


async def test_a_server_error_gives_the_apology(rasa_domain, nlg, action_server):
    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=500, text="boom")

    endpoint = await action_server(broken)
    install_action_failure_reply(timeout=5)

    events = await run(RemoteAction("action_recommend_courses", endpoint), rasa_domain, nlg)

    assert [type(e) for e in events] == [BotUttered]
    assert events[0].text == APOLOGY_TEXT


async def test_a_slow_action_server_gives_the_apology_after_the_timeout(rasa_domain, nlg, action_server):
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.json_response({"events": [], "responses": []})

    endpoint = await action_server(slow)
    install_action_failure_reply(timeout=0.2)

    events = await asyncio.wait_for(run(RemoteAction("action_recommend_courses", endpoint), rasa_domain, nlg), 3)

    assert [e.text for e in events] == [APOLOGY_TEXT]


async def test_a_working_action_server_is_untouched(rasa_domain, nlg, action_server):
    async def ok(request: web.Request) -> web.Response:
        return web.json_response(
            {"events": [{"event": "slot", "name": "topic", "value": "leadership"}], "responses": [{"text": "Here."}]}
        )

    endpoint = await action_server(ok)
    install_action_failure_reply(timeout=5)

    events = await run(RemoteAction("action_recommend_courses", endpoint), rasa_domain, nlg)

    assert [type(e) for e in events] == [BotUttered, SlotSet]
    assert events[0].text == "Here."
    assert events[1] == SlotSet("topic", "leadership")


async def test_a_form_rejection_still_raises(rasa_domain, nlg, action_server):
    async def reject(request: web.Request) -> web.Response:
        body = {"action_name": "validate_enquiry_form", "error": "not this time"}
        return web.Response(status=400, text=json.dumps(body), content_type="application/json")

    endpoint = await action_server(reject)
    install_action_failure_reply(timeout=5)

    with pytest.raises(ActionExecutionRejection) as raised:
        await run(RemoteAction("validate_enquiry_form", endpoint), rasa_domain, nlg, requested_slot="enquiry_email")

    assert raised.value.action_name == "validate_enquiry_form"


async def test_a_failed_form_validation_clears_the_requested_slot(rasa_domain, nlg):
    install_action_failure_reply(timeout=5)

    events = await run(RemoteAction("validate_enquiry_form", CLOSED_PORT), rasa_domain, nlg, "enquiry_email")

    assert [type(e) for e in events] == [BotUttered, SlotSet]
    assert events[0].text == APOLOGY_TEXT
    assert events[1] == SlotSet("enquiry_email", None)


async def test_only_validation_actions_clear_the_requested_slot(rasa_domain, nlg):
    install_action_failure_reply(timeout=5)

    other = await run(RemoteAction("action_ask_enquiry_confirm", CLOSED_PORT), rasa_domain, nlg, "enquiry_confirm")
    no_slot = await run(RemoteAction("validate_enquiry_form", CLOSED_PORT), rasa_domain, nlg)

    assert [type(e) for e in other] == [BotUttered]
    assert [type(e) for e in no_slot] == [BotUttered]


async def test_installing_twice_wraps_once(rasa_domain, nlg):
    install_action_failure_reply(timeout=5)
    wrapped = RemoteAction.run
    install_action_failure_reply(timeout=3)

    assert RemoteAction.run is wrapped
    assert rasa_action.DEFAULT_REQUEST_TIMEOUT == 3
    events = await run(RemoteAction("action_recommend_courses", CLOSED_PORT), rasa_domain, nlg)
    assert [e.text for e in events] == [APOLOGY_TEXT]


# --- several action servers -------------------------------------------------


def _base(endpoint: EndpointConfig) -> str:
    return endpoint.url.removesuffix("/webhook")


async def test_an_unreachable_action_server_is_stepped_round(rasa_domain, nlg, action_server):
    calls: list[str] = []

    async def ok(request: web.Request) -> web.Response:
        calls.append("served")
        return web.json_response({"events": [], "responses": [{"text": "Here."}]})

    working = await action_server(ok)
    install_action_failure_reply(timeout=5, action_server_urls=[_base(CLOSED_PORT), _base(working)])

    for _ in range(4):  # whichever server's turn it is, the visitor gets the answer
        events = await run(RemoteAction("action_recommend_courses", CLOSED_PORT), rasa_domain, nlg)
        assert [e.text for e in events] == ["Here."]
    assert len(calls) == 4


async def test_a_dropped_connection_is_retried_on_the_next_server(rasa_domain, nlg, action_server):
    served: list[str] = []

    async def dies(request: web.Request) -> web.Response:
        served.append("dies")
        request.transport.close()  # the process dying mid-call, as far as Rasa can tell
        return web.Response(status=500)

    async def ok(request: web.Request) -> web.Response:
        served.append("ok")
        return web.json_response({"events": [], "responses": [{"text": "Here."}]})

    dying, working = await action_server(dies), await action_server(ok)
    install_action_failure_reply(timeout=5, action_server_urls=[_base(dying), _base(working)])

    first = await run(RemoteAction("action_submit_enquiry", dying), rasa_domain, nlg)
    second = await run(RemoteAction("action_submit_enquiry", dying), rasa_domain, nlg)

    assert [e.text for e in first] == [e.text for e in second] == ["Here."]
    assert served == ["dies", "ok", "ok"]  # the failed server rests instead of being tried first again


async def test_a_server_error_is_not_retried_elsewhere(rasa_domain, nlg, action_server):
    served: list[str] = []

    async def broken(request: web.Request) -> web.Response:
        served.append("broken")
        return web.Response(status=500, text="boom")

    async def ok(request: web.Request) -> web.Response:
        served.append("ok")
        return web.json_response({"events": [], "responses": [{"text": "Here."}]})

    broken_server, working = await action_server(broken), await action_server(ok)
    install_action_failure_reply(timeout=5, action_server_urls=[_base(broken_server), _base(working)])

    events = await run(RemoteAction("action_submit_enquiry", broken_server), rasa_domain, nlg)

    # The action may have run before it failed: only a connection failure is safe to repeat.
    assert [e.text for e in events] == [APOLOGY_TEXT]
    assert served == ["broken"]


async def test_every_action_server_down_gives_the_apology(rasa_domain, nlg):
    install_action_failure_reply(timeout=5, action_server_urls=["http://127.0.0.1:1", "http://127.0.0.1:2"])

    events = await run(RemoteAction("action_recommend_courses", CLOSED_PORT), rasa_domain, nlg)

    assert [e.text for e in events] == [APOLOGY_TEXT]


# --- warm-up before the port opens ------------------------------------------------


class RecordingProcessor:
    def __init__(self) -> None:
        self.parsed: list[str] = []
        self.predicted: list[DialogueStateTracker] = []

    async def parse_message(self, message, tracker=None, only_output_properties=True):
        self.parsed.append(message.text)
        return {"text": message.text, "intent": {"name": "greet", "confidence": 1.0}, "entities": []}

    def predict_next_with_tracker(self, tracker):
        self.predicted.append(tracker)
        return {}


class StoringTrackerStore:
    def __init__(self) -> None:
        self.saved = []

    async def save(self, tracker) -> None:
        self.saved.append(tracker)


async def test_warm_up_parses_and_predicts_without_storing_a_conversation(rasa_domain):
    from types import SimpleNamespace

    from bot.runtime.rasa_runtime import warm_up

    agent = SimpleNamespace(processor=RecordingProcessor(), domain=rasa_domain, tracker_store=StoringTrackerStore())
    await warm_up(agent)

    assert agent.processor.parsed == ["hello"]
    (tracker,) = agent.processor.predicted
    assert tracker.latest_message.intent["name"] == "greet"
    assert agent.tracker_store.saved == []


async def test_the_server_warms_up_after_loading_the_model(monkeypatch, rasa_domain):
    from types import SimpleNamespace

    from rasa.core import run as rasa_run

    from bot.runtime.rasa_runtime import install_warm_up

    agent = SimpleNamespace(processor=RecordingProcessor(), domain=rasa_domain)

    async def load(model_path, endpoints, remote_storage, app, loop):
        return agent

    monkeypatch.setattr(rasa_run, "load_agent_on_start", load)
    install_warm_up()
    install_warm_up()  # once only

    assert await rasa_run.load_agent_on_start("m.tar.gz", None, None, None, None) is agent
    assert agent.processor.parsed == ["hello"]


# --- the tracker store fails honestly -------------------------------------------------


class BrokenTrackerStore:
    """A tracker store whose database is unreachable."""

    domain = None
    event_broker = None

    async def retrieve(self, sender_id):
        raise ConnectionError("database unreachable")

    async def retrieve_full_tracker(self, sender_id):
        raise ConnectionError("database unreachable")

    async def save(self, tracker):
        raise ConnectionError("database unreachable")


@pytest.fixture
def restore_tracker_store(monkeypatch):
    from rasa.core import tracker_store

    for name in ("retrieve", "retrieve_full_tracker", "save"):
        monkeypatch.setattr(tracker_store.FailSafeTrackerStore, name, getattr(tracker_store.FailSafeTrackerStore, name))
    monkeypatch.setattr(tracker_store, "create_engine_kwargs", tracker_store.create_engine_kwargs)


async def test_without_it_rasa_forgets_the_conversation_silently(restore_tracker_store, rasa_domain):
    from rasa.core.tracker_store import FailSafeTrackerStore

    store = FailSafeTrackerStore(BrokenTrackerStore())
    assert await store.retrieve("visitor-1") is None  # Rasa would start the conversation afresh


async def test_tracker_store_errors_reach_the_caller(restore_tracker_store, rasa_domain):
    from rasa.core.tracker_store import FailSafeTrackerStore

    from bot.runtime.rasa_runtime import install_strict_tracker_store

    install_strict_tracker_store()
    store = FailSafeTrackerStore(BrokenTrackerStore())
    for call in (
        store.retrieve("visitor-1"),
        store.retrieve_full_tracker("visitor-1"),
        store.save(tracker(rasa_domain)),
    ):
        with pytest.raises(ConnectionError):
            await call
    assert store._fallback_tracker_store is None  # nothing kept in this process's memory


def test_sql_tracker_store_connections_are_checked_and_bounded(restore_tracker_store):
    from rasa.core import tracker_store

    from bot.runtime.rasa_runtime import install_resilient_tracker_store

    install_resilient_tracker_store(connect_timeout=5)
    postgres = tracker_store.create_engine_kwargs("postgresql://postgres@127.0.0.1:5432/test")
    sqlite = tracker_store.create_engine_kwargs("sqlite:///tracker.db")

    assert postgres["pool_pre_ping"] is True and postgres["connect_args"]["connect_timeout"] == 5
    assert "pool_size" in postgres  # Rasa's own settings are kept
    assert sqlite == {"pool_pre_ping": True}


# --- action-server replies checked with a prebuilt validator ---------------------------


@pytest.fixture
def restore_validation(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)


def test_prebuilt_validation_accepts_what_rasa_accepts(restore_validation):
    from bot.runtime.rasa_runtime import install_prebuilt_action_validation

    reply = {"events": [{"event": "slot", "name": "topic", "value": "leadership"}], "responses": [{"text": "Here."}]}
    assert RemoteAction("a", CLOSED_PORT)._validate_action_result(reply)
    install_prebuilt_action_validation()
    assert RemoteAction("a", CLOSED_PORT)._validate_action_result(reply)


def test_prebuilt_validation_refuses_what_rasa_refuses(restore_validation):
    from jsonschema import ValidationError

    from bot.runtime.rasa_runtime import install_prebuilt_action_validation

    bad = {"events": [{"event": "slot", "name": 3}], "responses": "not a list"}
    with pytest.raises(ValidationError):
        RemoteAction("a", CLOSED_PORT)._validate_action_result(bad)
    install_prebuilt_action_validation()
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("a", CLOSED_PORT)._validate_action_result(bad)


# --- deprecation warnings of dependencies ----------------------------------------------------------

WARNINGS_PROBE = """
import sys, warnings
if sys.argv[1] == "quiet":
    from bot.runtime.rasa_runtime import quiet_dependency_warnings
    quiet_dependency_warnings()
else:
    import sanic  # what Rasa and the action server import: it turns every DeprecationWarning on
import sanic_cors  # a dependency's own deprecation (distutils' Version classes) at import
warnings.warn_explicit("the project's own", DeprecationWarning, "bot/example.py", 1, module="bot.example")
"""


def probe_warnings(mode: str) -> str:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", WARNINGS_PROBE, mode], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stderr


RASA_WARNINGS_PROBE = """
import logging, sys, warnings
from pyparsing.warnings import PyparsingDeprecationWarning
from rasa.utils.common import configure_logging_and_warnings
if sys.argv[1] == "quiet":
    from bot.runtime.rasa_runtime import install_quiet_dependency_warnings
    install_quiet_dependency_warnings()
configure_logging_and_warnings(logging.INFO)  # what Rasa's CLI does: "once" for every UserWarning
# pyparsing's deprecations are UserWarnings too; this is how matplotlib's reach the log:
warnings.warn_explicit("setParseAction is deprecated", PyparsingDeprecationWarning, "m.py", 1, module="matplotlib.m")
"""


def test_rasas_own_warning_filters_do_not_bring_them_back():
    def run(mode: str) -> str:
        import subprocess
        import sys

        command = [sys.executable, "-c", RASA_WARNINGS_PROBE, mode]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stderr

    assert "setParseAction" in run("plain")
    assert "setParseAction" not in run("quiet")


TRAINING_WARNINGS_PROBE = """
import logging, sys
from rasa.shared.utils.io import raise_warning
from rasa.utils.common import configure_logging_and_warnings
from bot.runtime.rasa_runtime import install_quiet_dependency_warnings, training_false_alarms
from bot.settings import PROJECT_ROOT
install_quiet_dependency_warnings(training_false_alarms(PROJECT_ROOT) if sys.argv[1] == "quiet" else ())
configure_logging_and_warnings(logging.INFO)  # what rasa train does: "once" for every UserWarning
raise_warning("The utterance 'utter_default' is not used in any story or rule.")  # Rasa's default fallback uses it
raise_warning("The utterance 'utter_nobody_chooses_this' is not used in any story or rule.")
raise_warning("You have defined training data consisting of lookup tables, but your NLU configuration does not "
              "include any components that uses the features created from the lookup table. To make use of them...")
"""


def test_training_leaves_out_its_false_alarms_and_keeps_a_response_nothing_uses():
    import subprocess
    import sys

    def run(mode: str) -> str:
        command = [sys.executable, "-c", TRAINING_WARNINGS_PROBE, mode]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stderr

    plain = run("plain")
    assert "'utter_default'" in plain and "lookup tables" in plain and "'utter_nobody_chooses_this'" in plain
    quiet = run("quiet")
    assert "'utter_default'" not in quiet and "lookup tables" not in quiet
    assert "'utter_nobody_chooses_this' is not used in any story or rule" in quiet


def test_dependencies_deprecations_are_silenced_and_the_projects_own_are_not():
    assert "sanic_cors" in probe_warnings("plain")  # what the logs showed before
    quiet = probe_warnings("quiet")
    assert "sanic_cors" not in quiet
    assert "DeprecationWarning: the project's own" in quiet


def test_the_action_server_starts_through_the_runtime(tmp_path):
    from bot.runtime.stack import process_specs
    from bot.settings import Settings

    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path)})
    (actions,) = process_specs(settings, tmp_path / "m.tar.gz", ("actions",))
    assert actions.command[1:4] == ["-m", "bot.runtime.rasa_runtime", "actions"]
    assert actions.command[4:] == ["--actions", "actions", "--port", "5055"]
