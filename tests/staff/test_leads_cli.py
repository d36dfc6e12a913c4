"""``python -m bot leads ...`` and ``db upgrade`` through the handlers that register() installs."""

from __future__ import annotations

import argparse
import csv
import io
import json

import pytest

from bot.leads.repository import LeadRepository
from bot.settings import Settings
from bot.staff.audit import AuditLog, AuditRecord
from bot.staff.leads_cli import register
from bot.storage.engine import create_engine_for, session_factory
from tests.leads.builders import FakeClock, submission
from tests.storage.databases import HEAD_REVISION


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot")
    register(parser.add_subparsers(dest="command", required=True))
    return parser


def run(settings: Settings, *argv: str) -> int:
    args = parser().parse_args(argv)
    return args.handler(settings, args)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path)})


@pytest.fixture
def stored(settings, capsys) -> list:
    """Two leads in a freshly upgraded database, oldest first."""
    assert run(settings, "db", "upgrade") == 0
    assert f"is at revision {HEAD_REVISION}" in capsys.readouterr().out
    engine = create_engine_for(settings.database_url)
    clock = FakeClock()
    repository = LeadRepository(session_factory(engine), clock=clock)
    first = repository.submit(submission(key="a", name="Alan Old", email="alan@example.org"))
    clock.advance(days=3)
    second = repository.submit(submission(key="b", name="Beth New", email="beth@example.org", message="=1+1"))
    repository.change_status(first.lead_id, "contacted", "sam")
    engine.dispose()
    return [first, second]


def test_db_upgrade_creates_the_database_under_var(settings, tmp_path, capsys):
    assert run(settings, "db", "upgrade") == 0
    assert (tmp_path / "var" / "leads.db").exists()
    assert run(settings, "db", "upgrade") == 0
    assert capsys.readouterr().out.count(f"is at revision {HEAD_REVISION}") == 2


def test_db_upgrade_reports_an_unreachable_database(capsys):
    settings = Settings.from_env({"DATABASE_URL": "postgresql://postgres:secret@127.0.0.1:1/test?connect_timeout=3"})
    assert run(settings, "db", "upgrade") == 1
    err = capsys.readouterr().err
    assert err.startswith("error: could not upgrade postgresql://postgres:***@127.0.0.1:1/test")
    assert "secret" not in err and "Traceback" not in err


