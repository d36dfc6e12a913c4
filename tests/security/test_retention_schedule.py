"""Defect 11: the retention purge runs on a schedule inside the gateway, and logs counts only.

Before: ``python -m bot purge`` existed, but nothing ran it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest

from bot.settings import Settings
from bot.staff.retention import ACTOR, RetentionSchedule, purge_if_due
from bot.web.app import create_app
from tests.leads.lead_builders import add_lead
from tests.security.conftest import NOW

OLD_EMAIL = "old.enquirer@example.org"
DAY = timedelta(days=1)


@pytest.fixture
def aged_stores(stores):
    """The shared stores, with one lead and conversation past the retention period and one within it."""
    leads, _, _, tracker, clock = stores
    add_lead(leads, clock, NOW - timedelta(days=800), "old", email=OLD_EMAIL, conversation_id="web-old")
    add_lead(leads, clock, NOW - timedelta(days=3), "new", conversation_id="web-new")
    tracker.user("web-old", f"my email is {OLD_EMAIL}", NOW - timedelta(days=800))
    tracker.user("web-new", "hello", NOW - timedelta(days=3))
    return stores


def test_a_purge_runs_when_due_then_waits_for_the_interval(aged_stores, caplog):
    leads, conversations, audit, tracker, clock = aged_stores
    caplog.set_level(logging.INFO, logger="bot.staff.retention")
    report = purge_if_due(leads, conversations, audit, 730, DAY, clock)
    assert (report.leads, report.conversations) == (1, 1)
    assert tracker.senders() == {"web-new"}
    assert "1 lead(s), 1 conversation(s), 1 event(s) older than 730 days" in caplog.text
    assert OLD_EMAIL not in caplog.text and "web-old" not in caplog.text  # counts only
    assert audit.recent(1, 0, "conversation.purge")[0].actor == ACTOR

    clock.advance(hours=23)
    assert purge_if_due(leads, conversations, audit, 730, DAY, clock) is None  # another gateway did it
    clock.advance(hours=1)
    assert purge_if_due(leads, conversations, audit, 730, DAY, clock) is not None


def test_the_schedule_runs_rounds_in_the_background(aged_stores):
    leads, conversations, audit, tracker, clock = aged_stores
    schedule = RetentionSchedule(
        leads, conversations, audit, 730, DAY, clock, check_every_seconds=0, first_check_after_seconds=0
    )

    async def run_until_purged() -> None:
        schedule.start()
        while not audit.recent(1, 0, "conversation.purge"):
            await asyncio.sleep(0.01)
        await schedule.stop()

    asyncio.run(asyncio.wait_for(run_until_purged(), timeout=60))
    assert tracker.senders() == {"web-new"} and not schedule.running


def test_the_gateway_runs_the_schedule_while_it_serves(tmp_path):
    app = create_app(Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path)}))
    schedule = app.ctx.retention_schedule
    assert isinstance(schedule, RetentionSchedule)
    assert schedule.days == 730 and schedule.interval == DAY

    seen = []

    @app.get("/running-probe")
    async def probe(_request):
        from sanic.response import json

        seen.append(schedule.running)
        return json({})

    app.test_client.get("/running-probe")
    assert seen == [True] and not schedule.running  # started with the server, stopped with it


def test_the_schedule_can_be_turned_off(tmp_path):
    app = create_app(Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path), "RETENTION_PURGE_HOURS": "0"}))
    assert app.ctx.retention_schedule is None
