"""Defect 5: databases, exports and logs are 0600 in 0700 folders; an export never overwrites a file.

Before: ``var/*.db``, exports and logs were created 0644 under the default
umask, and ``leads export --output`` wrote over whatever file was named.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

import pytest

from bot.runtime.stack import ProcessSpec, Stack
from bot.settings import Settings
from bot.staff.leads_cli import register


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(settings: Settings, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(settings, args)


@pytest.fixture
def loose_umask():
    """The usual 022 umask, whatever the test runner has: files would be 0644 without the fix."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path)})


@pytest.mark.usefixtures("loose_umask")
def test_db_upgrade_creates_a_private_database_in_a_private_folder(settings):
    assert run(settings, "db", "upgrade") == 0
    assert mode(settings.var_dir) == 0o700
    assert mode(settings.var_dir / "leads.db") == 0o600


@pytest.mark.usefixtures("loose_umask")
def test_db_upgrade_tightens_a_database_an_earlier_version_left_readable(settings):
    settings.var_dir.mkdir(mode=0o755)
    assert run(settings, "db", "upgrade") == 0
    (settings.var_dir / "leads.db").chmod(0o644)
    settings.var_dir.chmod(0o755)
    assert run(settings, "db", "upgrade") == 0
    assert (mode(settings.var_dir), mode(settings.var_dir / "leads.db")) == (0o700, 0o600)


@pytest.mark.usefixtures("loose_umask")
def test_an_export_is_private(settings, tmp_path):
    assert run(settings, "db", "upgrade") == 0
    target = tmp_path / "leads.csv"
    assert run(settings, "leads", "export", "--format", "csv", "--output", str(target)) == 0
    assert mode(target) == 0o600


@pytest.mark.usefixtures("loose_umask")
def test_an_export_never_overwrites_a_file_it_did_not_create(settings, tmp_path, capsys):
    assert run(settings, "db", "upgrade") == 0
    someone_elses = tmp_path / "report.csv"
    someone_elses.write_text("precious\n")
    assert run(settings, "leads", "export", "--format", "csv", "--output", str(someone_elses)) == 2
    assert "already exists" in capsys.readouterr().err
    assert someone_elses.read_text() == "precious\n"
    # Nor through a link planted where the export will go.
    link = tmp_path / "planted.csv"
    link.symlink_to(someone_elses)
    assert run(settings, "leads", "export", "--format", "json", "--output", str(link)) == 2
    assert someone_elses.read_text() == "precious\n"


@pytest.mark.usefixtures("loose_umask")
def test_processes_the_stack_starts_create_private_files_and_logs(settings):
    settings.project_root.mkdir(exist_ok=True)
    settings.var_dir.mkdir(mode=0o755)
    (settings.var_dir / "tracker.db").write_text("left readable by an earlier version")
    (settings.var_dir / "tracker.db").chmod(0o644)
    script = "import pathlib; pathlib.Path('var/created-by-child.db').write_text('x'); print('started')"
    spec = ProcessSpec("Child", [sys.executable, "-c", script], ready_url="", public_url="")
    stack = Stack([spec], settings, base_env=dict(os.environ))
    process = stack._launch(spec)
    assert process.popen.wait() == 0
    stack.running = [process]
    stack.stop()
    assert mode(settings.var_dir) == 0o700
    assert mode(settings.var_dir / "tracker.db") == 0o600
    assert mode(settings.var_dir / "created-by-child.db") == 0o600
    assert mode(settings.var_dir / "log") == 0o700
    assert mode(process.log_path) == 0o600
    assert process.log_path.read_text() == "started\n"
