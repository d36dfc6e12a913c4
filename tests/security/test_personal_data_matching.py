"""Defect 1: erasure and subject access match the person's exact, normalised address.

Before: a substring search, so erasing ``kim@example.com`` also erased
``joakim@example.com``, and an address with non-ASCII letters (JSON-escaped in
Rasa's tracker) was never found.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.leads.submission import LeadRejected
from bot.staff.personal_data import erase_person, subject_access
from tests.leads.lead_builders import add_lead
from tests.security.conftest import NOW

TARGET = "kim@example.com"
NEIGHBOUR = "joakim@example.com"


def seed_neighbours(leads, clock, tracker) -> dict[str, int]:
    at = NOW - timedelta(days=1)
    kim = add_lead(leads, clock, at, "k1", email=TARGET, conversation_id="web-kim")
    joakim = add_lead(leads, clock, at, "j1", email=NEIGHBOUR, conversation_id="web-joakim")
    tracker.user("web-kim", "my email is Kim@Example.com", at)
    tracker.slot("web-kim", "enquiry_email", TARGET, at)
    tracker.user("web-joakim", f"my email is {NEIGHBOUR}", at)
    tracker.slot("web-joakim", "enquiry_email", NEIGHBOUR, at)
    # Addresses that contain the target's, or that the target's contains, without being it.
    tracker.user("web-longer-domain", "write to kim@example.com.au please", at)
    tracker.user("web-prefix", "it is skim@example.com", at)
    return {"kim": kim, "joakim": joakim}


def test_erasing_an_address_leaves_a_neighbour_whose_address_contains_it(stores):
    leads, conversations, audit, tracker, clock = stores
    ids = seed_neighbours(leads, clock, tracker)
    report = erase_person(leads, conversations, audit, TARGET, "admin@example.org")
    assert report.references and report.conversations == 1
    assert leads.get(ids["kim"]) is None
    assert leads.get(ids["joakim"]) is not None
    assert tracker.senders() == {"web-joakim", "web-longer-domain", "web-prefix"}


def test_subject_access_holds_only_the_persons_own_conversations(stores):
    leads, conversations, audit, tracker, clock = stores
    seed_neighbours(leads, clock, tracker)
    document = subject_access(leads, conversations, audit, "KIM@example.COM", "admin@example.org")
    assert set(document["conversations"]) == {"web-kim"}
    assert [lead["email"] for lead in document["leads"]] == [TARGET]


def test_a_non_ascii_address_is_found_in_leads_and_json_escaped_tracker_events(stores):
    leads, conversations, audit, tracker, clock = stores
    at = NOW - timedelta(days=1)
    lead_id = add_lead(leads, clock, at, "z1", email="zoë.müller@bücher.de", conversation_id="web-zoe")
    # Rasa writes events with json.dumps: "zo\u00eb.m\u00fcller@..."; here the domain is typed in its IDNA form too.
    tracker.user("web-zoe", "Zoë.Müller@xn--bcher-kva.de", at)
    tracker.user("web-zoe-cancelled", "reach me at zoë.müller@BÜCHER.de", at)
    tracker.user("web-someone-else", "zoë@bücher.de", at)

    document = subject_access(leads, conversations, audit, "Zoë.Müller@XN--BCHER-KVA.DE", "admin@example.org")
    assert set(document["conversations"]) == {"web-zoe", "web-zoe-cancelled"}
    report = erase_person(leads, conversations, audit, "zoë.müller@bücher.de", "admin@example.org")
    assert report.conversations == 2 and leads.get(lead_id) is None
    assert tracker.senders() == {"web-someone-else"}


@pytest.mark.parametrize("given", ["kim", "@example.com", "kim@", "kim@example", ""])
def test_a_partial_address_is_refused_not_searched_for(stores, given):
    leads, conversations, audit, tracker, clock = stores
    seed_neighbours(leads, clock, tracker)
    with pytest.raises(LeadRejected):
        erase_person(leads, conversations, audit, given, "admin@example.org")
    assert tracker.count() == 6
