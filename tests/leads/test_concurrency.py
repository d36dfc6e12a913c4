"""Many submissions at once: nothing lost, nothing doubled, no "database is locked"."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from bot.leads.models import ConsentRecord, Lead
from bot.leads.repository import LeadRepository
from bot.storage.engine import create_engine_for, session_factory
from tests.leads.builders import submission

THREADS = 20


def submit_from_threads(database_url: str, submissions) -> list:
    """Each thread gets its own engine, as separate processes (action server, gateway) would."""
    barrier = threading.Barrier(len(submissions))

    def submit(item):
        engine = create_engine_for(database_url)
        try:
            repository = LeadRepository(session_factory(engine))
            barrier.wait(timeout=30)
            return repository.submit(item)
        finally:
            engine.dispose()

    with ThreadPoolExecutor(max_workers=len(submissions)) as pool:
        return list(pool.map(submit, submissions))  # re-raises the first exception, if any


def counts(database_url: str) -> tuple[int, int]:
    engine = create_engine_for(database_url)
    try:
        with engine.connect() as connection:
            leads = connection.execute(select(func.count()).select_from(Lead)).scalar_one()
            consents = connection.execute(select(func.count()).select_from(ConsentRecord)).scalar_one()
            return leads, consents
    finally:
        engine.dispose()


def test_twenty_concurrent_submissions_make_twenty_leads(database_url):
    items = [
        submission(key=f"conv-{index}/form-1", email=f"visitor{index}@example.org", conversation_id=f"conv-{index}")
        for index in range(THREADS)
    ]
    results = submit_from_threads(database_url, items)

    assert all(result.created for result in results)
    assert len({result.reference for result in results}) == THREADS
    assert counts(database_url) == (THREADS, THREADS)


def test_twenty_concurrent_copies_of_one_submission_make_one_lead(database_url):
    results = submit_from_threads(database_url, [submission(key="conv-1/form-1")] * THREADS)

    assert sum(result.created for result in results) == 1
    assert len({result.lead_id for result in results}) == 1
    assert counts(database_url) == (1, 1)
