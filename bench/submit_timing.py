"""How long the enquiry submit takes (one transaction: lead, consent,
courses, transcript), on SQLite and on PostgreSQL.

    .venv/bin/python bench/submit_timing.py [--count 300] [--postgres postgresql://postgres@127.0.0.1:5432]

Each run uses a fresh database (a temp SQLite file; a throwaway PostgreSQL
database, dropped afterwards) migrated with Alembic, and submits --count
distinct enquiries with a 20-turn transcript, one after another.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bot.leads.repository import LeadRepository  # noqa: E402
from bot.leads.submission import Consent, CourseChoice, LeadSubmission  # noqa: E402
from bot.storage.engine import create_engine_for, session_factory  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402


def submission(number: int) -> LeadSubmission:
    now = datetime.now(timezone.utc)
    turns = [
        {"sender": "visitor" if i % 2 == 0 else "bot", "text": f"turn {i} about billing courses", "at": now}
        for i in range(20)
    ]
    return LeadSubmission(
        idempotency_key=uuid.uuid4().hex,
        conversation_id=f"bench-{number}",
        name=f"Visitor {number}",
        email=f"visitor{number}@example.org",
        phone="+447911123456",
        interest_field="medical administration",
        location="London",
        message="Could someone tell me about dates?",
        consent=Consent(now, "2026-11", "/privacy", "I agree"),
        courses=[CourseChoice("MA-201", "Medical Billing and Coding")],
        transcript=turns,
    )


def measure(url: str, count: int) -> list[float]:
    upgrade(url)
    engine = create_engine_for(url)
    repository = LeadRepository(session_factory(engine))
    timings = []
    for number in range(count):
        item = submission(number)
        started = time.perf_counter()
        repository.submit(item)
        timings.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return timings


def report(name: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    p95 = ordered[round(0.95 * (len(ordered) - 1))]
    print(f"{name}: {len(timings)} submits, median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report("SQLite", measure(f"sqlite:///{folder}/bench.db", args.count))
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(f"{args.postgres}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        print(f"PostgreSQL: skipped, not reachable ({error.__class__.__name__})")
        return 0
    try:
        report("PostgreSQL", measure(f"{args.postgres}/{name}", args.count))
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
