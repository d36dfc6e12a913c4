"""Runs the Rasa CLI with two production behaviours Rasa 3.6 lacks.

1. When the action server is down, slow or failing, Rasa 3.6 logs the error
   and says nothing: the visitor is left in silence (and a slow server holds
   the conversation's lock for up to five minutes). Here a failed custom
   action answers with ``utter_action_unavailable`` instead, after at most
   ``ACTION_TIMEOUT`` seconds. Form rejections (HTTP 400 from the action
   server) still pass through untouched, as forms depend on them.
2. Email addresses and phone numbers are masked in every log line.

``python -m bot.rasa_runtime run ...`` takes the same arguments as ``rasa``.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

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


def install_action_failure_reply(timeout: float) -> None:
    from rasa.core.actions import action as rasa_action

    rasa_action.DEFAULT_REQUEST_TIMEOUT = timeout  # read at call time by RemoteAction.run
    original = rasa_action.RemoteAction.run
    if getattr(original, _WRAPPED, False):
        return

    async def run(self, output_channel, nlg, tracker, domain):  # same signature as RemoteAction.run
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except rasa_action.ActionExecutionRejection:
            raise
        except Exception as error:  # connection refused, timeout, 5xx, malformed reply
            logger.error("custom action %s failed (%s); answering with %s", self.name(), error, APOLOGY)
            return await _apology(self, nlg, tracker, output_channel)

    setattr(run, _WRAPPED, True)
    rasa_action.RemoteAction.run = run


def main(argv: list[str]) -> int:
    from bot.leads.validation import install_personal_data_filter
    from bot.settings import Settings

    settings = Settings.from_env()
    install_personal_data_filter()
    install_action_failure_reply(settings.action_timeout)
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]
    rasa_main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
