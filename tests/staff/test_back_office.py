"""The one back-office wiring: what the gateway, each CLI command and the action server get."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from bot.staff.back_office import BackOffice
from bot.storage.migrate import upgrade
from tests.leads.builders import FakeClock, submission
from tests.staff.fixtures import NOW


@pytest.fixture
def office_for(tmp_path):
    offices = []

    def build(**env: str) -> BackOffice:
        settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path), **env})
        upgrade(settings.database_url)
        offices.append(BackOffice.from_settings(settings, clock=FakeClock(NOW)))
        return offices[-1]

    yield build
    for office in offices:
        office.close()


def test_a_new_lead_queues_one_notification_per_configured_channel_with_it(office_for):
    office = office_for(NOTIFY_WEBHOOK_URL="https://hooks.example.org/leads")
    result = office.leads().submit(submission())
    assert [item.channel for item in office.notification_queue().for_lead(result.lead_id)] == ["webhook"]
    assert office.audit().for_subject(f"lead:{result.lead_id}")[0].action == "lead.created"


def test_without_a_channel_nothing_is_queued(office_for):
    office = office_for()
    result = office.leads().submit(submission())
    assert office.notification_queue().for_lead(result.lead_id) == []


def test_every_service_reads_the_office_clock_even_when_a_test_replaces_it(office_for):
    office = office_for()
    later = FakeClock(NOW)
    later.advance(days=2)
    office.clock = later
    lead = office.leads().get(office.leads().submit(submission()).lead_id)
    assert lead.created_at == later()
    office.audit().record("sam@example.org", "test.clock", "leads")
    assert office.audit().recent(1)[0].at == later()


def test_the_link_period_comes_from_the_settings(office_for):
    office = office_for(LEAD_LINK_DAYS="0")
    office.leads().submit(submission(key="first"))
    assert office.leads().submit(submission(key="second")).linked_lead_id is None
