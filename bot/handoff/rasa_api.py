"""The token of Rasa's HTTP API, which the gateway uses to put staff replies and hand-backs into the tracker.

Rasa listens on 127.0.0.1 only, and its API still needs this token. Unless
RASA_API_TOKEN sets one, it is derived from the gateway's secret, so the
gateway and the Rasa servers started on the same ``var/`` agree without a
further setting.
"""

from __future__ import annotations

import hashlib
import hmac

_PURPOSE = b"rasa-http-api:v1"


def rasa_api_token(configured: str, gateway_secret: bytes) -> str:
    if configured:
        return configured
    return hmac.new(gateway_secret, _PURPOSE, hashlib.sha256).hexdigest()


def staff_reply_event(text: str, staff_name: str) -> dict:
    """A staff reply as a tracker event: a bot message marked with who wrote it."""
    return {"event": "bot", "text": text, "metadata": {"handoff_staff": staff_name}}


HANDED_BACK = "You're back with the assistant. Ask me anything, or ask for a person again at any time."
HANDED_BACK_RESPONSE = "utter_handed_back"  # the same words in data/responses.yml (tests/handoff/test_rasa_api.py)

# Handing back: Rasa predicts again, starting from a listen. The pause ended the prediction loop right after
# action_offer_handoff, so without the listen no rule would match the visitor's next message; the hand-back's
# own action before it keeps the rules that follow action_offer_handoff (a "yes" taking up the enquiry offered
# instead of a person) from matching a "yes" said long after, to the staff member.
RESUME_EVENTS = [
    {"event": "resume"},
    {"event": "action", "name": HANDED_BACK_RESPONSE},
    {"event": "bot", "text": HANDED_BACK},
    {"event": "action", "name": "action_listen"},
]
