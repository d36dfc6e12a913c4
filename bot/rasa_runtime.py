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
3. The SQL tracker store checks a pooled connection before using it, so the
   first message after a database outage is answered instead of failing on a
   dead connection, and a connection attempt gives up after a few seconds.
4. Email addresses and phone numbers are masked in every log line.

``python -m bot.rasa_runtime run ...`` takes the same arguments as ``rasa``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from typing import Any

from bot.upstreams import Rotation

logger = logging.getLogger(__name__)

APOLOGY = "utter_action_unavailable"
_WRAPPED = "_answers_when_action_server_fails"


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


def main(argv: list[str]) -> int:
    from bot.leads.validation import install_personal_data_filter
    from bot.settings import Settings

    settings = Settings.from_env()
    install_personal_data_filter()
    install_action_failure_reply(settings.action_timeout, settings.action_server_urls)
    install_resilient_tracker_store()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]
    rasa_main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
