"""API tokens for admins: every token with its scopes, expiry and last use, and revocation."""

from __future__ import annotations

from sanic import Request
from sanic.response import HTTPResponse, redirect

from bot.staff.api_tokens import TokenError
from bot.storage.transactions import DatabaseUnavailable
from bot.web.back_office import blocking
from bot.web.console.blueprint import console
from bot.web.console.context import Console, console_of
from bot.web.console.guard import admin_only, database_unavailable, refuse
from bot.web.console.templates import render


def load_tokens(console: Console) -> dict:
    tokens = console.tokens()
    now = tokens.now()
    return {"tokens": [(token, token.state(now)) for token in tokens.all()]}


def revoke(console: Console, name: str, actor: str) -> str:
    info = console.tokens().revoke(name)
    console.audit().record(actor, "token.revoke", f"token:{info.name}", "from the console")
    return info.name


@console.get("/tokens")
@admin_only
async def token_list(request: Request) -> HTTPResponse:
    try:
        values = await blocking(load_tokens, console_of(request))
    except DatabaseUnavailable:
        return database_unavailable(request)
    return render(request, "tokens.html", **values, revoked=request.args.get("revoked", ""))


@console.post("/tokens/revoke")
@admin_only
async def token_revoke(request: Request) -> HTTPResponse:
    name = (request.form.get("name") or "").strip()
    try:
        revoked = await blocking(revoke, console_of(request), name, request.ctx.staff.member.email)
    except TokenError as error:
        return refuse(request, 404, "No such token", str(error))
    except DatabaseUnavailable:
        return database_unavailable(request)
    return redirect(f"/console/tokens?revoked={revoked}", status=303)
