"""Conversation ids the gateway issues and signs, so no visitor can pick or guess
another visitor's Rasa sender id."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_VERSION = b"conversation:v1:"
_CLIENT = b"client:v1:"


class ConversationIds:
    """Issues ``<random>.<signature>`` ids and checks them."""

    MAX_LENGTH = 200

    def __init__(self, secret: bytes):
        self._secret = secret

    def _signature(self, token: str) -> str:
        digest = hmac.new(self._secret, _VERSION + token.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")

    def issue(self) -> str:
        token = secrets.token_urlsafe(18)
        return f"{token}.{self._signature(token)}"

    def verify(self, conversation_id: str | None) -> str | None:
        """The id itself when its signature is ours, else None."""
        if not conversation_id or len(conversation_id) > self.MAX_LENGTH:
            return None
        token, dot, signature = conversation_id.partition(".")
        if not dot or not token:
            return None
        if not hmac.compare_digest(signature.encode(), self._signature(token).encode()):
            return None
        return conversation_id

    def client_binding(self, client_address: str, user_agent: str) -> str:
        """A keyed digest of who sent a first message (address and browser), never the address itself.

        A first message has no conversation id yet, so its retry is recognised by
        this plus its client_message_id: another client that sends the same
        client_message_id gets a conversation of its own, never this one.
        """
        material = _CLIENT + client_address.encode("utf-8", "replace") + b"\0" + user_agent.encode("utf-8", "replace")
        digest = hmac.new(self._secret, material, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:18]).decode()

    @staticmethod
    def sender_id(verified_id: str) -> str:
        """Rasa's sender id, derived from a verified conversation id only."""
        return "web-" + verified_id.partition(".")[0]
