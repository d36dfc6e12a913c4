"""A seeded gateway for the console's browser tests: migrated database, an admin, leads, conversations.

The gateway runs as ``python -m bot serve`` in a subprocess, like the widget's
browser tests, on its own var directory. Leads are dated relative to now in
London, so "yesterday" means what it says on the day the tests run.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.leads.repository import LeadRepository
from bot.leads.submission import Consent, CourseChoice, LeadSubmission
from bot.settings import Settings
from bot.staff.accounts import StaffAccounts
from bot.storage.engine import create_engine_for, session_factory
from bot.storage.migrate import upgrade
from tests.browser.gateway_process import free_port, gateway_env, start_gateway
from tests.staff.tracker_events import TrackerEvents

ADMIN_EMAIL = "ann.admin@britishacademy.example"
ADMIN_PASSWORD = "browser test password"
LONDON = ZoneInfo("Europe/London")
BILLING = CourseChoice("MA-201", "Medical Billing and Coding")
LEADERSHIP = CourseChoice("HM-310", "Healthcare Leadership")


@dataclass
class ConsoleSite:
    url: str
    settings: Settings
    log_path: Path
    references: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)


def _yesterday_at(hour: int) -> datetime:
    today = datetime.now(LONDON).date()
    return datetime.combine(today - timedelta(days=1), clock_time(hour), tzinfo=LONDON).astimezone(timezone.utc)


def _lead(key: str, at: datetime, **values) -> LeadSubmission:
    defaults = {
        "idempotency_key": key,
        "conversation_id": f"web-{key}",
        "email": f"{key}@example.org",
        "consent": Consent(at, "2026-11", "/privacy", "I agree that the British Academy may store my details."),
        "transcript": [
            {"sender": "visitor", "text": "Hello, I'd like to enrol", "at": at.isoformat()},
            {"sender": "bot", "text": "Happy to help. What's your name?", "at": at.isoformat()},
        ],
    }
    return LeadSubmission(**{**defaults, **values})


def _leads_to_seed() -> dict[str, tuple[datetime, dict]]:
    """Yesterday: Amira (London, billing), Ben (Manchester, billing), Chloe (London, leadership).
    Three days ago: Dev (London, billing). Only Amira is "yesterday, London, medical billing"."""
    three_days_ago = datetime.now(timezone.utc) - timedelta(days=3)
    return {
        "amira": (
            _yesterday_at(9),
            {
                "name": "Amira Haddad",
                "organisation": "St Thomas' Billing Office",
                "location": "London",
                "delivery": "in person",
                "interest_field": "medical administration",
                "courses": [BILLING],
                "message": '=HYPERLINK("http://evil.example","click")',
                "transcript": [
                    {
                        "sender": "visitor",
                        "text": "Do you run medical billing courses in London?",
                        "at": "2026-11-17T09:00:00Z",
                    },
                    {
                        "sender": "bot",
                        "text": "Yes: Medical Billing and Coding runs in London.",
                        "at": "2026-11-17T09:00:01Z",
                    },
                ],
            },
        ),
        "ben": (_yesterday_at(11), {"name": "Ben Okoro", "location": "Manchester", "courses": [BILLING]}),
        "chloe": (_yesterday_at(14), {"name": "Chloe Martin", "location": "London", "courses": [LEADERSHIP]}),
        "dev": (three_days_ago, {"name": "Dev Patel", "location": "London", "courses": [BILLING]}),
    }


def seed(settings: Settings) -> tuple[dict[str, str], dict[str, int]]:
    """The database and tracker store as the action server and Rasa would have left them."""
    upgrade(settings.database_url)
    engine = create_engine_for(settings.database_url)
    sessions = session_factory(engine)
    StaffAccounts(sessions).add(ADMIN_EMAIL, ADMIN_PASSWORD, role="admin")
    now = [datetime.now(timezone.utc)]
    leads = LeadRepository(sessions, clock=lambda: now[0])
    references, ids = {}, {}
    for key, (at, values) in _leads_to_seed().items():
        now[0] = at
        result = leads.submit(_lead(key, at, **values))
        references[key], ids[key] = result.reference, result.lead_id
    engine.dispose()
    tracker = TrackerEvents(settings.tracker_store_url)
    for key in references:
        tracker.user(f"web-{key}", "I'd like to enrol", datetime.now(timezone.utc))
    tracker.close()
    return references, ids


def start_console_site(var_dir: Path) -> tuple[ConsoleSite, subprocess.Popen]:
    env = gateway_env(var_dir, free_port(), RASA_URL="http://127.0.0.1:9", ACTION_SERVER_URL="http://127.0.0.1:9")
    for name in ("DATABASE_URL", "TRACKER_STORE_URL", "NOTIFY_WEBHOOK_URL", "ADMISSIONS_NOTIFY_EMAIL"):
        env.pop(name, None)
    settings = Settings.from_env(env)
    references, ids = seed(settings)
    url, process = start_gateway(env, var_dir)
    return ConsoleSite(url, settings, var_dir / "gateway.log", references, ids), process
