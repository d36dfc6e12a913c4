"""Conversation ids the gateway issues and signs, so no visitor can pick or guess
another visitor's Rasa sender id."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

# bandit B105: the file's name; the secret is generated into it
SECRET_FILE_NAME = "gateway_secret"  # nosec B105
_VERSION = b"conversation:v1:"
_CLIENT = b"client:v1:"


def load_or_create_secret(configured: str, var_dir: Path) -> bytes:
    """The signing secret: the configured one, else one generated once and kept in
    ``var/gateway_secret`` (mode 0600) so that a restart keeps every conversation."""
    if configured:
        return configured.encode()
    path = var_dir / SECRET_FILE_NAME
    var_dir.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another worker (or an earlier run) made it; tighten permissions if someone loosened them.
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        secret = path.read_text().strip()
        if not secret:
            raise RuntimeError(f"{path} is empty: delete it to generate a new gateway secret") from None
        return secret.encode()
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_urlsafe(32))
    return path.read_text().strip().encode()


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
