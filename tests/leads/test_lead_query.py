"""The leads query behind the console and the API: filters, counts and pages (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.leads.lead_query import InvalidFilter, LeadFilter
from bot.leads.repository import LeadRepository
from bot.storage.engine import create_engine_for, session_factory
from tests.leads.builders import FakeClock
from tests.leads.lead_builders import BILLING, LEADERSHIP, add_lead
from tests.staff.fixtures import NOW


@pytest.fixture
def repository(database_url):
    engine = create_engine_for(database_url)
    clock = FakeClock(NOW)
    yield LeadRepository(session_factory(engine), clock=clock)
    engine.dispose()


@pytest.fixture
def seeded(repository):
    clock = repository._clock
    ids = {
        "london_billing": add_lead(
            repository,
            clock,
            NOW - timedelta(days=1),
            "a",
            name="Ada Lovelace",
            email="ada@nhs.example",
            location="London",
            delivery="in person",
            interest_field="medical administration",
            courses=[BILLING],
        ),
        "online_leader": add_lead(
            repository,
            clock,
            NOW - timedelta(days=2),
            "b",
            name="Bob Stone",
            email="bob@clinic.example",
            organisation="Riverside Clinic",
            location=None,
            delivery="online",
            interest_field="healthcare management",
            courses=[LEADERSHIP],
        ),
        "madrid_both": add_lead(
            repository,
            clock,
            NOW - timedelta(days=10),
            "c",
            name="Carmen Ruiz",
            email="carmen@hospital.example",
            location="Madrid",
            delivery="in person",
            interest_field="Medical Administration",
            courses=[BILLING, LEADERSHIP],
        ),
    }
    repository.change_status(ids["online_leader"], "contacted", "sam@example.org")
    return ids


def ids_of(repository, lead_filter=LeadFilter()) -> list[int]:
    return [lead.id for lead in repository.list_leads(lead_filter)]


def test_newest_first(repository, seeded):
    assert ids_of(repository) == [seeded["london_billing"], seeded["online_leader"], seeded["madrid_both"]]


@pytest.mark.parametrize(
    ("lead_filter", "expected"),
    [
        (LeadFilter(status="contacted"), ["online_leader"]),
        (LeadFilter(interest="medical administration"), ["london_billing", "madrid_both"]),
        (LeadFilter(course="ma-201"), ["london_billing", "madrid_both"]),
        (LeadFilter(place="london"), ["london_billing"]),
        (LeadFilter(place="ONLINE"), ["online_leader"]),
        (LeadFilter(place="in person", course="HM-310"), ["madrid_both"]),
        (LeadFilter(search="riverside"), ["online_leader"]),
        (LeadFilter(search="CARMEN@"), ["madrid_both"]),
        (LeadFilter(search="lovelace"), ["london_billing"]),
        (LeadFilter(search="100%_"), []),
        (LeadFilter(search="london billing"), ["london_billing"]),
        (LeadFilter(search="  Ruiz   carmen "), ["madrid_both"]),
        (LeadFilter(search="leadership in person"), ["madrid_both"]),
        (LeadFilter(search="ma-201 online"), []),
        (LeadFilter(received_from=NOW - timedelta(days=3)), ["london_billing", "online_leader"]),
        (LeadFilter(received_before=NOW - timedelta(days=2)), ["madrid_both"]),
        (
            LeadFilter(received_from=NOW - timedelta(days=1, hours=1), received_before=NOW, place="London"),
            ["london_billing"],
        ),
    ],
)
def test_filters(repository, seeded, lead_filter, expected):
    assert ids_of(repository, lead_filter) == [seeded[name] for name in expected]
    assert repository.count(lead_filter) == len(expected)


def test_search_by_reference(repository, seeded):
    reference = repository.get(seeded["madrid_both"]).reference
    assert ids_of(repository, LeadFilter(search=reference.lower())) == [seeded["madrid_both"]]


def test_counts_per_status_ignore_the_status_filter(repository, seeded):
    counts = repository.status_counts(LeadFilter(status="new", course="HM-310"))
    assert counts == {"new": 1, "contacted": 1, "qualified": 0, "enrolled": 0, "closed": 0}


def test_pages(repository, seeded):
    first = repository.list_leads(LeadFilter(), limit=2)
    second = repository.list_leads(LeadFilter(), limit=2, offset=2)
    assert [lead.id for lead in first + second] == ids_of(repository)
    oldest_first = repository.list_leads(LeadFilter(), limit=10, sort="oldest")
    assert [lead.id for lead in oldest_first] == list(reversed(ids_of(repository)))


def test_filter_choices_offer_what_the_leads_hold(repository, seeded):
    choices = repository.filter_choices()
    assert {value.lower() for value in choices.interests} == {"medical administration", "healthcare management"}
    assert [course.code for course in choices.courses] == ["HM-310", "MA-201"]
    assert choices.courses[1].title == "Medical Billing and Coding"
    assert choices.places[0].lower() == "in person"  # used twice
    assert {place.lower() for place in choices.places} == {"in person", "london", "online", "madrid"}


def test_export_rows_follow_the_filter(repository, seeded):
    rows = repository.export_rows(lead_filter=LeadFilter(course="MA-201"))
    assert [row["id"] for row in rows] == [seeded["madrid_both"], seeded["london_billing"]]  # oldest first


def test_assign_records_who_and_is_audited(repository, seeded):
    lead_id = seeded["london_billing"]
    assert repository.assign(lead_id, "sam@example.org", "ann@example.org") is True
    assert repository.assign(lead_id, "sam@example.org", "ann@example.org") is False
    assert repository.get(lead_id).assignee == "sam@example.org"
    assert repository.assign(lead_id, None, "ann@example.org") is True
    assert repository.get(lead_id).assignee is None


def test_leads_for_email_lists_every_enquiry_of_a_person(repository, seeded):
    clock = repository._clock
    later = add_lead(repository, clock, NOW, "d", email="ADA@nhs.example")
    assert [lead.id for lead in repository.leads_for_email("ada@nhs.example")] == [seeded["london_billing"], later]
    assert repository.get(later).linked_lead_id == seeded["london_billing"]


def test_unknown_status_is_refused_when_the_filter_is_made():
    with pytest.raises(InvalidFilter, match="unknown status 'won'"):
        LeadFilter(status="won")
