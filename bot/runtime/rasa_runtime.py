"""Runs the Rasa CLI with the production behaviours Rasa 3.6 lacks.

1. When the action server is down, slow or failing, Rasa 3.6 logs the error
   and says nothing: the visitor is left in silence (and a slow server holds
   the conversation's lock for up to five minutes). Here a failed custom
   action answers with ``utter_action_unavailable`` instead, after at most
   ``ACTION_TIMEOUT`` seconds. Form rejections (HTTP 400 from the action
   server) still pass through untouched, as forms depend on them.
2. Several action servers (``ACTION_SERVER_URL`` lists them): custom actions
   go to each in turn, and a call that cannot connect, or whose connection
   drops, is retried on the next one. Retrying is safe: validations have no
   side effects, and an enquiry carries an idempotency key (one lead per form
   run).
3. The tracker store fails honestly. Rasa 3.6 silently carries on without it:
   a conversation it cannot read starts afresh (losing a half-filled form),
   and one it cannot write is kept in this process's memory only, out of
   sight of the other Rasa servers. Here the message fails instead (the
   visitor gets the gateway's apology, the stored conversation is untouched)
   and the next message after the outage carries on where it was. Pooled SQL
   connections are checked before use and connecting gives up after 5 s.
4. The server answers only once its models are warm: a first message is
   parsed and a first action predicted (on a tracker that is never stored)
   before the port opens, so no visitor pays for TensorFlow's first call.
5. Action-server replies are checked against Rasa's schema with one validator
   built at start. Rasa 3.6 calls ``jsonschema.validate`` on every reply,
   which first checks the large schema itself: tens of milliseconds of CPU
   per custom action (docs/benchmarks.md, "Where a message's time goes").
6. Email addresses and phone numbers are masked in every log line.
7. The SQL tracker store keeps the trackers it read or saved, and reuses one
   when a small query shows the database unchanged (bot/runtime/tracker_cache.py):
   Rasa 3.6 re-reads and replays the whole conversation on every message.
8. No deprecation warnings from dependencies in the logs: Sanic turns every
   DeprecationWarning on when it is imported, so Rasa and the action server
   would log Click's, distutils', SQLAlchemy's, ... at every start. The ones
   raised inside the packages in ``DEPENDENCY_DEPRECATIONS`` are silenced;
   the project's own stay visible. ``rasa train`` also leaves out the warnings
   about this project that are known to be wrong (``training_false_alarms``).

``python -m bot.runtime.rasa_runtime run ...`` takes the same arguments as ``rasa``;
``python -m bot.runtime.rasa_runtime actions ...`` starts the action server with the
same arguments as ``python -m rasa_sdk`` (point 8 only).
"""

from __future__ import annotations

import logging
import re
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.runtime.upstreams import Rotation

logger = logging.getLogger(__name__)

APOLOGY = "utter_action_unavailable"
WARM_UP_SENDER = "warm-up"
_WRAPPED = "_answers_when_action_server_fails"
# Packages whose own deprecation warnings are not ours to fix (pyproject.toml silences the same in tests).
DEPENDENCY_DEPRECATIONS = (
    "aiohttp",
    "apscheduler",
    "keras",
    "matplotlib",
    "packaging",
    "pkg_resources",
    "rasa",
    "rasa_sdk",
    "sanic_cors",
    "spacy",
    "sqlalchemy",
    "tensorflow",
    "typer",
)


# What Rasa's training says of this project that is known to be wrong (the start of each warning):
# - no entity extractor is trained on the entity examples: EntitySynonymMapper learns their synonyms
#   ([med admin]{"entity": "field", "value": "medical administration"} in data/nlu.yml);
# - no component uses the lookup tables' features: LinearIntentClassifier does (RegexFeaturizer's sentence
#   features); Rasa counts only DIETClassifier and CRFEntityExtractor.
# The responses that only code uses are added by training_false_alarms.
RASA_TRAINING_FALSE_ALARMS = (
    "You have defined training data consisting of entity examples, but your NLU configuration does not include "
    "an entity extractor trained on your training data.",
    "You have defined training data consisting of lookup tables, but your NLU configuration does not include any "
    "components that uses the features created from the lookup table.",
)


def training_false_alarms(project_root: Path) -> list[str]:
    """The warnings ``rasa train`` gives about this project that are known to be wrong, as message patterns.

    Rasa's training validates the data as ``rasa data validate`` does, and says every response that only code
    chooses is "not used in any story or rule"; ``bot.rasa_data_validation`` knows which ones are used (and
    ``make validate`` fails on any other)."""
    from bot.rasa_data_validation import responses_used_in_code

    used_in_code = sorted(responses_used_in_code(project_root))
    unused = [f"The utterance '{name}' is not used in any story or rule." for name in used_in_code]
    return [re.escape(message) for message in (*RASA_TRAINING_FALSE_ALARMS, *unused)]


