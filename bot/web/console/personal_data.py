"""Requests about one person's data, for admins: a copy of everything held (subject
access, as JSON) and erasure (leads, notes, history and conversations).

Both are POSTs (the email address stays out of URLs and logs) and both are
audited. Erasure also needs the confirmation box ticked: it cannot be undone.
"""

from __future__ import annotations

import json

from sanic import Request
from sanic.response import HTTPResponse, raw, redirect

from bot.leads.submission import LeadRejected
from bot.staff.conversations import ConversationStoreUnavailable
from bot.staff.personal_data import erase_person, subject_access
from bot.storage.transactions import DatabaseUnavailable
from bot.web.back_office import blocking
from bot.web.console.blueprint import console
from bot.web.console.context import Console, console_of
from bot.web.console.guard import admin_only, database_unavailable
from bot.web.console.templates import render

EMAIL_FIELD_MAX = 254


def _prefill(console: Console, lead_text: str) -> str:
    lead = console.leads().get(int(lead_text)) if lead_text.isascii() and lead_text.isdigit() else None
    return lead.email if lead else ""


def _page(request: Request, status: int = 200, email: str = "", problem: str = "") -> HTTPResponse:
    erased = request.args.get("erased", "")
    conversations = request.args.get("conversations", "")
    done = ""
    if erased.isdigit() and conversations.isdigit():
        done = f"Erased {erased} lead(s) and {conversations} conversation(s). The audit log records it."
    return render(request, "people.html", status=status, email=email, problem=problem, done=done)


@console.get("/people")
@admin_only
async def people(request: Request) -> HTTPResponse:
    try:
        email = await blocking(_prefill, console_of(request), request.args.get("lead", ""))
    except DatabaseUnavailable:
        return database_unavailable(request)
    return _page(request, email=email)


def _email(request: Request) -> str:
    return (request.form.get("email") or "").strip().lower()[:EMAIL_FIELD_MAX]


@console.post("/people/export")
@admin_only
async def export_person(request: Request) -> HTTPResponse:
    console = console_of(request)
    email = _email(request)
    try:
        document = await blocking(
            subject_access,
            console.leads(),
            console.conversations,
            console.audit(),
            email,
            request.ctx.staff.member.email,
            console.now,
        )
    except LeadRejected:
        return _page(request, 400, email, "Enter the email address the person used.")
    except (DatabaseUnavailable, ConversationStoreUnavailable):
        return database_unavailable(request)
    stamp = console.now().astimezone(console.time_zone).strftime("%Y-%m-%d")
    return raw(
        json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="subject-access-{stamp}.json"'},
    )


@console.post("/people/erase")
@admin_only
async def erase(request: Request) -> HTTPResponse:
    console = console_of(request)
    email = _email(request)
    if request.form.get("confirm") != "yes":
        return _page(request, 400, email, "Tick the box to confirm: erasing cannot be undone.")
    try:
        report = await blocking(
            erase_person, console.leads(), console.conversations, console.audit(), email, request.ctx.staff.member.email
        )
    except LeadRejected:
        return _page(request, 400, email, "Enter the email address the person used.")
    except ConversationStoreUnavailable:
        return _page(request, 503, email, "The conversation store cannot be reached, so nothing was erased. Try again.")
    except DatabaseUnavailable:
        return database_unavailable(request)
    return redirect(f"/console/people?erased={report.leads}&conversations={report.conversations}", status=303)
