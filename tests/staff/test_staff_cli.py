"""``python -m bot staff|tokens|purge|person|notifications``: one-line errors and exit code 2 for bad input."""

from __future__ import annotations

import io
import json
import sys
from datetime import datetime, timedelta, timezone

import pytest

from bot.cli import build_parser, main
from bot.leads.repository import LeadRepository
from bot.settings import Settings
from bot.staff.accounts import StaffAccounts
from bot.staff.api_tokens import ApiTokens
from bot.staff.audit import AuditLog
from bot.storage.engine import create_engine_for, session_factory
from tests.leads.builders import FakeClock, consent, submission
from tests.staff.tracker_events import TrackerEvents


@pytest.fixture
def env(tmp_path, monkeypatch) -> Settings:
    monkeypatch.setenv("BOT_VAR_DIR", str(tmp_path / "var"))
    for name in ("DATABASE_URL", "TRACKER_STORE_URL", "LEAD_RETENTION_DAYS"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings.from_env()
    assert main(["db", "upgrade"]) == 0
    return settings


@pytest.fixture
def sessions(env):
    engine = create_engine_for(env.database_url)
    yield session_factory(engine)
    engine.dispose()


def run(monkeypatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(argv)


def test_the_commands_are_listed():
    help_text = build_parser().format_help()
    for command in ("staff", "tokens", "purge", "person", "notifications"):
        assert command in help_text


def test_staff_add_reads_the_password_from_stdin(env, sessions, monkeypatch, capsys):
    assert run(monkeypatch, ["staff", "add", "Ann@Example.org", "--role", "admin"], "a long enough password\n") == 0
    assert capsys.readouterr().out == "Added ann@example.org (admin).\n"
    member = StaffAccounts(sessions).check_password("ann@example.org", "a long enough password")
    assert member is not None and member.is_admin
    assert AuditLog(sessions).recent()[0].action == "staff.add"


def test_staff_add_prompts_twice_on_a_terminal(env, sessions, monkeypatch, capsys):
    answers = iter(["terminal password 1", "terminal password 1"])
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    assert main(["staff", "add", "tim@example.org"]) == 0
    assert StaffAccounts(sessions).check_password("tim@example.org", "terminal password 1").role == "staff"


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["staff", "add", "not-an-email"], "long enough password", "'not-an-email' is not a usable email address"),
        (["staff", "add", "a@example.org"], "short", "at least 12 characters"),
        (["staff", "add", "a@example.org"], "", "no password given on standard input"),
        (["staff", "add", "a@example.org", "--role", "root"], "long enough password", "unknown role 'root'"),
        (["staff", "disable", "nobody@example.org"], "", "there is no account for nobody@example.org"),
        (["staff", "password", "nobody@example.org"], "", "there is no account for nobody@example.org"),
        (["tokens", "revoke", "missing"], "", "there is no token called 'missing'"),
        (["tokens", "create", "bad/name"], "", "a token name is 1 to 100"),
        (["purge", "--older-than", "two years"], "", "--older-than must be a number of days"),
        (["purge", "--older-than", "0d"], "", "--older-than must be a number of days"),
        (["purge", "--older-than", "99999999999d"], "", "--older-than must be a number of days"),
        (["person", "erase", "a@example.org"], "", "add --yes to confirm"),
        (["person", "export", "nonsense"], "", "give the email address the person used"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(env, monkeypatch, capsys, argv, stdin, message):
    assert run(monkeypatch, argv, stdin) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_adding_the_same_account_twice(env, monkeypatch, capsys):
    assert run(monkeypatch, ["staff", "add", "ann@example.org"], "a long enough password\n") == 0
    assert run(monkeypatch, ["staff", "add", "ANN@example.org"], "a long enough password\n") == 2
    assert "already an account for ann@example.org" in capsys.readouterr().err


def test_staff_list_and_disable(env, sessions, monkeypatch, capsys):
    run(monkeypatch, ["staff", "add", "ann@example.org", "--role", "admin"], "a long enough password\n")
    run(monkeypatch, ["staff", "add", "bob@example.org"], "a long enough password\n")
    assert run(monkeypatch, ["staff", "disable", "bob@example.org"]) == 0
    capsys.readouterr()
    assert run(monkeypatch, ["staff", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["EMAIL", "ROLE", "STATE", "CREATED", "(UTC)", "LAST", "SIGN-IN", "(UTC)"]
    assert lines[1].split()[:3] == ["ann@example.org", "admin", "active"]
    assert lines[2].split()[:3] == ["bob@example.org", "staff", "disabled"]
    assert StaffAccounts(sessions).check_password("bob@example.org", "a long enough password") is None


def test_password_reset_enables_the_account_again(env, sessions, monkeypatch):
    run(monkeypatch, ["staff", "add", "bob@example.org"], "a long enough password\n")
    run(monkeypatch, ["staff", "disable", "bob@example.org"])
    assert run(monkeypatch, ["staff", "password", "bob@example.org"], "another long password\n") == 0
    assert StaffAccounts(sessions).check_password("bob@example.org", "another long password") is not None


def test_tokens_are_printed_once_and_stored_hashed(env, sessions, monkeypatch, capsys):
    assert run(monkeypatch, ["tokens", "create", "crm"]) == 0
    captured = capsys.readouterr()
    token = captured.out.strip()
    assert token.startswith("ba_") and "cannot be shown again" in captured.err
    assert ApiTokens(sessions).authenticate(token).name == "crm"
    run(monkeypatch, ["tokens", "list"])
    listing = capsys.readouterr().out
    assert token not in listing and token[:10] + "..." in listing and "active" in listing
    assert run(monkeypatch, ["tokens", "revoke", "crm"]) == 0
    assert ApiTokens(sessions).authenticate(token) is None


def test_purge_uses_the_retention_setting_or_the_option(env, sessions, monkeypatch, capsys):
    now = datetime.now(timezone.utc)
    clock = FakeClock(now - timedelta(days=800))
    leads = LeadRepository(session_factory(create_engine_for(env.database_url)), clock=clock)
    old = leads.submit(submission(key="old", consent=consent(clock.now))).lead_id
    clock.now = now - timedelta(days=100)
    middle = leads.submit(submission(key="middle", consent=consent(clock.now))).lead_id
    tracker = TrackerEvents(env.tracker_store_url)
    tracker.user("web-old", "hello", now - timedelta(days=800))
    tracker.user("web-new", "hello", now - timedelta(days=1))

    assert run(monkeypatch, ["purge"]) == 0  # LEAD_RETENTION_DAYS, 730 by default
    assert capsys.readouterr().out == "Purged 1 lead(s) and 1 conversation(s) (1 event(s)) older than 730 days.\n"
    assert leads.get(old) is None and leads.get(middle) is not None
    assert run(monkeypatch, ["purge", "--older-than", "90d"]) == 0
    assert leads.get(middle) is None
    assert tracker.senders() == {"web-new"}
    actions = [entry.action for entry in AuditLog(sessions).recent()]
    assert actions.count("lead.purge") == 2 and actions.count("conversation.purge") == 2
    tracker.close()


def test_person_export_and_erase(env, sessions, monkeypatch, capsys, tmp_path):
    leads = LeadRepository(sessions)
    leads.submit(submission(key="p", conversation_id="web-p"))
    tracker = TrackerEvents(env.tracker_store_url)
    tracker.user("web-p", "hello", datetime.now(timezone.utc))
    output = tmp_path / "priya.json"
    assert run(monkeypatch, ["person", "export", "priya.shah@example.nhs.uk", "--output", str(output)]) == 0
    document = json.loads(output.read_text())
    assert len(document["leads"]) == 1 and list(document["conversations"]) == ["web-p"]
    capsys.readouterr()
    assert run(monkeypatch, ["person", "erase", "priya.shah@example.nhs.uk", "--yes"]) == 0
    assert capsys.readouterr().out == "Erased 1 lead(s) and 1 conversation(s) (1 event(s)) for p***@e***.uk.\n"
    assert tracker.count() == 0
    tracker.close()


def test_an_unreachable_database_is_exit_code_1(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres:secret@127.0.0.1:1/none?connect_timeout=2")
    assert run(monkeypatch, ["staff", "list"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "secret" not in err and "db upgrade" in err


def test_notifications_deliver_without_channels(env, monkeypatch, capsys):
    assert run(monkeypatch, ["notifications", "deliver"]) == 0
    assert "No notification channel is configured" in capsys.readouterr().out
