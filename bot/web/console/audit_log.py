"""The audit log for admins: sign-ins, changes, exports, erasures and purges, newest first."""

from __future__ import annotations

from sanic import Request
from sanic.response import HTTPResponse

from bot.storage.transactions import DatabaseUnavailable
from bot.web.back_office import blocking
from bot.web.console.blueprint import console
from bot.web.console.context import Console, console_of
from bot.web.console.guard import admin_only, database_unavailable
from bot.web.console.lead_filters import page_number
from bot.web.console.templates import render

PAGE_SIZE = 100


def load_audit(console: Console, action: str, page: int) -> dict:
    audit = console.audit()
    actions = audit.actions()
    action = action if action in actions else ""
    total = audit.count(action or None)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    entries = audit.recent(PAGE_SIZE, (page - 1) * PAGE_SIZE, action or None)
    return {"entries": entries, "actions": actions, "action": action, "page": page, "pages": pages, "total": total}


@console.get("/audit")
@admin_only
async def audit_log(request: Request) -> HTTPResponse:
    page = page_number(request.args.get("page"))
    try:
        values = await blocking(load_audit, console_of(request), request.args.get("action", ""), page)
    except DatabaseUnavailable:
        return database_unavailable(request)
    return render(request, "audit.html", **values)
