"""``POST /api/chat``: a visitor's message to Rasa and Rasa's answer back.

The gateway, not the visitor, decides which Rasa conversation a message joins:
conversation ids are issued and signed here, and the sender id Rasa sees is
derived from a verified id only.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from bot.web.conversation_ids import ConversationIds
from bot.web.cors import preflight_response
from bot.web.handoff import current_handoff, handoff_object
from bot.web.rasa_client import RasaAnswer, RasaUnavailable, send_to_rasa

chat = Blueprint("chat")

FIELDS = ("message", "conversation_id", "client_message_id")
# Layout characters a visitor may type; every other control character is refused.
ALLOWED_CONTROLS = frozenset("\t\n\r")
CLIENT_MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{8,100}")
NEW_CONVERSATION = "new:"  # replay-cache key prefix for a first message, before the visitor has an id


class InvalidChatRequest(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class ChatRequest:
    message: str
    conversation_id: str | None
    client_message_id: str | None


@dataclass(frozen=True)
class ChatReply:
    status: int
    body: dict[str, Any]


def parse_chat_request(request: Request, max_chars: int) -> ChatRequest:
    """The request body checked field by field; InvalidChatRequest says what is wrong."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise InvalidChatRequest(415, "Send the message as JSON with the header Content-Type: application/json.")
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: "[[[[..." nested too deep
        raise InvalidChatRequest(400, "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise InvalidChatRequest(422, 'The request body must be a JSON object such as {"message": "Hello"}.')
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise InvalidChatRequest(422, f"Unknown field(s): {', '.join(unknown)}. Allowed: {', '.join(FIELDS)}.")
    message = body.get("message")
    if message is None:
        raise InvalidChatRequest(422, '"message" is required.')
    if not isinstance(message, str):
        raise InvalidChatRequest(422, '"message" must be a string.')
    if not message.strip():
        raise InvalidChatRequest(422, '"message" must not be empty.')
    if len(message) > max_chars:
        raise InvalidChatRequest(413, f'"message" is too long: at most {max_chars} characters, got {len(message)}.')
    message = clean_text(message)
    if len(message) > max_chars:  # NFC can lengthen a few rare characters
        raise InvalidChatRequest(413, f'"message" is too long: at most {max_chars} characters, got {len(message)}.')
    conversation_id = body.get("conversation_id")
    if conversation_id is not None and not isinstance(conversation_id, str):
        raise InvalidChatRequest(422, '"conversation_id" must be a string (the one the gateway issued).')
    if conversation_id is not None and not (conversation_id.isascii() and conversation_id.isprintable()):
        raise InvalidChatRequest(400, '"conversation_id" must be the id the gateway issued (printable ASCII).')
    client_message_id = body.get("client_message_id")
    if client_message_id is not None and (
        not isinstance(client_message_id, str) or not CLIENT_MESSAGE_ID.fullmatch(client_message_id)
    ):
        raise InvalidChatRequest(422, '"client_message_id" must be 8 to 100 letters, digits, "-" or "_".')
    return ChatRequest(message.strip(), conversation_id or None, client_message_id)


def clean_text(text: str) -> str:
    """The text in NFC, or InvalidChatRequest (400) for what Rasa's NLU must never see.

    A lone surrogate (valid in JSON's ``\\ud800`` escapes, not in UTF-8) crashes
    Rasa's spaCy step; control characters and Unicode non-characters have no
    place in a chat message.
    """
    for position, character in enumerate(text, start=1):
        code = ord(character)
        if 0xD800 <= code <= 0xDFFF:
            raise InvalidChatRequest(
                400, f'"message" is not valid Unicode: a lone surrogate (U+{code:04X}) at character {position}.'
            )
        if unicodedata.category(character) == "Cc" and character not in ALLOWED_CONTROLS:
            raise InvalidChatRequest(
                400, f'"message" contains a control character (U+{code:04X}) at character {position}.'
            )
        if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
            raise InvalidChatRequest(
                400, f'"message" contains a Unicode non-character (U+{code:04X}) at character {position}.'
            )
    return unicodedata.normalize("NFC", text)


def apology(settings, conversation_id: str, text: str) -> dict[str, Any]:
    """A bot message in the usual shape, with a way to reach admissions staff."""
    email = settings.admissions_email
    return {
        "conversation_id": conversation_id,
        "degraded": True,
        "messages": [
            {
                "text": text.format(email=email),
                "buttons": [{"title": "Talk to admissions", "payload": "/request_human"}],
                "links": [{"title": "Email admissions", "url": f"mailto:{email}"}],
            }
        ],
    }


UNAVAILABLE = (
    "Sorry, I'm having trouble answering right now. Please try again in a minute, "
    "or contact our admissions team at {email} and they'll get back to you."
)
NO_ANSWER = (
    "Sorry, I couldn't put an answer together just now. Please ask again in a moment, "
    "or contact our admissions team at {email}."
)


async def ask_rasa(request: Request, conversation_id: str, message: str) -> RasaAnswer | RasaUnavailable:
    """The Rasa servers in turn: a refused or dropped connection moves the message to the next one.

    Any server can take any conversation (tracker in the shared store, lock in Redis). A message
    is repeated only after a connection failure, never after a timeout or an HTTP error, when
    the first server may still be working on it.
    """
    ctx = request.app.ctx
    settings = ctx.settings
    sender_id = ConversationIds.sender_id(conversation_id)
    result: RasaAnswer | RasaUnavailable = RasaUnavailable("no Rasa server configured")
    for url in ctx.rasa_servers.order():
        result = await send_to_rasa(ctx.upstream, url, sender_id, message, settings.upstream_timeout)
        if not (isinstance(result, RasaUnavailable) and result.connection_failed):
            ctx.rasa_servers.succeeded(url)
            return result
        ctx.rasa_servers.failed(url)
    return result


async def answer(request: Request, conversation_id: str, message: str) -> ChatReply:
    settings = request.app.ctx.settings
    result = await ask_rasa(request, conversation_id, message)
    if isinstance(result, RasaUnavailable):
        return ChatReply(503, apology(settings, conversation_id, UNAVAILABLE))
    # Handed over to staff (just now by this message, or earlier): Rasa is paused and says nothing,
    # the message is in the tracker and so in the staff inbox; replies come through the events stream.
    handoff = await current_handoff(request, conversation_id)
    if handoff is not None:
        body = {"conversation_id": conversation_id, "messages": result.messages}
        return ChatReply(200, {**body, "handoff": handoff_object(conversation_id, handoff)})
    if not result.messages:
        # Rasa says nothing when the action server is down: it logs the error and returns [].
        return ChatReply(200, apology(settings, conversation_id, NO_ANSWER))
    return ChatReply(200, {"conversation_id": conversation_id, "messages": result.messages})


def too_many_requests(retry_after: int, what: str) -> HTTPResponse:
    return json_response(
        {"error": f"Too many messages {what}. Please wait {retry_after} s and try again.", "retry_after": retry_after},
        status=429,
        headers={"Retry-After": str(retry_after)},
    )


def client_ip(request: Request) -> str:
    # remote_addr comes from X-Forwarded-For only when PROXIES_COUNT trusts a proxy.
    return request.remote_addr or request.ip


def replay_key(request: Request, verified: str | None, client_message_id: str | None) -> tuple[str, str] | None:
    """Where a retry finds the reply already given: the conversation, or for a first message the client itself.

    A first message is bound to the client that sent it (a keyed digest of its
    address and User-Agent), so a second client sending the same
    client_message_id never receives the first one's conversation id or replies.
    """
    if not client_message_id:
        return None
    if verified:
        return (verified, client_message_id)
    binding = request.app.ctx.conversation_ids.client_binding(client_ip(request), request.headers.get("user-agent", ""))
    return (NEW_CONVERSATION + binding, client_message_id)


@chat.post("/api/chat")
async def post_chat(request: Request) -> HTTPResponse:
    ctx = request.app.ctx
    try:
        incoming = parse_chat_request(request, ctx.settings.chat_max_message_chars)
    except InvalidChatRequest as error:
        return json_response({"error": error.message}, status=error.status)

    wait = ctx.ip_limits.take(client_ip(request))
    if wait:
        return too_many_requests(wait, "from your network")

    verified = ctx.conversation_ids.verify(incoming.conversation_id)
    key = replay_key(request, verified, incoming.client_message_id)
    if key:
        remembered = ctx.replies.get(key)
        if remembered is not None:
            return json_response(remembered.body, status=remembered.status)

    conversation_id = verified or ctx.conversation_ids.issue()
    wait = ctx.conversation_limits.take(conversation_id)
    if wait:
        return too_many_requests(wait, "in this conversation")

    async def produce() -> ChatReply:
        return await answer(request, conversation_id, incoming.message)

    def answered(reply: ChatReply) -> bool:
        # Apologies are not replayed: a retry deserves a real attempt.
        return reply.status == 200 and not reply.body.get("degraded")

    async def produce_once_across_gateways() -> ChatReply:
        if ctx.shared_replies is None:
            return await produce()
        return await ctx.shared_replies.once(
            key, produce, answered, encode=lambda reply: reply.__dict__, decode=lambda fields: ChatReply(**fields)
        )

    if key:
        reply = await ctx.replies.once(key, produce_once_across_gateways, keep=answered)
    else:
        reply = await produce()
    return json_response(reply.body, status=reply.status)


@chat.options("/api/chat")
async def chat_preflight(_request: Request) -> HTTPResponse:
    # Reached only for allowed origins: the request middleware turns the others away.
    return preflight_response()