def quiet_dependency_warnings(false_alarms: Sequence[str] = ()) -> None:
    """Silence deprecations raised inside dependencies, in front of the filter Sanic adds on import, and Rasa's
    UserWarnings whose message starts with a pattern in ``false_alarms``.

    Call it again after Rasa sets its own filters (``configure_logging_and_warnings``: "once" for every
    UserWarning, which pyparsing's deprecations also are); ``install_quiet_dependency_warnings`` does."""
    import sanic  # noqa: F401 - Sanic's own filter ("once" for every DeprecationWarning) first

    for package in DEPENDENCY_DEPRECATIONS:
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=rf"{re.escape(package)}(\.|$)")
    # An old-style import hook inside a dependency (the project has none) still calls load_module().
    warnings.filterwarnings(
        "ignore", r"the load_module\(\) method is deprecated", DeprecationWarning, r"importlib\._bootstrap$"
    )
    for pattern in false_alarms:
        warnings.filterwarnings("ignore", pattern, UserWarning, r"rasa\.")


def install_quiet_dependency_warnings(false_alarms: Sequence[str] = ()) -> None:
    """``quiet_dependency_warnings`` now and each time Rasa's CLI sets its own warning filters."""
    from rasa.utils import common

    quiet_dependency_warnings(false_alarms)
    original = common._filter_warnings
    if getattr(original, _WRAPPED, False):
        return

    def _filter_warnings(*args, **kwargs):  # same signature as rasa.utils.common._filter_warnings
        original(*args, **kwargs)
        quiet_dependency_warnings(false_alarms)

    setattr(_filter_warnings, _WRAPPED, True)
    common._filter_warnings = _filter_warnings


async def _apology(action: Any, nlg: Any, tracker: Any, output_channel: Any) -> list:
    from rasa.core.actions.action import create_bot_utterance
    from rasa.shared.core.constants import REQUESTED_SLOT
    from rasa.shared.core.events import SlotSet

    events: list = []
    message = await nlg.generate(APOLOGY, tracker, output_channel.name())
    if message:
        message["utter_action"] = APOLOGY
        events.append(create_bot_utterance(message))
    requested = tracker.get_slot(REQUESTED_SLOT)
    if action.name().startswith("validate_") and requested:
        # The answer could not be validated: do not keep it; the form asks again.
        events.append(SlotSet(requested, None))
    return events


def _connection_failed(error: BaseException) -> bool:
    """Did the call fail to reach the action server, or lose it mid-call? (Rasa chains the aiohttp error.)"""
    import aiohttp

    return isinstance(error.__cause__ or error.__context__, aiohttp.ClientConnectionError)


def install_action_failure_reply(timeout: float, action_server_urls: Sequence[str] = ()) -> None:
    from rasa.core.actions import action as rasa_action

    rasa_action.DEFAULT_REQUEST_TIMEOUT = timeout  # read at call time by RemoteAction.run
    original = rasa_action.RemoteAction.run
    if getattr(original, _WRAPPED, False):
        return
    servers = Rotation([f"{url}/webhook" for url in action_server_urls]) if action_server_urls else None

    async def call_in_turn(self, output_channel, nlg, tracker, domain):
        if servers is None or self.action_endpoint is None:
            return await original(self, output_channel, nlg, tracker, domain)
        configured = self.action_endpoint
        order = servers.order()
        for attempt, url in enumerate(order, start=1):
            self.action_endpoint = configured.copy()
            self.action_endpoint.url = url
            try:
                events = await original(self, output_channel, nlg, tracker, domain)
            except rasa_action.ActionExecutionRejection:
                servers.succeeded(url)
                raise
            except Exception as error:
                if not _connection_failed(error) or attempt == len(order):
                    raise
                servers.failed(url)
                logger.warning("action server %s unreachable for %s; trying the next one", url, self.name())
            else:
                servers.succeeded(url)
                return events
            finally:
                self.action_endpoint = configured
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def run(self, output_channel, nlg, tracker, domain):  # same signature as RemoteAction.run
        try:
            return await call_in_turn(self, output_channel, nlg, tracker, domain)
        except rasa_action.ActionExecutionRejection:
            raise
        except Exception as error:  # connection refused, timeout, 5xx, malformed reply
            logger.error("custom action %s failed (%s); answering with %s", self.name(), error, APOLOGY)
            return await _apology(self, nlg, tracker, output_channel)

    setattr(run, _WRAPPED, True)
    rasa_action.RemoteAction.run = run


