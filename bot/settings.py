"""All configuration, read from the environment once.

Nothing else in the project reads ``os.environ``: every process builds a
``Settings`` and passes it on. Defaults run the whole stack on a laptop.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """An environment variable holds a value the application cannot use."""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be greater than zero, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    project_root: Path = PROJECT_ROOT
    var_dir: Path = PROJECT_ROOT / "var"
    models_dir: Path = PROJECT_ROOT / "models"

    # Rasa's own stores; see endpoints.yml, which reads these through env vars.
    tracker_store_url: str = ""
    redis_url: Optional[str] = None

    # Local process addresses (Rasa and the action server never face the internet).
    rasa_url: str = "http://127.0.0.1:5005"
    action_server_url: str = "http://127.0.0.1:5055"
    gateway_host: str = "0.0.0.0"
    gateway_port: int = 8000

    # Seconds the gateway waits for Rasa before answering with an apology.
    upstream_timeout: float = 10.0

    spacy_model_dir: Path = field(default=PROJECT_ROOT / "models" / "spacy" / "en_british_academy")

    # Tests against PostgreSQL / Redis fail instead of skipping when set (CI).
    require_services: bool = False

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        env = os.environ if env is None else env
        root = Path(env.get("BOT_PROJECT_ROOT") or PROJECT_ROOT)
        var_dir = Path(env.get("BOT_VAR_DIR") or root / "var")
        tracker_url = env.get("TRACKER_STORE_URL") or f"sqlite:///{var_dir / 'tracker.db'}"
        redis_url = env.get("REDIS_URL") or None
        if redis_url and urlsplit(redis_url).scheme not in ("redis", "rediss"):
            raise SettingsError(f"REDIS_URL must start with redis://, got {redis_url!r}")
        return cls(
            project_root=root,
            var_dir=var_dir,
            models_dir=root / "models",
            tracker_store_url=tracker_url,
            redis_url=redis_url,
            rasa_url=(env.get("RASA_URL") or cls.rasa_url).rstrip("/"),
            action_server_url=(env.get("ACTION_SERVER_URL") or cls.action_server_url).rstrip("/"),
            gateway_host=env.get("GATEWAY_HOST") or cls.gateway_host,
            gateway_port=_int(env, "GATEWAY_PORT", cls.gateway_port, minimum=1),
            upstream_timeout=_float(env, "UPSTREAM_TIMEOUT", cls.upstream_timeout),
            spacy_model_dir=root / "models" / "spacy" / "en_british_academy",
            require_services=env.get("BOT_REQUIRE_SERVICES", "") not in ("", "0", "false", "no"),
        )

    def rasa_environment(self) -> dict[str, str]:
        """Variables that endpoints.yml expands when a Rasa process starts."""
        lock = {"LOCK_STORE_TYPE": "in_memory", "LOCK_STORE_HOST": "", "LOCK_STORE_PORT": "6379", "LOCK_STORE_DB": "0"}
        if self.redis_url:
            parts = urlsplit(self.redis_url)
            lock = {
                "LOCK_STORE_TYPE": "redis",
                "LOCK_STORE_HOST": parts.hostname or "127.0.0.1",
                "LOCK_STORE_PORT": str(parts.port or 6379),
                "LOCK_STORE_DB": (parts.path or "/0").lstrip("/") or "0",
            }
        return {
            "TRACKER_STORE_URL": self.tracker_store_url,
            "ACTION_ENDPOINT_URL": f"{self.action_server_url}/webhook",
            **lock,
        }