def test_list_is_newest_first(settings, stored, capsys):
    assert run(settings, "leads", "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["ID", "REFERENCE", "RECEIVED", "(UTC)"]
    assert [line.split()[1] for line in lines[1:]] == [stored[1].reference, stored[0].reference]


def test_list_filters(settings, stored, capsys):
    assert run(settings, "leads", "list", "--status", "contacted") == 0
    assert stored[0].reference in capsys.readouterr().out
    assert run(settings, "leads", "list", "--since", "2026-11-04", "--limit", "5") == 0
    out = capsys.readouterr().out
    assert stored[1].reference in out and stored[0].reference not in out
    assert run(settings, "leads", "list", "--search", "beth@") == 0
    assert stored[0].reference not in capsys.readouterr().out
    assert run(settings, "leads", "list", "--search", "nobody-like-this") == 0
    assert capsys.readouterr().out == "No leads match.\n"


def test_search_means_what_it_means_in_the_console_every_word_anywhere(settings, stored, capsys):
    """The console's LeadFilter: words in any order, each in any of the searched fields."""
    assert run(settings, "leads", "list", "--search", "new beth") == 0
    out = capsys.readouterr().out
    assert stored[1].reference in out and stored[0].reference not in out
    assert run(settings, "leads", "export", "--format", "json", "--search", "OLD alan") == 0
    assert [row["reference"] for row in json.loads(capsys.readouterr().out)] == [stored[0].reference]


def test_show_by_id_and_by_reference(settings, stored, capsys):
    assert run(settings, "leads", "show", str(stored[0].lead_id)) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{stored[0].reference}  (id {stored[0].lead_id})  status: contacted")
    assert "alan@example.org" in out and "+447911123456" in out
    assert "HM-101 Healthcare Management Fundamentals" in out
    assert "notice 2026-11 (/privacy)" in out
    assert "new -> contacted  by sam" in out
    assert "visitor I'd like to enrol" in out

    assert run(settings, "leads", "show", stored[1].reference.lower()) == 0
    assert "Beth New" in capsys.readouterr().out


def test_export_json_to_stdout(settings, stored, capsys):
    assert run(settings, "leads", "export", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [lead["reference"] for lead in data] == [stored[0].reference, stored[1].reference]
    assert data[0]["consent"]["notice_version"] == "2026-11"


def test_export_csv_to_a_file(settings, stored, tmp_path, capsys):
    target = tmp_path / "leads.csv"
    assert run(settings, "leads", "export", "--format", "CSV", "--since", "2026-11-04", "--output", str(target)) == 0
    assert f"Wrote 1 lead(s) to {target}" in capsys.readouterr().err
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [row["reference"] for row in rows] == [stored[1].reference]
    assert rows[0]["message"] == "'=1+1"


def test_export_json_to_a_file(settings, stored, tmp_path):
    target = tmp_path / "leads.json"
    assert run(settings, "leads", "export", "--format", "json", "--output", str(target)) == 0
    assert len(json.loads(target.read_text(encoding="utf-8"))) == len(stored)


def audit_entries(settings: Settings) -> list[AuditRecord]:
    """What the CLI's reads left in the audit log (the leads' own ``lead.created``/``lead.status`` left out)."""
    engine = create_engine_for(settings.database_url)
    try:
        entries = AuditLog(session_factory(engine)).recent(100)
    finally:
        engine.dispose()
    return [entry for entry in reversed(entries) if entry.action in ("lead.read", "lead.export")]


def test_show_and_export_are_audited_as_the_operating_system_user(settings, stored, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("getpass.getuser", lambda: "registrar")
    assert run(settings, "leads", "list") == 0
    assert audit_entries(settings) == []  # the list shows no more than the console's list does

    assert run(settings, "leads", "show", stored[1].reference) == 0
    to_file = str(tmp_path / "a.csv")
    export_to_file = ("leads", "export", "--format", "csv", "--since", "2026-11-04", "--output", to_file)
    assert run(settings, *export_to_file) == 0
    assert run(settings, "leads", "export", "--format", "json") == 0
    capsys.readouterr()
    read, to_file, to_stdout = audit_entries(settings)
    assert (read.actor, read.action, read.subject) == ("cli:registrar", "lead.read", f"lead:{stored[1].lead_id}")
    assert (to_file.actor, to_file.action, to_file.subject) == ("cli:registrar", "lead.export", "leads")
    assert to_file.detail.startswith("1 lead(s) as CSV; received_from: 2026-11-04T00:00:00+00:00")
    assert "a.csv" in to_file.detail
    assert to_stdout.detail.startswith("2 lead(s) as JSON; all leads") and "standard output" in to_stdout.detail


def test_refused_reads_leave_no_audit_entry(settings, stored, tmp_path, capsys):
    assert run(settings, "leads", "show", "BA-NOPE99") == 2
    assert run(settings, "leads", "export", "--format", "csv", "--output", str(tmp_path)) == 2
    capsys.readouterr()
    assert audit_entries(settings) == []


def test_an_unknown_operating_system_user_is_audited_as_cli(settings, stored, monkeypatch, capsys):
    def no_user() -> str:
        raise KeyError("uid 4242 has no name")

    monkeypatch.setattr("getpass.getuser", no_user)
    assert run(settings, "leads", "show", str(stored[0].lead_id)) == 0
    capsys.readouterr()
    assert [entry.actor for entry in audit_entries(settings)] == ["cli"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("leads", "list", "--since", "yesterday"), "--since must be a date like 2026-11-01, got 'yesterday'"),
        (("leads", "list", "--since", "2026-13-45"), "--since must be a date"),
        (("leads", "export", "--format", "json", "--since", "soon"), "--since must be a date"),
        (("leads", "list", "--status", "lost"), "unknown status 'lost'; use one of new, contacted"),
        (("leads", "export", "--format", "json", "--status", "won"), "unknown status 'won'; use one of new"),
        (("leads", "list", "--limit", "ten"), "--limit must be a whole number"),
        (("leads", "list", "--limit", "0"), "--limit must be between 1 and"),
        (("leads", "show", "999"), "no lead with id or reference '999'"),
        (("leads", "show", "BA-NOPE99"), "no lead with id or reference 'BA-NOPE99'"),
        (("leads", "export", "--format", "xlsx"), "unknown export format 'xlsx'; use csv or json"),
        (
            ("leads", "export", "--format", "csv", "--output", "/no/such/folder/leads.csv"),
            "folder /no/such/folder does not exist",
        ),
    ],
)
@pytest.mark.usefixtures("stored")
def test_bad_input_is_one_line_and_exit_code_2(settings, capsys, argv, message):
    assert run(settings, *argv) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error: ") and message in captured.err
    assert captured.err.count("\n") == 1
    assert captured.out == ""


@pytest.mark.usefixtures("stored")
def test_an_output_path_that_is_a_folder_or_cannot_be_written_is_bad_input(settings, tmp_path, capsys):
    assert run(settings, "leads", "export", "--format", "csv", "--output", str(tmp_path)) == 2
    assert "it is a directory" in capsys.readouterr().err
    # /dev/full accepts the open and fails the write, as a full disk would (and does so even for root).
    assert run(settings, "leads", "export", "--format", "csv", "--output", "/dev/full") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot write /dev/full: ") and err.count("\n") == 1


def test_a_missing_database_is_reported_without_a_traceback(tmp_path, capsys):
    settings = Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'absent' / 'leads.db'}"})
    assert run(settings, "leads", "list") == 1
    err = capsys.readouterr().err
    assert err.startswith("error: database unavailable") and "db upgrade" in err
    assert "Traceback" not in err


def test_commands_are_in_the_help():
    help_text = parser().format_help()
    assert "leads" in help_text and "db" in help_text
