"""The one place that talks to Rasa's REST channel.

Returns a result or an error value instead of raising, so the chat endpoint
decides in one place what the visitor sees when Rasa is slow or down.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp

log = logging.getLogger(__name__)

LINK_SCHEMES = ("http", "https", "mailto")


@dataclass(frozen=True)
class RasaAnswer:
    """What Rasa said, in the widget's shape: [{"text", "buttons"?, "links"?}]."""

    messages: list[dict[str, Any]]


@dataclass(frozen=True)
class RasaUnavailable:
    reason: str
    # True when the connection was refused or dropped: another Rasa server may take the message.
    connection_failed: bool = False


def _safe_url(url: Any) -> str | None:
    if not isinstance(url, str) or len(url) > 2000:
        return None
    return url if urlsplit(url).scheme.lower() in LINK_SCHEMES else None


def _widget_message(item: Any) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        return None
    message: dict[str, Any] = {}
    if isinstance(item.get("text"), str) and item["text"].strip():
        message["text"] = item["text"]
    buttons = [
        {"title": button["title"], "payload": button["payload"]}
        for button in item.get("buttons") or []
        if isinstance(button, dict) and isinstance(button.get("title"), str) and isinstance(button.get("payload"), str)
    ]
    if buttons:
        message["buttons"] = buttons
    links = []
    custom = item.get("custom")
    if isinstance(custom, dict) and isinstance(custom.get("links"), list):
        for link in custom["links"]:
            if isinstance(link, dict) and isinstance(link.get("title"), str) and _safe_url(link.get("url")):
                links.append({"title": link["title"], "url": link["url"]})
    if _safe_url(item.get("image")):
        links.append({"title": "Open image", "url": item["image"]})
    if links:
        message["links"] = links
    return message or None


async def send_to_rasa(
    session: aiohttp.ClientSession, rasa_url: str, sender_id: str, text: str, timeout: float
) -> RasaAnswer | RasaUnavailable:
    url = f"{rasa_url}/webhooks/rest/webhook"
    try:
        async with session.post(
            url,
            json={"sender": sender_id, "message": text},
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            body = await response.read()
            if response.status >= 400:
                log.warning("Rasa answered HTTP %s for sender %s", response.status, sender_id)
                return RasaUnavailable(f"HTTP {response.status}")
    except asyncio.TimeoutError:
        log.warning("Rasa did not answer within %ss (sender %s)", timeout, sender_id)
        return RasaUnavailable("timeout")
    except aiohttp.ClientConnectionError as error:
        log.warning("Rasa unreachable at %s: %s", url, error)
        return RasaUnavailable(f"connection: {error.__class__.__name__}", connection_failed=True)
    except aiohttp.ClientError as error:
        log.warning("Rasa's answer from %s could not be read: %s", url, error)
        return RasaUnavailable(f"response: {error.__class__.__name__}")
    try:
        items = json.loads(body)
    except ValueError:
        log.warning("Rasa answered with something that is not JSON (sender %s)", sender_id)
        return RasaUnavailable("invalid JSON")
    if not isinstance(items, list):
        log.warning("Rasa answered with JSON that is not a list (sender %s)", sender_id)
        return RasaUnavailable("unexpected JSON")
    return RasaAnswer([message for message in map(_widget_message, items) if message])


async def append_to_tracker(
    session: aiohttp.ClientSession, rasa_url: str, token: str, sender_id: str, events: list[dict], timeout: float
) -> RasaUnavailable | None:
    """Append events to a conversation through Rasa's HTTP API (staff replies, hand-backs); None when done."""
    url = f"{rasa_url}/conversations/{sender_id}/tracker/events"
    try:
        async with session.post(
            url,
            params={"token": token, "include_events": "NONE"},
            json=events,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            await response.read()
            if response.status >= 400:
                log.warning("Rasa's API answered HTTP %s appending to sender %s", response.status, sender_id)
                return RasaUnavailable(f"HTTP {response.status}")
    except asyncio.TimeoutError:
        return RasaUnavailable("timeout")
    except aiohttp.ClientConnectionError as error:
        log.warning("Rasa's API unreachable at %s: %s", rasa_url, error)
        return RasaUnavailable(f"connection: {error.__class__.__name__}", connection_failed=True)
    except aiohttp.ClientError as error:
        return RasaUnavailable(f"response: {error.__class__.__name__}")
    return None
