"""``GET /api/leads``, ``/api/leads/<id>`` and ``/api/openapi.json``: leads for other systems.

Read-only, behind bearer tokens (``python -m bot tokens create NAME``; only a
digest is stored) that expire and carry scopes: each route names the scope it
needs with ``@needs_scope``, and a route that names none refuses every token
(deny by default). The OpenAPI document also opens to a signed-in member of
staff, so it can be read from the console. Reads that return personal data
are recorded in the audit log as ``token:NAME``.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from urllib.parse import urlencode

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from bot.leads.lead_query import InvalidFilter, LeadFilter, start_of_day
from bot.leads.models import STATUSES
from bot.leads.serializer import detail_json, summary_json
from bot.leads.views import LeadDetail, LeadSummary
from bot.staff.api_tokens import SCOPES
from bot.staff.audit import lead_subject
from bot.storage.transactions import DatabaseUnavailable
from bot.web.back_office import back_office_of, blocking
from bot.web.cookies import session_token
from bot.web.openapi_leads import leads_openapi

api_leads = Blueprint("api_leads")

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
LIST_PARAMETERS = ("since", "status", "page", "per_page")
OPENAPI_PATH = "/api/openapi.json"
API_HEADERS = {"Cache-Control": "no-store"}


class BadRequest(ValueError):
    pass


def api_error(status: int, message: str, headers: dict[str, str] | None = None) -> HTTPResponse:
    return json_response({"error": message}, status=status, headers={**API_HEADERS, **(headers or {})})


def needs_scope(scope: str):
    """The token scope a route requires (bot/staff/api_tokens.py SCOPES)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def mark(handler):
        handler.required_scope = scope
        return handler

    return mark


def required_scope(request: Request) -> str | None:
    route = getattr(request, "route", None)
    return getattr(getattr(route, "handler", None), "required_scope", None)


def _bearer(request: Request) -> str | None:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@api_leads.middleware("request")
async def bearer_token_only(request: Request) -> HTTPResponse | None:
    office = back_office_of(request)
    token = _bearer(request)
    try:
        if token:
            found = await blocking(office.tokens().authenticate, token)
            if found is not None:
                scope = required_scope(request)
                if request.path != OPENAPI_PATH and (scope is None or not found.allows(scope)):
                    needed = scope or "a scope this route does not grant to tokens"
                    return api_error(403, f"This token may not do this: it needs the scope {needed}.")
                request.ctx.api_actor = f"token:{found.name}"
                return None
        elif request.path == OPENAPI_PATH and session_token(request):
            signed_in = await blocking(office.staff_sessions().resolve, session_token(request))
            if signed_in is not None:
                request.ctx.api_actor = signed_in.member.email
                return None
    except DatabaseUnavailable:
        return api_error(503, "The leads database cannot be reached. Try again shortly.")
    if token:
        challenge = 'Bearer realm="leads", error="invalid_token"'
        return api_error(
            401, "The bearer token is not valid (unknown, revoked or expired).", {"WWW-Authenticate": challenge}
        )
    return api_error(
        401,
        "A bearer token is required: send 'Authorization: Bearer <token>' "
        "(an admin creates one with `python -m bot tokens create NAME`).",
        {"WWW-Authenticate": 'Bearer realm="leads"'},
    )


# --- representation ----------------------------------------------------------------


# --- parameters --------------------------------------------------------------------


def parse_since(text: str) -> datetime:
    value = text.strip()
    try:
        if len(value) == 10:
            return start_of_day(date.fromisoformat(value))
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc)  # years 1 and 9999 with an offset overflow here
    except (ValueError, OverflowError):
        raise BadRequest(
            f"'since' must be an ISO 8601 date or date-time such as 2026-11-01T09:00:00Z, got {value[:40]!r}"
        ) from None


def _whole_number(args, name: str, default: int, maximum: int) -> int:
    text = (args.get(name) or "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= maximum:
        raise BadRequest(f"'{name}' must be a whole number from 1 to {maximum}, got {text[:20]!r}")
    return int(text)


def parse_list_parameters(args) -> tuple[LeadFilter, int, int]:
    unknown = sorted(set(args) - set(LIST_PARAMETERS))
    if unknown:
        raise BadRequest(f"unknown parameter(s): {', '.join(unknown)[:100]}; use {', '.join(LIST_PARAMETERS)}")
    status = (args.get("status") or "").strip().lower()
    since = parse_since(args.get("since")) if (args.get("since") or "").strip() else None
    page = _whole_number(args, "page", 1, 1_000_000)
    per_page = _whole_number(args, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    try:
        return LeadFilter(status=status or None, received_from=since), page, per_page
    except InvalidFilter as error:
        raise BadRequest(f"'status' must be one of {', '.join(STATUSES)}") from error


# --- routes ------------------------------------------------------------------------


def _list(office, lead_filter: LeadFilter, page: int, per_page: int, actor: str) -> tuple[list[LeadSummary], int]:
    repository = office.leads()
    total = repository.count(lead_filter)
    leads = repository.list_leads(lead_filter, limit=per_page, offset=(page - 1) * per_page, sort="oldest")
    if leads:
        references = ", ".join(lead.reference for lead in leads)
        office.audit().record(actor, "api.list", "leads", f"page {page}: {len(leads)} lead(s): {references}")
    return leads, total


@api_leads.get("/api/leads")
@needs_scope("leads:read")
async def list_leads(request: Request) -> HTTPResponse:
    try:
        lead_filter, page, per_page = parse_list_parameters(request.args)
    except BadRequest as error:
        return api_error(400, str(error))
    try:
        office, actor = back_office_of(request), request.ctx.api_actor
        leads, total = await blocking(_list, office, lead_filter, page, per_page, actor)
    except DatabaseUnavailable:
        return api_error(503, "The leads database cannot be reached. Try again shortly.")
    next_page = None
    if page * per_page < total:
        pairs = [(name, request.args.get(name)) for name in ("since", "status") if request.args.get(name)]
        next_page = "/api/leads?" + urlencode([*pairs, ("page", page + 1), ("per_page", per_page)])
    body = {
        "data": [summary_json(lead) for lead in leads],
        "page": page,
        "per_page": per_page,
        "total": total,
        "next_page": next_page,
    }
    return json_response(body, headers=API_HEADERS)


def _read(office, lead_id: int, actor: str) -> LeadDetail | None:
    lead = office.leads().get(lead_id)
    if lead is not None:
        office.audit().record(actor, "api.read", lead_subject(lead_id))
    return lead


@api_leads.get("/api/leads/<lead_id:int>")
@needs_scope("leads:read")
async def get_lead(request: Request, lead_id: int) -> HTTPResponse:
    try:
        lead = await blocking(_read, back_office_of(request), lead_id, request.ctx.api_actor)
    except DatabaseUnavailable:
        return api_error(503, "The leads database cannot be reached. Try again shortly.")
    if lead is None:
        return api_error(404, f"There is no lead {lead_id} (it may have been erased).")
    return json_response(detail_json(lead), headers=API_HEADERS)


@api_leads.get(OPENAPI_PATH)
async def openapi_document(_request: Request) -> HTTPResponse:
    return json_response(leads_openapi(MAX_PER_PAGE, DEFAULT_PER_PAGE), headers=API_HEADERS)
