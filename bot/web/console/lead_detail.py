"""One lead in full, and the changes staff make to it: status, assignee, notes.

Any status may follow any other (a lead closed by mistake can be reopened);
every change is stored with who made it and when, and shown on the page with
the notes and the lead's audit trail. Changes are POSTs that redirect back
(so a reload never repeats them), each checked for the CSRF token by the guard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sanic import Request
from sanic.response import HTTPResponse, redirect

from bot.leads.models import NOTE_MAX, STATUSES
from bot.leads.repository import InvalidStatus, LeadNotFound
from bot.leads.submission import LeadRejected
from bot.leads.views import LeadDetail, LeadSummary
from bot.staff.audit import AuditRecord, lead_subject
from bot.staff.notification_outbox import QueuedNotification
from bot.storage.transactions import DatabaseUnavailable
from bot.web.back_office import Result, blocking
from bot.web.console.blueprint import console
from bot.web.console.context import Console, console_of
from bot.web.console.guard import database_unavailable, refuse
from bot.web.console.templates import render

NOTICES = {
    "status": "Status updated.",
    "status-same": "The lead already had that status.",
    "assigned": "Assignee updated.",
    "note": "Note added.",
}
PROBLEMS = {
    "status": "Choose one of the statuses.",
    "assignee": "Choose a member of staff from the list.",
    "note-empty": "Write something in the note first.",
    "note-long": f"A note can be at most {NOTE_MAX:,} characters.",
}


@dataclass(frozen=True)
class LeadPage:
    lead: LeadDetail
    same_email: list[LeadSummary]
    audit: list[AuditRecord]
    staff_emails: list[str]
    notifications: list[QueuedNotification]


def load_lead_page(console: Console, lead_id: int) -> LeadPage | None:
    repository = console.leads()
    lead = repository.get(lead_id)
    if lead is None:
        return None
    return LeadPage(
        lead=lead,
        same_email=[other for other in repository.leads_for_email(lead.email) if other.id != lead.id],
        audit=console.audit().for_subject(lead_subject(lead_id)),
        staff_emails=console.accounts().active_emails(),
        notifications=console.notification_queue().for_lead(lead_id),
    )


def not_found(request: Request) -> HTTPResponse:
    return refuse(request, 404, "No such lead", "There is no lead with that number. It may have been erased.")


def back_to(lead_id: int, anchor: str, notice: str = "", problem: str = "") -> HTTPResponse:
    query = f"?notice={notice}" if notice else f"?problem={problem}" if problem else ""
    return redirect(f"/console/leads/{lead_id}{query}#{anchor}", status=303)


@console.get("/leads/<lead_id:int>")
async def show_lead(request: Request, lead_id: int) -> HTTPResponse:
    try:
        page = await blocking(load_lead_page, console_of(request), lead_id)
    except DatabaseUnavailable:
        return database_unavailable(request)
    if page is None:
        return not_found(request)
    return render(
        request,
        "lead.html",
        page=page,
        lead=page.lead,
        notice=NOTICES.get(request.args.get("notice", ""), ""),
        problem=PROBLEMS.get(request.args.get("problem", ""), ""),
        note_max=NOTE_MAX,
    )


async def _change_lead(
    request: Request, lead_id: int, section: str, work: Callable[..., Result], *args: Any, problem: str = ""
) -> tuple[Result | None, HTTPResponse | None]:
    """Run one change to a lead off the event loop: its result and no refusal, or the page that says
    why not (no such lead; the change refused, back to ``section`` with ``problem``; the database down)."""
    try:
        return await blocking(work, *args), None
    except LeadNotFound:
        return None, not_found(request)
    except (InvalidStatus, LeadRejected):
        return None, back_to(lead_id, section, problem=problem or section)
    except DatabaseUnavailable:
        return None, database_unavailable(request)


@console.post("/leads/<lead_id:int>/status")
async def change_status(request: Request, lead_id: int) -> HTTPResponse:
    status = (request.form.get("status") or "").strip().lower()
    if status not in STATUSES:
        return back_to(lead_id, "status", problem="status")
    change, member = console_of(request).leads().change_status, request.ctx.staff.member
    changed, refused = await _change_lead(request, lead_id, "status", change, lead_id, status, member.email)
    return refused or back_to(lead_id, "status", notice="status" if changed else "status-same")


@console.post("/leads/<lead_id:int>/assignee")
async def change_assignee(request: Request, lead_id: int) -> HTTPResponse:
    console = console_of(request)
    assignee = (request.form.get("assignee") or "").strip().lower()

    def assign() -> None:
        if assignee and assignee not in console.accounts().active_emails():
            raise LeadRejected("not a member of staff", field="assignee")
        console.leads().assign(lead_id, assignee or None, request.ctx.staff.member.email)

    _, refused = await _change_lead(request, lead_id, "assignee", assign)
    return refused or back_to(lead_id, "assignee", notice="assigned")


@console.post("/leads/<lead_id:int>/notes")
async def add_note(request: Request, lead_id: int) -> HTTPResponse:
    body = (request.form.get("body") or "").strip()
    if not body:
        return back_to(lead_id, "notes", problem="note-empty")
    if len(body) > NOTE_MAX:
        return back_to(lead_id, "notes", problem="note-long")
    leads = console_of(request).leads()
    _, refused = await _change_lead(
        request, lead_id, "notes", leads.add_note, lead_id, request.ctx.staff.member.email, body, problem="note-empty"
    )
    return refused or back_to(lead_id, "notes", notice="note")
