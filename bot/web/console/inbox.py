"""The staff inbox: conversations handed over by the assistant, live.

Staff see who is waiting and for how long, with unread counts, updated by a
server-sent events stream (no reload); they reply (the reply goes into the
visitor's Rasa tracker through Rasa's HTTP API, and from there to the widget),
hand the conversation back to the assistant, or turn it into a lead with the
details the visitor already gave. Every change is a POST with the CSRF token
(checked by the guard like every console form) that redirects back.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import time
from collections.abc import Callable
from datetime import timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sanic import Request
from sanic.response import HTTPResponse, empty, raw, redirect
from sanic.response import json as json_response

from bot.dialogue.enquiry_lead import CONSENT_WORDING
from bot.handoff.inbox import REPLY_MAX, draft_lead, inbox_items, lead_transcript, waiting_in_words
from bot.handoff.rasa_api import RESUME_EVENTS, staff_reply_event
from bot.handoff.states import HandoffClosed
from bot.handoff.transcript import staff_display_name
from bot.leads.submission import Consent, LeadRejected, LeadSubmission, make_idempotency_key
from bot.privacy import mask_email
from bot.staff.audit import lead_subject
from bot.staff.conversations import ConversationStoreUnavailable
from bot.storage.transactions import DatabaseUnavailable
from bot.web.back_office import Result, blocking
from bot.web.console.blueprint import console
from bot.web.console.context import console_of
from bot.web.console.guard import database_unavailable, refuse
from bot.web.console.templates import render
from bot.web.event_stream import EventStream, sse_event
from bot.web.rasa_client import RasaUnavailable, append_to_tracker

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "console"
ASSETS = {"inbox.js": "application/javascript; charset=utf-8", "inbox.css": "text/css; charset=utf-8"}
STREAM_SECONDS = 300
NOTICES = {
    "sent": "Reply sent.",
    "back": "Handed back to the assistant. The visitor has been told.",
    "available": "You are available for live chats.",
    "unavailable": "You are no longer available for live chats.",
}
PROBLEMS = {
    "empty": "Write a reply first.",
    "long": f"A reply can be at most {REPLY_MAX:,} characters.",
    "closed": "This conversation is no longer with staff (it was handed back).",
    "rasa": "The assistant's server cannot be reached, so the visitor did not get this. Try again in a moment.",
    "consent": "Tick the box to confirm the visitor agreed to be contacted.",
}


def _asset(name: str) -> tuple[bytes, str] | None:
    if name not in ASSETS:
        return None
    return (STATIC_DIR / name).read_bytes(), ASSETS[name]


@console.get("/inbox/static/<name:str>")
async def inbox_asset(_request: Request, name: str) -> HTTPResponse:
    found = _asset(name)
    if found is None:
        return empty(status=404)
    body, content_type = found
    return raw(body, content_type=content_type, headers={"Cache-Control": "private, max-age=300"})


def _load_inbox(request: Request) -> list:
    ctx = request.app.ctx
    return inbox_items(ctx.handoffs, ctx.handoff_conversations, console_of(request).now())


def unless_stores_are_down(handler):
    """A page that reads the database and Rasa's tracker store: the "try again shortly" page when either is down."""

    @functools.wraps(handler)
    async def page(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        try:
            return await handler(request, *args, **kwargs)
        except (DatabaseUnavailable, ConversationStoreUnavailable):
            return database_unavailable(request)

    return page


@console.get("/inbox")
@unless_stores_are_down
async def show_inbox(request: Request) -> HTTPResponse:
    ctx = request.app.ctx
    member = request.ctx.staff.member
    items = await blocking(_load_inbox, request)
    available = await blocking(ctx.handoffs.is_available, member.id)
    return render(
        request,
        "inbox.html",
        items=items,
        available=available,
        waiting_in_words=waiting_in_words,
        **_flash(request),
    )


@console.get("/inbox/summary")
async def inbox_summary(request: Request) -> HTTPResponse:
    """The waiting count for the navigation link (console pages poll it)."""
    try:
        waiting = await blocking(request.app.ctx.handoffs.count_waiting)
    except DatabaseUnavailable:
        return json_response({"error": "database unavailable"}, status=503)
    return json_response({"waiting": waiting}, headers={"Cache-Control": "no-store"})


@console.get("/inbox/events")
async def inbox_events(request: Request) -> HTTPResponse | None:
    """The inbox, or one conversation (``?handoff=<id>``), pushed whenever it changes."""
    ctx = request.app.ctx
    handoff_id = request.args.get("handoff", "")
    response = await request.respond(content_type="text/event-stream; charset=utf-8")
    stream = EventStream(response)
    await stream.send("retry: 2000\n\n")
    sent = ""
    started = time.monotonic()
    while not ctx.stopping and time.monotonic() - started < min(STREAM_SECONDS, ctx.handoff_stream_seconds):
        try:
            if handoff_id.isdigit():
                payload = await blocking(_conversation_payload, request, int(handoff_id))
            else:
                payload = {"items": [item.as_json() for item in await blocking(_load_inbox, request)]}
        except (DatabaseUnavailable, ConversationStoreUnavailable):
            payload = {"error": "The database cannot be reached; retrying."}
        event = sse_event("inbox", payload)
        digest = hashlib.sha256(event.encode()).hexdigest()
        if digest != sent:
            await stream.send(event)
            sent = digest
        await stream.keep_alive()
        await asyncio.sleep(ctx.settings.handoff_poll_seconds)
    await response.eof()
    return None


def _conversation_payload(request: Request, handoff_id: int) -> dict:
    ctx = request.app.ctx
    handoff = ctx.handoffs.get(handoff_id)
    if handoff is None:
        return {"state": "gone", "turns": []}
    turns = ctx.handoff_conversations.turns(handoff.sender_id)
    if turns and handoff.state != "closed":
        ctx.handoffs.mark_seen(handoff.id, turns[-1].event_id)  # staff have it on screen
    return {
        "state": handoff.state,
        "accepted_by": handoff.accepted_by,
        "turns": [
            {"id": t.event_id, "sender": t.sender, "text": t.text, "at": t.at, "staff_name": t.staff_name}
            for t in turns
        ],
    }


@console.get("/inbox/<handoff_id:int>")
@unless_stores_are_down
async def show_conversation(request: Request, handoff_id: int) -> HTTPResponse:
    ctx = request.app.ctx
    handoff = await blocking(ctx.handoffs.get, handoff_id)
    if handoff is None:
        return _no_such_conversation(request)
    payload = await blocking(_conversation_payload, request, handoff_id)
    turns = await blocking(ctx.handoff_conversations.turns, handoff.sender_id)
    return render(
        request,
        "inbox_conversation.html",
        handoff=handoff,
        turns=payload["turns"],
        draft=draft_lead(turns),
        reply_max=REPLY_MAX,
        staff_name=staff_display_name(request.ctx.staff.member.email),
        **_flash(request),
        lead_error=request.args.get("lead_error", "")[:300],
    )


def _flash(request: Request) -> dict[str, str]:
    """What the last redirect reported (``?notice=...``, ``?problem=...``), in words."""
    return {
        "notice": NOTICES.get(request.args.get("notice", ""), ""),
        "problem": PROBLEMS.get(request.args.get("problem", ""), ""),
    }


def _no_such_conversation(request: Request) -> HTTPResponse:
    return refuse(request, 404, "No such conversation", "There is no handed-over conversation with that number.")


async def _while_open(
    request: Request, handoff_id: int, work: Callable[..., Result], *args: Any
) -> tuple[Result | None, HTTPResponse | None]:
    """``work(*args)`` off the event loop, and no refusal; or a refusal if the handoff closed meanwhile
    (back to the conversation, saying so) or the database cannot be reached."""
    try:
        return await blocking(work, *args), None
    except HandoffClosed:
        return None, _back(handoff_id, problem="closed")
    except DatabaseUnavailable:
        return None, database_unavailable(request)


def _back(handoff_id: int, notice: str = "", problem: str = "", anchor: str = "reply") -> HTTPResponse:
    query = f"?notice={notice}" if notice else f"?problem={problem}" if problem else ""
    return redirect(f"/console/inbox/{handoff_id}{query}#{anchor}", status=303)


async def _append(request: Request, sender_id: str, events: list[dict]) -> bool:
    """Append to the tracker through the first Rasa server that answers."""
    ctx = request.app.ctx
    result: RasaUnavailable | None = RasaUnavailable("no Rasa server configured")
    for url in ctx.rasa_servers.order():
        result = await append_to_tracker(
            ctx.upstream, url, ctx.rasa_api_token, sender_id, events, ctx.settings.upstream_timeout
        )
        if result is None:
            ctx.rasa_servers.succeeded(url)
            return True
        if not result.connection_failed:
            return False
        ctx.rasa_servers.failed(url)
    return False


@console.post("/inbox/<handoff_id:int>/reply")
async def reply(request: Request, handoff_id: int) -> HTTPResponse:
    ctx = request.app.ctx
    member = request.ctx.staff.member
    text = (request.form.get("text") or "").strip()
    if not text:
        return _back(handoff_id, problem="empty")
    if len(text) > REPLY_MAX:
        return _back(handoff_id, problem="long")
    handoff, refused = await _while_open(request, handoff_id, ctx.handoffs.check_open, handoff_id)
    if refused is not None:
        return refused
    if not await _append(request, handoff.sender_id, [staff_reply_event(text, staff_display_name(member.email))]):
        return _back(handoff_id, problem="rasa")
    _, refused = await _while_open(request, handoff_id, ctx.handoffs.replied, handoff_id, member.email)
    return refused or _back(handoff_id, notice="sent")


@console.post("/inbox/<handoff_id:int>/hand-back")
async def hand_back(request: Request, handoff_id: int) -> HTTPResponse:
    ctx = request.app.ctx
    member = request.ctx.staff.member
    handoff, refused = await _while_open(request, handoff_id, ctx.handoffs.check_open, handoff_id)
    if refused is not None:
        return refused
    # Rasa first: if it cannot be reached the conversation stays with staff, nothing half done.
    if not await _append(request, handoff.sender_id, RESUME_EVENTS):
        return _back(handoff_id, problem="rasa", anchor="actions")

    def hand_back_and_record() -> None:
        ctx.handoffs.hand_back(handoff_id, member.email)
        console_of(request).audit().record(member.email, "handoff.hand_back", f"handoff:{handoff_id}")

    _, refused = await _while_open(request, handoff_id, hand_back_and_record)
    return refused or _back(handoff_id, notice="back", anchor="actions")


@console.post("/inbox/availability")
async def set_availability(request: Request) -> HTTPResponse:
    member = request.ctx.staff.member
    available = request.form.get("available") == "yes"
    try:
        await blocking(request.app.ctx.handoffs.set_available, member.id, available)
        await blocking(
            console_of(request).audit().record,
            member.email,
            "handoff.available" if available else "handoff.unavailable",
            f"staff:{member.id}",
        )
    except DatabaseUnavailable:
        return database_unavailable(request)
    return redirect(f"/console/inbox?notice={'available' if available else 'unavailable'}", status=303)


@console.post("/inbox/<handoff_id:int>/lead")
async def make_lead(request: Request, handoff_id: int) -> HTTPResponse:
    """A lead from the conversation, with the details staff checked and the visitor's agreement they confirmed."""
    ctx = request.app.ctx
    console_ = console_of(request)
    member = request.ctx.staff.member
    form = request.form
    if form.get("consent") != "yes":
        return _back(handoff_id, problem="consent", anchor="lead")
    try:
        handoff = await blocking(ctx.handoffs.get, handoff_id)
        if handoff is None:
            return _no_such_conversation(request)
        turns = await blocking(ctx.handoff_conversations.turns, handoff.sender_id)
    except (DatabaseUnavailable, ConversationStoreUnavailable):
        return database_unavailable(request)
    now = console_.now()
    submission = LeadSubmission(
        # One lead per handoff, however often the button is pressed.
        idempotency_key=make_idempotency_key(handoff.sender_id, f"handoff:{handoff.id}"),
        conversation_id=handoff.sender_id,
        name=(form.get("name") or "").strip(),
        email=(form.get("email") or "").strip(),
        phone=(form.get("phone") or "").strip() or None,
        message=(form.get("message") or "").strip() or None,
        transcript=lead_transcript(turns),
        consent=Consent(
            given_at=now.astimezone(timezone.utc),
            notice_version=ctx.settings.privacy_notice_version,
            notice_url=ctx.settings.privacy_notice_url,
            wording=f"{CONSENT_WORDING} (Agreed in a live chat; confirmed by {member.email}.)",
        ),
    )
    try:
        result = await blocking(console_.leads().submit, submission)
        await blocking(ctx.handoffs.link_lead, handoff_id, result.lead_id)
        await blocking(
            console_.audit().record,
            member.email,
            "handoff.lead",
            lead_subject(result.lead_id),
            f"from handoff:{handoff_id} ({mask_email(submission.email) if submission.email else 'no email'})",
        )
    except LeadRejected as error:
        return redirect(f"/console/inbox/{handoff_id}?lead_error={quote(str(error)[:300], safe='')}#lead", status=303)
    except DatabaseUnavailable:
        return database_unavailable(request)
    return redirect(f"/console/leads/{result.lead_id}", status=303)