def install_resilient_tracker_store(connect_timeout: int = 5) -> None:
    """Pre-ping pooled connections; bound PostgreSQL connection attempts."""
    from rasa.core import tracker_store

    original = tracker_store.create_engine_kwargs
    if getattr(original, _WRAPPED, False):
        return

    def create_engine_kwargs(url):  # same signature as rasa.core.tracker_store.create_engine_kwargs
        kwargs = {**original(url), "pool_pre_ping": True}
        if tracker_store.is_postgresql_url(url):
            connect_args = dict(kwargs.get("connect_args") or {})
            connect_args.setdefault("connect_timeout", connect_timeout)
            kwargs["connect_args"] = connect_args
        return kwargs

    setattr(create_engine_kwargs, _WRAPPED, True)
    tracker_store.create_engine_kwargs = create_engine_kwargs


async def warm_up(agent: Any) -> None:
    """One parse and one prediction, so the first visitor is not the one who waits for it."""
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    if agent.processor is None:
        return
    parse_data = await agent.processor.parse_message(UserMessage("hello", sender_id=WARM_UP_SENDER))
    tracker = DialogueStateTracker.from_events(
        WARM_UP_SENDER,
        [
            ActionExecuted("action_listen"),
            UserUttered("hello", parse_data["intent"], parse_data["entities"], parse_data),
        ],
        slots=agent.domain.slots,
    )
    agent.processor.predict_next_with_tracker(tracker)


def install_warm_up() -> None:
    from rasa.core import run as rasa_run

    original = rasa_run.load_agent_on_start
    if getattr(original, _WRAPPED, False):
        return

    async def load_agent_on_start(model_path, endpoints, remote_storage, app, loop):  # Rasa's signature
        agent = await original(model_path, endpoints, remote_storage, app, loop)
        started = time.monotonic()
        await warm_up(agent)
        logger.info("models warmed up in %.1f s", time.monotonic() - started)
        return agent

    setattr(load_agent_on_start, _WRAPPED, True)
    rasa_run.load_agent_on_start = load_agent_on_start


def install_strict_tracker_store() -> None:
    """Errors of the real tracker store reach the caller instead of a silent in-memory fallback."""
    from rasa.core.tracker_store import FailSafeTrackerStore

    if getattr(FailSafeTrackerStore.save, _WRAPPED, False):
        return

    async def retrieve(self, sender_id):
        return await self._tracker_store.retrieve(sender_id)

    async def retrieve_full_tracker(self, sender_id):
        return await self._tracker_store.retrieve_full_tracker(sender_id)

    async def save(self, tracker):
        await self._tracker_store.save(tracker)

    for method in (retrieve, retrieve_full_tracker, save):
        setattr(method, _WRAPPED, True)
        setattr(FailSafeTrackerStore, method.__name__, method)


def install_prebuilt_action_validation() -> None:
    """The same check and the same error as Rasa's, without rebuilding the validator per reply."""
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    if getattr(RemoteAction._validate_action_result, _WRAPPED, False):
        return
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # once, here, instead of on every reply
    validator = validator_class(schema)

    def _validate_action_result(_self, result):  # same signature as RemoteAction._validate_action_result
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid."
        )
        raise error

    setattr(_validate_action_result, _WRAPPED, True)
    RemoteAction._validate_action_result = _validate_action_result


def main(argv: list[str]) -> int:
    quiet_dependency_warnings()
    if argv[:1] == ["actions"]:
        from rasa_sdk.__main__ import main as actions_main

        sys.argv = ["rasa_sdk", *argv[1:]]
        actions_main()
        return 0
    from bot.privacy import install_personal_data_filter
    from bot.runtime.tracker_cache import install as install_tracker_cache
    from bot.settings import Settings

    settings = Settings.from_env()
    install_quiet_dependency_warnings(training_false_alarms(settings.project_root) if argv[:1] == ["train"] else ())
    install_personal_data_filter()
    install_action_failure_reply(settings.action_timeout, settings.action_server_urls)
    install_resilient_tracker_store()
    install_strict_tracker_store()
    install_tracker_cache()
    install_prebuilt_action_validation()
    install_warm_up()
    from rasa.__main__ import main as rasa_main

    if argv[:1] == ["run"] and "--enable-api" in argv and "--auth-token" not in argv:
        # Rasa's HTTP API (staff replies, hand-backs) takes the token the gateway derives the same way.
        from bot.gateway_secret import load_or_create_secret
        from bot.handoff.rasa_api import rasa_api_token

        token = settings.rasa_api_token or rasa_api_token(
            "", load_or_create_secret(settings.gateway_secret, settings.var_dir)
        )
        argv = [*argv, "--auth-token", token]
    sys.argv = ["rasa", *argv]
    rasa_main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
