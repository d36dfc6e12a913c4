"""Bandit on bot/ and actions/: no finding that is not explained.

Findings in this project's own security-relevant code carry a ``# nosec`` with
the reason on the line above; the few left in other modules are in
``bandit-baseline.json`` beside this file, each explained in docs/security.md.
A new finding anywhere fails this test.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bot.settings import PROJECT_ROOT

BASELINE = PROJECT_ROOT / "tests" / "security" / "bandit-baseline.json"


def test_bandit_finds_nothing_new_in_bot_and_actions():
    command = [sys.executable, "-m", "bandit", "-q", "-r", "bot", "actions", "-f", "json", "-b", str(BASELINE)]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    report = json.loads(result.stdout)
    new = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in report["results"]]
    assert new == [], "\n".join(new)
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_baseline_only_holds_explained_findings():
    baseline = json.loads(BASELINE.read_text())
    kept = sorted((r["filename"], r["test_id"]) for r in baseline["results"])
    documented = (PROJECT_ROOT / "docs" / "security.md").read_text()
    for filename, test_id in kept:
        assert f"`{filename}`" in documented and test_id in documented, (filename, test_id)
