"""Defect 6: process logs rotate by size, stay 0600, and mask emails and phone numbers in every file.

Before: each child's output was appended to ``var/log/<name>.log`` for ever,
unmasked (the masking filter lived only inside the gateway's own logging).
"""

from __future__ import annotations

import io
import os
import stat
import sys

from bot.runtime.process_logs import copy_output, open_process_log
from bot.runtime.stack import ProcessSpec, Stack
from bot.settings import Settings

LINE = "Received user message 'my email is kim@example.com, call +447911123456' from web-abc"


def test_logs_rotate_at_the_configured_size_and_keep_that_many_old_files(tmp_path):
    path = tmp_path / "log" / "rasa-server.log"
    handler = open_process_log(path, max_bytes=4096, backups=3)
    copy_output(io.BytesIO("".join(f"{n:05d} {LINE}\n" for n in range(500)).encode()), handler)
    files = sorted(path.parent.iterdir())
    assert [f.name for f in files] == ["rasa-server.log", *(f"rasa-server.log.{n}" for n in (1, 2, 3))]
    assert all(f.stat().st_size <= 4096 for f in files)
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert "00499" in path.read_text()  # the newest lines are in the current file


def test_no_email_or_phone_reaches_any_log_file(tmp_path):
    path = tmp_path / "log" / "action-server.log"
    handler = open_process_log(path, max_bytes=2048, backups=5)
    copy_output(io.BytesIO((LINE + "\n").encode() * 60), handler)
    text = "".join(f.read_text() for f in path.parent.iterdir())
    assert "kim@example.com" not in text and "7911123456" not in text
    assert "k***@e***.com" in text and "+44********56" in text


def test_the_stack_writes_childrens_output_through_the_masking_rotating_log(tmp_path):
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path), "LOG_MAX_BYTES": "2048", "LOG_BACKUPS": "2"})
    tmp_path.mkdir(exist_ok=True)
    script = (
        f"import sys\nfor n in range(200): print(n, {LINE!r})\n"
        "print('bad bytes', flush=True); sys.stdout.buffer.write(b'\\xff\\n')"
    )
    spec = ProcessSpec("Rasa server", [sys.executable, "-c", script], ready_url="", public_url="")
    stack = Stack([spec], settings, base_env=dict(os.environ))
    process = stack._launch(spec)
    assert process.popen.wait() == 0
    stack.running = [process]
    stack.stop()
    logs = sorted(p.name for p in process.log_path.parent.iterdir())
    assert logs == ["rasa-server.log", "rasa-server.log.1", "rasa-server.log.2"]
    text = "".join(p.read_text() for p in process.log_path.parent.iterdir())
    assert "kim@example.com" not in text and "k***@e***.com" in text
    assert process.log_path.read_text().endswith("bad bytes\n\ufffd\n")
