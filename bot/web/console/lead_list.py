"""The leads list (sorted, filtered, paginated, counted per status, with a "new since my
last visit" view) and its CSV and .xlsx exports.

The exports take exactly the list's filter, so what staff see is what they get
in the spreadsheet: CSV with every cell that could be read as a formula
neutralised, .xlsx with every cell typed as text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sanic import Request
from sanic.response import HTTPResponse, raw, redirect

from bot.leads.export import XLSX_CONTENT_TYPE, to_csv, to_xlsx
from bot.leads.lead_query import LEAD_SORTS, LeadFilter
from bot.leads.views import FilterChoices, LeadSummary
from bot.staff.audit import describe_filter
from bot.staff.list_visits import ListVisits
from bot.storage.transactions import DatabaseUnavailable
from bot.web.back_office import blocking
from bot.web.console.blueprint import console
from bot.web.console.context import Console, console_of
from bot.web.console.guard import database_unavailable
from bot.web.console.lead_filters import PRESETS, ListQuery, parse_list_query
from bot.web.console.templates import render

PAGE_SIZE = 50


@dataclass(frozen=True)
class ListPage:
    leads: list[LeadSummary]
    total: int
    counts: dict[str, int]
    choices: FilterChoices
    page: int
    pages: int
    last_visit: datetime | None = None
    new_count: int = 0  # received since the last visit, whatever the filter


def load_list_page(console: Console, query: ListQuery, actor: str = "") -> ListPage:
    repository = console.leads()
    last_visit = ListVisits(console.sessions, console.now).record(actor) if actor else None
    lead_filter = query.lead_filter(console.now(), console.time_zone, last_visit)
    counts = repository.status_counts(lead_filter)  # ignores the status: the tabs show every status
    total = counts[lead_filter.status] if lead_filter.status else sum(counts.values())
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(query.page, pages)
    return ListPage(
        leads=repository.list_leads(lead_filter, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, sort=query.sort)
        if total
        else [],
        total=total,
        counts=counts,
        choices=console.filter_choices(),
        page=page,
        pages=pages,
        last_visit=last_visit,
        new_count=repository.count(LeadFilter(received_from=last_visit)) if last_visit else 0,
    )


@console.get("/")
async def console_home(_request: Request) -> HTTPResponse:
    return redirect("/console/leads")


@console.get("/leads")
async def list_leads(request: Request) -> HTTPResponse:
    query = parse_list_query(request.args)
    try:
        page = await blocking(load_list_page, console_of(request), query, request.ctx.staff.member.email)
    except DatabaseUnavailable:
        return database_unavailable(request)
    return render(
        request, "leads.html", query=query, presets=PRESETS, sorts=LEAD_SORTS, listing=page, page_size=PAGE_SIZE
    )


def export_rows(console: Console, query: ListQuery, actor: str, kind: str) -> list[dict]:
    """The rows the list shows (its filter, and its "new" view), audited as exported."""
    last_visit = ListVisits(console.sessions, console.now).previous(actor) if query.view == "new" else None
    lead_filter = query.lead_filter(console.now(), console.time_zone, last_visit)
    rows = console.leads().export_rows(lead_filter=lead_filter)
    detail = f"{len(rows)} lead(s) as {kind}; {describe_filter(lead_filter)}"
    console.audit().record(actor, "lead.export", "leads", detail)
    return rows


def export_csv(console: Console, query: ListQuery, actor: str) -> tuple[str, int]:
    rows = export_rows(console, query, actor, "CSV")
    return to_csv(rows), len(rows)


def export_xlsx(console: Console, query: ListQuery, actor: str) -> bytes:
    return to_xlsx(export_rows(console, query, actor, "XLSX"))


@console.get("/leads.csv")
async def download_csv(request: Request) -> HTTPResponse:
    console = console_of(request)
    query = parse_list_query(request.args)
    try:
        text, _count = await blocking(export_csv, console, query, request.ctx.staff.member.email)
    except DatabaseUnavailable:
        return database_unavailable(request)
    stamp = console.now().astimezone(console.time_zone).strftime("%Y-%m-%d-%H%M")
    return raw(
        text.encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="leads-{stamp}.csv"'},
    )


@console.get("/leads.xlsx")
async def download_xlsx(request: Request) -> HTTPResponse:
    console = console_of(request)
    query = parse_list_query(request.args)
    try:
        workbook = await blocking(export_xlsx, console, query, request.ctx.staff.member.email)
    except DatabaseUnavailable:
        return database_unavailable(request)
    stamp = console.now().astimezone(console.time_zone).strftime("%Y-%m-%d-%H%M")
    return raw(
        workbook,
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="leads-{stamp}.xlsx"'},
    )
