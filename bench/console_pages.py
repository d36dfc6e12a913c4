"""Staff console response times with 10,000 leads, on SQLite and on PostgreSQL.

    .venv/bin/python bench/console_pages.py [--leads 10000] [--requests 200] [--no-postgres]

Seeds a throwaway database (SQLite file; and a throwaway PostgreSQL database
on 127.0.0.1:5432 when reachable) with leads that look like real ones (courses,
consent, a ten-turn transcript, some notes and status changes), starts the real
gateway (``python -m bot serve``) on it, signs in as a member of staff over one
keep-alive connection, and times list pages (first page, deep pages, each
filter, search, a date preset) and detail pages (random leads). Prints median
and p95 per page kind.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests
from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.postgres import PostgresUnavailable, throwaway_postgres_database  # noqa: E402
from bot.leads.models import ConsentRecord, Lead, LeadCourse, Note, StatusChange  # noqa: E402
from bot.staff.accounts import StaffAccounts  # noqa: E402
from bot.storage.engine import create_engine_for, session_factory  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from tests.browser.gateway_process import free_port  # noqa: E402

EMAIL, PASSWORD = "bench@britishacademy.example", "benchmark password"
FIRST = ["Amira", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Lucia"]
LAST = ["Haddad", "Okoro", "Martin", "Patel", "Rossi", "Khan", "Smith", "Tanaka", "Garcia", "Berg", "Adeyemi"]
PLACES = ["London", "Manchester", "Madrid", "Geneva", "Dubai", "Online", "Birmingham", None]
DELIVERY = ["in person", "online", "in-house", None]
FIELDS = ["healthcare management", "medical administration", None]
COURSES = [
    ("HM-101", "Healthcare Management Fundamentals"),
    ("HM-310", "Healthcare Leadership"),
    ("HM-420", "Executive Programme"),
    ("MA-110", "Medical Office Administration"),
    ("MA-201", "Medical Billing and Coding"),
    ("MA-230", "Patient Records"),
]
STATUSES = ["new"] * 5 + ["contacted"] * 3 + ["qualified", "enrolled", "closed"]
LIST_PAGES = {
    "list: first page": "/console/leads",
    "list: page 100": "/console/leads?page=100",
    "list: status": "/console/leads?status=contacted",
    "list: course + place + yesterday": "/console/leads?course=MA-201&place=London&received=yesterday",
    "list: field + last 30 days": "/console/leads?interest=medical+administration&received=30d",
    "list: search name": "/console/leads?q=haddad",
    "list: search words": "/console/leads?q=london+billing",
}


def seed(url: str, count: int) -> None:
    upgrade(url)
    engine = create_engine_for(url)
    StaffAccounts(session_factory(engine)).add(EMAIL, PASSWORD, role="admin")
    rng = random.Random(7)
    now = datetime.now(timezone.utc)
    leads, courses, consents, changes, notes = [], [], [], [], []
    for number in range(1, count + 1):
        at = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        status = rng.choice(STATUSES)
        leads.append(
            {
                "id": number,
                "reference": f"BA-{number:06d}",
                "created_at": at,
                "idempotency_key": uuid.uuid4().hex,
                "conversation_id": f"web-{uuid.uuid4().hex[:16]}",
                "name": name,
                "email": f"{name.split()[0].lower()}.{number}@example.org",
                "phone": "+447911123456" if number % 2 else None,
                "organisation": f"{rng.choice(LAST)} Hospital Trust" if number % 3 == 0 else None,
                "team_size": rng.randint(2, 40) if number % 3 == 0 else None,
                "interest_field": rng.choice(FIELDS),
                "location": rng.choice(PLACES),
                "delivery": rng.choice(DELIVERY),
                "message": "Could someone call me about the next dates and fees?" if number % 4 == 0 else None,
                "status": status,
                "transcript": [
                    {"sender": "visitor" if turn % 2 == 0 else "bot", "text": "A question about the course " * 3}
                    | {"at": (at - timedelta(minutes=10 - turn)).isoformat()}
                    for turn in range(10)
                ],
            }
        )
        for code, title in rng.sample(COURSES, rng.choice([1, 1, 2])):
            courses.append({"lead_id": number, "course_code": code, "course_title": title})
        consents.append(
            {"lead_id": number, "given_at": at, "notice_version": "2026-11", "notice_url": "/privacy", "wording": "OK"}
        )
        if status != "new":
            changes.append(
                {"lead_id": number, "from_status": "new", "to_status": status, "changed_by": EMAIL, "changed_at": at}
            )
            notes.append({"lead_id": number, "author": EMAIL, "body": "Called; will follow up.", "created_at": at})
    with engine.begin() as connection:
        for model, rows in ((Lead, leads), (LeadCourse, courses), (ConsentRecord, consents)):
            for start in range(0, len(rows), 1000):
                connection.execute(insert(model), rows[start : start + 1000])
        connection.execute(insert(StatusChange), changes)
        connection.execute(insert(Note), notes)
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT setval('leads_id_seq', (SELECT max(id) FROM leads))"))
            connection.execute(text("ANALYZE"))
    engine.dispose()


def start_gateway(database_url: str, var_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "BOT_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "GATEWAY_HOST": "127.0.0.1",
        "GATEWAY_PORT": str(port),
        "RASA_URL": "http://127.0.0.1:9",
        "ACTION_SERVER_URL": "http://127.0.0.1:9",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                return process, url
        except requests.RequestException:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit("the gateway did not start")


def signed_in(url: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{url}/console/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = session.post(
        f"{url}/console/login",
        data={"csrf_token": token, "email": EMAIL, "password": PASSWORD, "next": "/console/leads"},
        allow_redirects=False,
    )
    assert response.status_code == 303, response.status_code
    return session


def timed(session: requests.Session, url: str) -> float:
    started = time.perf_counter()
    response = session.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed * 1000


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):8.1f} {p95:8.1f}"


def measure(name: str, database_url: str, count: int, requests_per_kind: int, var_dir: Path) -> None:
    started = time.perf_counter()
    seed(database_url, count)
    print(f"\n{name}: seeded {count:,} leads in {time.perf_counter() - started:.1f} s")
    process, url = start_gateway(database_url, var_dir)
    try:
        session = signed_in(url)
        for path in LIST_PAGES.values():  # warm up
            timed(session, url + path)
        rng = random.Random(11)
        results: dict[str, list[float]] = {}
        for kind, path in LIST_PAGES.items():
            results[kind] = [timed(session, url + path) for _ in range(max(10, requests_per_kind // 4))]
        results["list: all list pages"] = [sample for kind in LIST_PAGES for sample in results[kind]]
        results["detail: random lead"] = [
            timed(session, f"{url}/console/leads/{rng.randint(1, count)}") for _ in range(requests_per_kind)
        ]
        print(f"{'page':40} {'median':>8} {'p95':>8}  (ms, {count:,} leads)")
        for kind, samples in results.items():
            print(f"{kind:40} {summary(samples)}  n={len(samples)}")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="detail pages timed; list kinds get a quarter each")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        var_dir = Path(folder)
        measure("SQLite", f"sqlite:///{var_dir / 'bench.db'}", args.leads, args.requests, var_dir)
    if args.no_postgres:
        return 0
    try:
        with throwaway_postgres_database("console_bench") as url, tempfile.TemporaryDirectory() as folder:
            measure("PostgreSQL", url, args.leads, args.requests, Path(folder))
    except PostgresUnavailable as error:
        print(f"\nPostgreSQL: skipped, {error}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
