"""All configuration, read from the environment once.

Nothing else in the project reads ``os.environ``: every process builds a
``Settings`` and passes it on. Defaults run the whole stack on a laptop.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """An environment variable holds a value the application cannot use."""


def _number(env: Mapping[str, str], name: str, kind: type[int] | type[float]) -> int | float | None:
    """The variable read as a number (None when it is unset or empty)."""
    raw = env.get(name)
    if raw is None or raw == "":
        return None
    try:
        return kind(raw)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise SettingsError(f"{name} must be {what}, got {raw!r}") from None


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    value = _number(env, name, int)
    if value is None:
        return default
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    value = _number(env, name, float)
    if value is None:
        return default
    if value <= 0:
        raise SettingsError(f"{name} must be greater than zero, got {value}")
    return value


def _database_url(env: Mapping[str, str], var_dir: Path) -> str:
    url = env.get("DATABASE_URL") or f"sqlite:///{var_dir / 'leads.db'}"
    scheme = urlsplit(url).scheme
    if scheme.split("+", 1)[0] not in ("sqlite", "postgresql"):
        # Name the scheme only: the rest of the URL may hold a password.
        got = f"{scheme}://..." if scheme else "a value with no scheme"
        raise SettingsError(f"DATABASE_URL must start with sqlite:/// or postgresql://, got {got}")
    return url


def _origins(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """Comma-separated origins such as ``https://www.example.org``: scheme and host only."""
    origins = []
    for raw in (env.get(name) or "").split(","):
        origin = raw.strip().rstrip("/").lower()
        if not origin:
            continue
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
            raise SettingsError(f"{name} must list origins like https://www.example.org, got {raw.strip()!r}")
        origins.append(origin)
    return tuple(origins)


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _http_url(env: Mapping[str, str], name: str) -> str:
    """An http(s) URL, or "" when unset; the error names the scheme only (the URL may hold a secret)."""
    url = (env.get(name) or "").strip()
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname):
        raise SettingsError(f"{name} must be an http:// or https:// URL")
    return url


def _server_urls(env: Mapping[str, str], name: str, default: str) -> tuple[str, ...]:
    """One or more comma-separated http(s) base URLs, e.g. ``http://rasa-1:5005,http://rasa-2:5005``."""
    urls = []
    for raw in (env.get(name) or default).split(","):
        url = raw.strip().rstrip("/")
        if not url:
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SettingsError(f"{name} must list base URLs like http://127.0.0.1:5005, got {raw.strip()!r}")
        try:
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            raise SettingsError(f"{name} has a URL with an invalid port: {raw.strip()!r}") from None
        if url in urls:
            raise SettingsError(f"{name} lists {url} twice")
        urls.append(url)
    if not urls:
        raise SettingsError(f"{name} must list at least one URL")
    return tuple(urls)


