"""Defect 10: API tokens expire (90 days by default), carry scopes, record their last use, and can be
revoked from the CLI and the console.

Before: a token worked for ever, for every API route, and only the CLI could revoke it.
"""

from __future__ import annotations

import argparse
from datetime import timedelta

import pytest
from sqlalchemy import inspect, text

from bot.staff.api_tokens import ApiTokens, TokenError, parse_scopes
from bot.staff.cli import register
from bot.storage.engine import create_engine_for
from bot.storage.migrate import current_revision, downgrade, upgrade
from tests.security.conftest import NOW
from tests.storage.databases import HEAD_REVISION


@pytest.fixture
def tokens(sessions, clock) -> ApiTokens:
    return ApiTokens(sessions, clock)


def get(app, path: str, token: str):
    _, response = app.test_client.get(path, headers={"Authorization": f"Bearer {token}"})
    return response


def test_a_new_token_expires_after_90_days_with_the_read_scope(tokens):
    _secret, info = tokens.create("crm sync")
    assert info.expires_at == NOW + timedelta(days=90)
    assert info.scopes == ("leads:read",)


def test_an_expired_token_stops_working(app, tokens, clock):
    secret, _info = tokens.create("short lived", days=1)
    assert get(app, "/api/leads", secret).status == 200
    clock.advance(days=1)
    response = get(app, "/api/leads", secret)
    assert response.status == 401 and "expired" in response.json["error"]
    assert tokens.all()[0].state(clock()) == "expired"


def test_a_token_without_the_routes_scope_is_refused_with_403(app, tokens):
    secret, _info = tokens.create("exporter", scopes=["leads:export"])
    response = get(app, "/api/leads", secret)
    assert response.status == 403 and "leads:read" in response.json["error"]
    assert get(app, "/api/openapi.json", secret).status == 200  # the API's description holds no personal data


def test_last_use_is_recorded(app, tokens, clock):
    secret, _info = tokens.create("crm sync")
    assert tokens.all()[0].last_used_at is None
    get(app, "/api/leads", secret)
    assert tokens.all()[0].last_used_at == clock()


@pytest.mark.parametrize(
    ("given", "scopes"), [(None, ("leads:read",)), (["read", "export"], ("leads:read", "leads:export"))]
)
def test_scopes_are_checked(given, scopes):
    assert parse_scopes(given) == scopes


@pytest.mark.parametrize("given", [["admin"], ["leads:delete"], ["read,everything"]])
def test_unknown_scopes_are_refused(given):
    with pytest.raises(TokenError, match="unknown scope"):
        parse_scopes(given)


@pytest.mark.parametrize("days", [0, 367])
def test_the_lifetime_is_bounded(tokens, days):
    with pytest.raises(TokenError, match="1 to 366 days"):
        tokens.create("forever", days=days)


def run_cli(settings, monkeypatch, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(settings, args)


def test_cli_creates_scoped_expiring_tokens_and_lists_them(settings, sessions, monkeypatch, capsys):
    assert (
        run_cli(
            settings, monkeypatch, "tokens", "create", "crm", "--scope", "read", "--scope", "status", "--days", "30"
        )
        == 0
    )
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("ba_")
    assert run_cli(settings, monkeypatch, "tokens", "list") == 0
    listing = capsys.readouterr().out
    assert "leads:read leads:status" in listing and "active" in listing and "EXPIRES" in listing
    assert run_cli(settings, monkeypatch, "tokens", "revoke", "crm") == 0
    assert run_cli(settings, monkeypatch, "tokens", "list") == 0
    assert "revoked" in capsys.readouterr().out


def test_an_admin_revokes_a_token_from_the_console(app, admin, tokens):
    secret, _info = tokens.create("crm sync")
    page = admin.get("/console/tokens")
    assert page.status == 200 and "crm sync" in page.text and "leads:read" in page.text
    response = admin.post("/console/tokens/revoke", {"name": "crm sync"})
    assert response.status == 303
    assert get(app, "/api/leads", secret).status == 401
    assert "revoked" in admin.get("/console/tokens").text


def test_staff_who_are_not_admins_cannot_revoke(app, staff, tokens):
    secret, _info = tokens.create("crm sync")
    assert staff.post("/console/tokens/revoke", {"name": "crm sync"}).status == 403
    assert get(app, "/api/leads", secret).status == 200


def test_migration_0003_gives_existing_tokens_the_read_scope_and_an_expiry(tmp_path):
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    upgrade(url, "0002")
    engine = create_engine_for(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO api_tokens (name, token_digest, prefix, created_at) "
                    "VALUES ('old', :digest, 'ba_old', '2026-01-01 00:00:00')"
                ),
                {"digest": "0" * 64},
            )
        upgrade(engine)
        with engine.connect() as connection:
            scopes, expires_at = connection.execute(text("SELECT scopes, expires_at FROM api_tokens")).one()
        assert scopes == "leads:read" and expires_at is not None
        downgrade(engine, "0002")
        assert {c["name"] for c in inspect(engine).get_columns("api_tokens")} >= {"name", "revoked_at"}
        assert "expires_at" not in {c["name"] for c in inspect(engine).get_columns("api_tokens")}
        upgrade(engine)
        assert current_revision(engine) == HEAD_REVISION
    finally:
        engine.dispose()
