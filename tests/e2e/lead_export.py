"""The leads as staff see them: `python -m bot leads export --format json` against the test stack's database."""

from __future__ import annotations

import json
import subprocess
import sys


def export_leads(settings) -> list[dict]:
    env = {"BOT_VAR_DIR": str(settings.var_dir), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "leads", "export", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(result.stdout)
