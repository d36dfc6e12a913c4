"""The gateway's signing secret, shared by the processes that need it.

The gateway signs conversation ids with it, and the Rasa API token staff
replies use is derived from it (bot/handoff/rasa_api.py) by both the gateway
and the Rasa server (bot/runtime/rasa_runtime.py), so it lives below both.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# bandit B105: the file's name; the secret is generated into it
SECRET_FILE_NAME = "gateway_secret"  # nosec B105


def load_or_create_secret(configured: str, var_dir: Path) -> bytes:
    """The signing secret: the configured one, else one generated once and kept in
    ``var/gateway_secret`` (mode 0600) so that a restart keeps every conversation."""
    if configured:
        return configured.encode()
    path = var_dir / SECRET_FILE_NAME
    var_dir.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another worker (or an earlier run) made it; tighten permissions if someone loosened them.
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        secret = path.read_text().strip()
        if not secret:
            raise RuntimeError(f"{path} is empty: delete it to generate a new gateway secret") from None
        return secret.encode()
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_urlsafe(32))
    return path.read_text().strip().encode()
