"""A gateway app whose upstreams are unreachable, for tests of what it answers on its own."""

from __future__ import annotations

from pathlib import Path

from sanic import Sanic

from bot.settings import Settings
from bot.web.app import create_app

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens there


def offline_gateway(project_root: Path, **environment: str) -> Sanic:
    """The gateway on ``project_root``, Rasa and the action server unreachable, ``environment`` on top."""
    return create_app(
        Settings.from_env(
            {
                "BOT_PROJECT_ROOT": str(project_root),
                "RASA_URL": UNREACHABLE,
                "ACTION_SERVER_URL": UNREACHABLE,
                **environment,
            }
        )
    )
