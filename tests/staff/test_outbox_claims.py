"""The notification outbox on each database: one claim per row, leases that run out, erasure cascades."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from bot.leads.repository import LeadRepository
from bot.staff.notification_outbox import NotificationQueue, OutboxWriter
from bot.storage.engine import create_engine_for, session_factory
from tests.leads.builders import FakeClock, submission
from tests.staff.fixtures import NOW


@pytest.fixture
def outbox(any_database_url):
    engine = create_engine_for(any_database_url)
    sessions = session_factory(engine)
    clock = FakeClock(NOW)
    leads = LeadRepository(sessions, clock=clock, events=OutboxWriter(("email", "webhook")))
    yield leads, sessions, clock
    engine.dispose()


def test_concurrent_senders_never_claim_the_same_row(outbox):
    leads, sessions, clock = outbox
    for number in range(10):
        leads.submit(submission(key=f"k{number}", email=f"p{number}@example.org"))
    queues = [NotificationQueue(sessions, clock) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        claims = list(pool.map(lambda queue: queue.claim_due(limit=50), queues))
    claimed = [item.id for batch in claims for item in batch]
    assert len(claimed) == 20 and len(set(claimed)) == 20


def test_a_claim_runs_out_and_a_sent_row_is_never_claimed_again(outbox):
    leads, sessions, clock = outbox
    leads.submit(submission())
    queue = NotificationQueue(sessions, clock, lease=timedelta(minutes=2))
    first = queue.claim_due()
    assert len(first) == 2 and queue.claim_due() == []
    queue.mark_sent(first[0].id)
    clock.advance(minutes=2, seconds=1)
    again = queue.claim_due()
    assert [item.id for item in again] == [first[1].id] and again[0].attempt == 2


def test_erasure_cascades_to_the_outbox(outbox):
    leads, sessions, clock = outbox
    leads.submit(submission())
    queue = NotificationQueue(sessions, clock)
    assert queue.waiting() == 2
    leads.erase_by_email("priya.shah@example.nhs.uk", "ann@example.org")
    assert queue.waiting() == 0