def _date(env: Mapping[str, str], name: str) -> date | None:
    """An ISO date such as 2026-12-02, or None when unset."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a date written YYYY-MM-DD, got {raw!r}") from None


def _time_zone(env: Mapping[str, str], name: str, default: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    value = (env.get(name) or "").strip() or default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"{name} must be a time zone such as Europe/London, got {value!r}") from None
    return value


def _staff_console(env: Mapping[str, str], defaults: type[Settings], gateway_port: int) -> dict:
    """Settings of the staff console, the leads API and new-lead notifications (bot/staff, bot/web/console)."""
    notify_email = (env.get("ADMISSIONS_NOTIFY_EMAIL") or "").strip()
    smtp_host = (env.get("SMTP_HOST") or "").strip()
    if notify_email and not smtp_host:
        raise SettingsError("ADMISSIONS_NOTIFY_EMAIL is set but SMTP_HOST is not: say which mail server sends it")
    if notify_email and "@" not in notify_email:
        raise SettingsError(f"ADMISSIONS_NOTIFY_EMAIL must be an email address, got {notify_email!r}")
    return {
        "staff_session_hours": _int(env, "STAFF_SESSION_HOURS", defaults.staff_session_hours, minimum=1),
        "staff_session_idle_minutes": _int(
            env, "STAFF_SESSION_IDLE_MINUTES", defaults.staff_session_idle_minutes, minimum=1
        ),
        "staff_cookie_secure": _bool(env, "STAFF_COOKIE_SECURE", True) if env.get("STAFF_COOKIE_SECURE") else None,
        "login_max_failures": _int(env, "LOGIN_MAX_FAILURES", defaults.login_max_failures, minimum=1),
        "login_ip_max_failures": _int(env, "LOGIN_IP_MAX_FAILURES", defaults.login_ip_max_failures, minimum=1),
        "login_lock_minutes": _int(env, "LOGIN_LOCK_MINUTES", defaults.login_lock_minutes, minimum=1),
        "staff_time_zone": _time_zone(env, "STAFF_TIME_ZONE", defaults.staff_time_zone),
        "public_base_url": (_http_url(env, "PUBLIC_BASE_URL") or f"http://localhost:{gateway_port}").rstrip("/"),
        "admissions_notify_email": notify_email,
        "smtp_host": smtp_host,
        "smtp_port": _int(env, "SMTP_PORT", defaults.smtp_port, minimum=1),
        "smtp_user": env.get("SMTP_USER") or "",
        "smtp_password": env.get("SMTP_PASSWORD") or "",
        "smtp_starttls": _bool(env, "SMTP_STARTTLS", defaults.smtp_starttls),
        "smtp_from": (env.get("SMTP_FROM") or "").strip(),
        "notify_webhook_url": _http_url(env, "NOTIFY_WEBHOOK_URL"),
        "notify_webhook_secret": env.get("NOTIFY_WEBHOOK_SECRET") or "",
        "notify_max_attempts": _int(env, "NOTIFY_MAX_ATTEMPTS", defaults.notify_max_attempts, minimum=1),
        "notify_retry_seconds": _float(env, "NOTIFY_RETRY_SECONDS", defaults.notify_retry_seconds),
        "notify_poll_seconds": _float(env, "NOTIFY_POLL_SECONDS", defaults.notify_poll_seconds),
    }


def _handoff(env: Mapping[str, str], defaults: type[Settings]) -> dict:
    """Live handoff (bot/handoff): office hours, their time zone, the Rasa API token, the events poll."""
    from bot.office_hours import InvalidOfficeHours, parse_office_hours

    zone = _time_zone(env, "HANDOFF_TIMEZONE", defaults.handoff_time_zone)
    hours = (env.get("HANDOFF_HOURS") or "").strip() or defaults.handoff_hours
    try:
        parse_office_hours(hours, zone)
    except InvalidOfficeHours as error:
        raise SettingsError(f"HANDOFF_HOURS: {error}") from None
    return {
        "handoff_hours": hours,
        "handoff_time_zone": zone,
        "rasa_api_token": (env.get("RASA_API_TOKEN") or "").strip(),
        "handoff_poll_seconds": _float(env, "HANDOFF_POLL_SECONDS", defaults.handoff_poll_seconds),
    }


@dataclass(frozen=True)
class Settings:
    project_root: Path = PROJECT_ROOT
    var_dir: Path = PROJECT_ROOT / "var"
    models_dir: Path = PROJECT_ROOT / "models"

    # Rasa's own stores; see endpoints.yml, which reads these through env vars.
    tracker_store_url: str = ""
    redis_url: str | None = None

    # Local process addresses (Rasa and the action server never face the internet).
    # Several of each may run side by side: the gateway spreads messages over the Rasa
    # servers, and each Rasa server spreads custom actions over the action servers.
    rasa_urls: tuple[str, ...] = ("http://127.0.0.1:5005",)
    action_server_urls: tuple[str, ...] = ("http://127.0.0.1:5055",)
    # Loopback unless GATEWAY_HOST names a public address explicitly (deploy/compose.yaml does, in a container).
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000

    # Seconds the gateway waits for Rasa before answering with an apology.
    upstream_timeout: float = 10.0
    # Seconds Rasa waits for a custom action before apologising (bot/runtime/rasa_runtime.py).
    action_timeout: float = 8.0
    # Seconds a Rasa server may hold a conversation's lock. It only matters when a server dies
    # holding it: the conversation waits this long (Rasa's own default is 60 s).
    conversation_lock_seconds: int = 20

    spacy_model_dir: Path = field(default=PROJECT_ROOT / "models" / "spacy" / "en_british_academy")

    # Tests against PostgreSQL / Redis fail instead of skipping when set (CI).
    require_services: bool = False

    # The application database (leads, consent, audit): SQLite under var/ or PostgreSQL.
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'leads.db'}"
    # A second enquiry from the same email within this many days is linked to the earlier one.
    lead_link_days: int = 30
    # How long leads and conversations are kept (told to visitors; used by the purge).
    lead_retention_days: int = 730
    # The gateway runs the retention purge this often (bot/staff/retention.py); 0: only by hand or cron.
    retention_purge_hours: int = 24
    # The privacy notice a visitor agrees to; its version is stored with every consent record.
    privacy_notice_version: str = "2026-11"
    # The date the course catalogue is read on (BOT_TODAY); None: today in London. Tests fix it so that
    # catalogue sessions do not expire under them as time passes.
    today: date | None = None
    privacy_notice_url: str = "/privacy"

    # Public gateway (bot/web). An empty secret means: generate one once and keep it in
    # var/gateway_secret (0600), so a restart keeps every visitor's conversation.
    gateway_secret: str = ""
    # Other sites allowed to call /api/chat from a browser (same origin is always allowed).
    allowed_origins: tuple[str, ...] = ()
    # Reverse proxies in front of the gateway whose X-Forwarded-For is trusted (rate limits per IP).
    gateway_proxies_count: int = 0
    gateway_max_body_bytes: int = 32 * 1024
    chat_max_message_chars: int = 2000
    # Token buckets: a sustained rate per minute plus a burst, per client IP and per conversation.
    ip_rate_per_minute: float = 120.0
    ip_burst: int = 60
    conversation_rate_per_minute: float = 20.0
    conversation_burst: int = 10
    # A retried message (same conversation and client_message_id) within this window gets the
    # reply already given instead of reaching Rasa twice.
    chat_replay_seconds: int = 300
    admissions_email: str = "admissions@britishacademy.example"
    # The widget forgets a conversation (kept in the tab's sessionStorage) after this long without activity.
    widget_idle_minutes: int = 30

    # Rasa's anonymous usage telemetry: off unless the operator sets RASA_TELEMETRY_ENABLED=true.
    rasa_telemetry: bool = False

    # Process logs under var/log (bot/runtime/stack.py): rotated at this size, this many old files kept.
    log_max_bytes: int = 10 * 1024 * 1024
    log_backups: int = 5

    # Staff console (bot/web/console): sessions last a working day at most, and end after an idle hour.
    staff_session_hours: int = 8
    staff_session_idle_minutes: int = 60
    # Secure (and so __Host-) console cookies: STAFF_COOKIE_SECURE; unset means on, except that
    # `make run` turns it off for its plain-HTTP localhost address (bot/runtime/stack.py).
    staff_cookie_secure: bool | None = None
    # Failed sign-ins: back-off from the second, a lock after this many per account / per client IP.
    login_max_failures: int = 5
    login_ip_max_failures: int = 20
    login_lock_minutes: int = 15
    # Dates and times in the console (and the "yesterday" filter) are in this zone.
    staff_time_zone: str = "Europe/London"
    # Where staff reach the gateway: links in new-lead notifications point here.
    public_base_url: str = "http://localhost:8000"
    # New-lead notifications (bot/staff/notifications.py): email over SMTP and/or a webhook POST.
    admissions_notify_email: str = ""
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    smtp_from: str = ""  # empty: admissions_email
    notify_webhook_url: str = ""
    notify_webhook_secret: str = ""  # set: each POST carries an HMAC-SHA256 signature of its body
    notify_max_attempts: int = 8
    notify_retry_seconds: float = 30.0  # first retry after this long, doubling each time (at most an hour)
    notify_poll_seconds: float = 10.0

    # Live handoff (bot/handoff): staff take a conversation when the office is open and someone is available.
    handoff_hours: str = "Mon-Fri 09:00-17:30"
    handoff_time_zone: str = "Europe/London"
    # Token of Rasa's HTTP API (staff replies and hand-backs go into the tracker); empty: derived from the
    # gateway secret, so the gateway and the Rasa servers started with the same var/ agree.
    rasa_api_token: str = ""
    # How often an open events stream looks for staff replies and state changes.
    handoff_poll_seconds: float = 0.5

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        root = Path(env.get("BOT_PROJECT_ROOT") or PROJECT_ROOT)
        var_dir = Path(env.get("BOT_VAR_DIR") or root / "var")
        tracker_url = env.get("TRACKER_STORE_URL") or f"sqlite:///{var_dir / 'tracker.db'}"
        redis_url = env.get("REDIS_URL") or None
        if redis_url and urlsplit(redis_url).scheme not in ("redis", "rediss"):
            # Name the scheme only: the rest of the URL may hold a password.
            scheme = urlsplit(redis_url).scheme
            got = f"{scheme}://..." if scheme else "a value with no scheme"
            raise SettingsError(f"REDIS_URL must start with redis://, got {got}")
        return cls(
            project_root=root,
            var_dir=var_dir,
            models_dir=root / "models",
            tracker_store_url=tracker_url,
            redis_url=redis_url,
            rasa_urls=_server_urls(env, "RASA_URL", cls.rasa_urls[0]),
            action_server_urls=_server_urls(env, "ACTION_SERVER_URL", cls.action_server_urls[0]),
            gateway_host=env.get("GATEWAY_HOST") or cls.gateway_host,
            gateway_port=_int(env, "GATEWAY_PORT", cls.gateway_port, minimum=1),
            upstream_timeout=_float(env, "UPSTREAM_TIMEOUT", cls.upstream_timeout),
            action_timeout=_float(env, "ACTION_TIMEOUT", cls.action_timeout),
            conversation_lock_seconds=_int(env, "CONVERSATION_LOCK_SECONDS", cls.conversation_lock_seconds, minimum=5),
            spacy_model_dir=root / "models" / "spacy" / "en_british_academy",
            require_services=env.get("BOT_REQUIRE_SERVICES", "") not in ("", "0", "false", "no"),
            database_url=_database_url(env, var_dir),
            lead_link_days=_int(env, "LEAD_LINK_DAYS", cls.lead_link_days, minimum=0),
            lead_retention_days=_int(env, "LEAD_RETENTION_DAYS", cls.lead_retention_days, minimum=1),
            retention_purge_hours=_int(env, "RETENTION_PURGE_HOURS", cls.retention_purge_hours, minimum=0),
            privacy_notice_version=env.get("PRIVACY_NOTICE_VERSION") or cls.privacy_notice_version,
            today=_date(env, "BOT_TODAY"),
            privacy_notice_url=env.get("PRIVACY_NOTICE_URL") or cls.privacy_notice_url,
            gateway_secret=env.get("GATEWAY_SECRET") or "",
            allowed_origins=_origins(env, "GATEWAY_ALLOWED_ORIGINS"),
            gateway_proxies_count=_int(env, "GATEWAY_PROXIES_COUNT", cls.gateway_proxies_count, minimum=0),
            gateway_max_body_bytes=_int(env, "GATEWAY_MAX_BODY_BYTES", cls.gateway_max_body_bytes, minimum=1024),
            chat_max_message_chars=_int(env, "CHAT_MAX_MESSAGE_CHARS", cls.chat_max_message_chars, minimum=1),
            ip_rate_per_minute=_float(env, "GATEWAY_IP_RATE_PER_MINUTE", cls.ip_rate_per_minute),
            ip_burst=_int(env, "GATEWAY_IP_BURST", cls.ip_burst, minimum=1),
            conversation_rate_per_minute=_float(
                env, "GATEWAY_CONVERSATION_RATE_PER_MINUTE", cls.conversation_rate_per_minute
            ),
            conversation_burst=_int(env, "GATEWAY_CONVERSATION_BURST", cls.conversation_burst, minimum=1),
            chat_replay_seconds=_int(env, "GATEWAY_REPLAY_WINDOW", cls.chat_replay_seconds, minimum=0),
            admissions_email=env.get("ADMISSIONS_EMAIL") or cls.admissions_email,
            widget_idle_minutes=_int(env, "WIDGET_IDLE_MINUTES", cls.widget_idle_minutes, minimum=1),
            rasa_telemetry=_bool(env, "RASA_TELEMETRY_ENABLED", cls.rasa_telemetry),
            log_max_bytes=_int(env, "LOG_MAX_BYTES", cls.log_max_bytes, minimum=1024),
            log_backups=_int(env, "LOG_BACKUPS", cls.log_backups, minimum=1),
            **_staff_console(env, cls, _int(env, "GATEWAY_PORT", cls.gateway_port, minimum=1)),
            **_handoff(env, cls),
        )

    @property
    def staff_cookies_secure(self) -> bool:
        """Console cookies carry Secure (and the __Host- prefix) unless configured off."""
        return self.staff_cookie_secure is not False

    @property
    def rasa_url(self) -> str:
        """The first Rasa server: the only one in a single-machine set-up."""
        return self.rasa_urls[0]

    @property
    def action_server_url(self) -> str:
        """The first action server: the only one in a single-machine set-up."""
        return self.action_server_urls[0]

    def notification_channels(self) -> tuple[str, ...]:
        """How each new lead is announced: "email" (ADMISSIONS_NOTIFY_EMAIL + SMTP_HOST), "webhook", both or none."""
        channels = []
        if self.admissions_notify_email and self.smtp_host:
            channels.append("email")
        if self.notify_webhook_url:
            channels.append("webhook")
        return tuple(channels)

    def telemetry_environment(self) -> dict[str, str]:
        """Rasa's telemetry switch, stated explicitly for every process (it is on when left unset)."""
        return {"RASA_TELEMETRY_ENABLED": "true" if self.rasa_telemetry else "false"}

    def rasa_environment(self) -> dict[str, str]:
        """Variables that endpoints.yml expands when a Rasa process starts."""
        lock = {
            "LOCK_STORE_TYPE": "in_memory",
            "LOCK_STORE_HOST": "",
            "LOCK_STORE_PORT": "6379",
            "LOCK_STORE_DB": "0",
            # bandit B105: no password: the in-memory lock store
            "LOCK_STORE_PASSWORD": "",  # nosec B105
            "LOCK_STORE_USE_SSL": "",
        }
        if self.redis_url:
            parts = urlsplit(self.redis_url)
            lock = {
                "LOCK_STORE_TYPE": "redis",
                "LOCK_STORE_HOST": parts.hostname or "127.0.0.1",
                "LOCK_STORE_PORT": str(parts.port or 6379),
                "LOCK_STORE_DB": (parts.path or "/0").lstrip("/") or "0",
                "LOCK_STORE_PASSWORD": parts.password or "",
                # endpoints.yml hands Rasa a string: "" is false, "true" is true (redis-py's ssl flag).
                "LOCK_STORE_USE_SSL": "true" if parts.scheme == "rediss" else "",
            }
        return {
            "TRACKER_STORE_URL": self.tracker_store_url,
            "ACTION_ENDPOINT_URL": f"{self.action_server_url}/webhook",
            # The others, for bot/runtime/rasa_runtime.py's rotation and fail-over.
            "ACTION_SERVER_URL": ",".join(self.action_server_urls),
            "TICKET_LOCK_LIFETIME": str(self.conversation_lock_seconds),  # read by rasa.core.lock_store
            **self.telemetry_environment(),
            **lock,
        }
