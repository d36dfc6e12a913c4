"""Erasure, subject access and the retention purge: leads, notes and Rasa conversations, all audited."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.leads.repository import LeadRepository
from bot.staff.conversations import ConversationStore
from bot.staff.personal_data import erase_person, purge_expired, subject_access
from tests.leads.builders import FakeClock
from tests.leads.lead_builders import add_lead
from tests.staff.fixtures import NOW
from tests.staff.tracker_events import TrackerEvents

PERSON = "priya.shah@example.nhs.uk"


def seed_person(leads: LeadRepository, clock: FakeClock, tracker: TrackerEvents) -> dict:
    first = add_lead(leads, clock, NOW - timedelta(days=5), "p1", conversation_id="web-p1")
    second = add_lead(leads, clock, NOW - timedelta(days=1), "p2", conversation_id="web-p2")
    other = add_lead(
        leads, clock, NOW - timedelta(days=1), "o1", email="someone@else.example", conversation_id="web-o1"
    )
    leads.add_note(second, "sam@example.org", "Called back")
    for sender in ("web-p1", "web-p2", "web-o1"):
        tracker.user(sender, "I'd like to enrol", NOW - timedelta(days=1))
        tracker.bot(sender, "Happy to help", NOW - timedelta(days=1))
    # A conversation where she typed her address but cancelled the form: no lead, still hers.
    tracker.user("web-cancelled", "my email is Priya.Shah@Example.NHS.uk", NOW - timedelta(days=2))
    tracker.slot("web-cancelled", "enquiry_email", PERSON, NOW - timedelta(days=2))
    return {"first": first, "second": second, "other": other}


# --- the services, on SQLite and PostgreSQL ------------------------------------------


def test_erasure_removes_leads_notes_and_every_conversation_of_the_person(stores):
    leads, conversations, audit, tracker, clock = stores
    ids = seed_person(leads, clock, tracker)
    report = erase_person(leads, conversations, audit, " Priya.Shah@Example.NHS.uk ", "ann@example.org")
    assert report.leads == 2 and report.conversations == 3 and report.events == 6
    assert leads.get(ids["first"]) is None and leads.get(ids["second"]) is None
    assert leads.get(ids["other"]) is not None
    assert tracker.senders() == {"web-o1"}
    actions = {(entry.action, entry.subject) for entry in audit.recent()}
    assert ("lead.erase", "p***@e***.uk") in actions and ("conversation.erase", "p***@e***.uk") in actions
    assert all(PERSON not in entry.detail + entry.subject for entry in audit.recent())


def test_erasure_of_an_unknown_person_changes_nothing_but_is_recorded(stores):
    leads, conversations, audit, tracker, clock = stores
    seed_person(leads, clock, tracker)
    report = erase_person(leads, conversations, audit, "nobody@example.org", "ann@example.org")
    assert (report.leads, report.conversations) == (0, 0)
    assert tracker.count() == 8
    assert audit.recent()[0].action == "lead.erase"


def test_subject_access_holds_leads_notes_history_and_conversations(stores):
    leads, conversations, audit, tracker, clock = stores
    ids = seed_person(leads, clock, tracker)
    leads.change_status(ids["second"], "contacted", "sam@example.org")
    document = subject_access(leads, conversations, audit, PERSON, "ann@example.org", clock)
    json.dumps(document)  # plain JSON all the way down
    assert [lead["id"] for lead in document["leads"]] == [ids["first"], ids["second"]]
    second = document["leads"][1]
    assert second["notes"][0]["body"] == "Called back"
    assert second["status_changes"][0]["to_status"] == "contacted"
    assert second["consent"]["notice_version"] == "2026-11"
    assert set(document["conversations"]) == {"web-p1", "web-p2", "web-cancelled"}
    assert document["conversations"]["web-cancelled"][1]["data"]["value"] == PERSON
    assert any(entry["action"] == "lead.status" for entry in document["lead_history"][second["reference"]])
    assert audit.recent()[0].action == "person.export" and audit.recent()[0].subject == "p***@e***.uk"


def test_purge_removes_old_leads_and_conversations_and_keeps_recent_ones(stores):
    leads, conversations, audit, tracker, clock = stores
    old = add_lead(leads, clock, NOW - timedelta(days=731), "old")
    recent = add_lead(leads, clock, NOW - timedelta(days=10), "recent")
    tracker.user("web-old", "hello", NOW - timedelta(days=800))
    tracker.user("web-old", "still there?", NOW - timedelta(days=731))
    tracker.user("web-long", "hello", NOW - timedelta(days=800))
    tracker.user("web-long", "back again", NOW - timedelta(days=3))  # active lately: kept whole
    report = purge_expired(leads, conversations, audit, 730, "cli:ops")
    assert (report.leads, report.conversations, report.events) == (1, 1, 2)
    assert leads.get(old) is None and leads.get(recent) is not None
    assert tracker.senders() == {"web-long"} and tracker.count("web-long") == 2
    actions = [entry.action for entry in audit.recent()]
    assert "lead.purge" in actions and "conversation.purge" in actions


def test_without_a_tracker_table_there_is_nothing_to_read_or_delete(any_database_url):
    store = ConversationStore(any_database_url)
    try:
        assert store.erase(["web-x"]) == 0
        assert store.senders_with_address("a@b.org") == []
        assert store.purge_older_than(30).events == 0
    finally:
        store.close()


def test_a_missing_sqlite_tracker_file_is_not_created(tmp_path):
    path = tmp_path / "never" / "tracker.db"
    store = ConversationStore(f"sqlite:///{path}")
    assert store.count_conversations(NOW - timedelta(days=1), NOW) == 0
    assert not path.exists()


# --- through the console ------------------------------------------------------------------


def test_admin_erases_a_person_from_the_console(admin, leads, clock, tracker, app):
    ids = seed_person(leads, clock, tracker)
    form = admin.get(f"/console/people?lead={ids['second']}").text
    assert f'value="{PERSON}"' in form
    response = admin.post("/console/people/erase", {"email": PERSON, "confirm": "yes"})
    assert response.status == 303
    assert response.headers["location"] == "/console/people?erased=2&conversations=3"
    assert "Erased 2 lead(s) and 3 conversation(s)." in admin.get(response.headers["location"]).text
    assert leads.get(ids["second"]) is None
    assert tracker.senders() == {"web-o1"}
    assert app.ctx.console.audit().recent()[0].actor == "admin@example.org"


def test_erasure_needs_the_confirmation_box(admin, leads, clock, tracker):
    ids = seed_person(leads, clock, tracker)
    response = admin.post("/console/people/erase", {"email": PERSON})
    assert response.status == 400 and "Tick the box" in response.text
    assert leads.get(ids["first"]) is not None and tracker.count() == 8


@pytest.mark.parametrize("lead", ["%C2%B2", "9" * 25, "abc"])
def test_an_unusable_lead_number_leaves_the_form_empty(admin, lead):
    response = admin.get(f"/console/people?lead={lead}")
    assert response.status == 200 and 'name="email"' in response.text


def test_an_unusable_email_is_explained(admin):
    response = admin.post("/console/people/erase", {"email": "not an email", "confirm": "yes"})
    assert response.status == 400 and "Enter the email address" in response.text


def test_admin_downloads_everything_held_about_a_person(admin, leads, clock, tracker):
    seed_person(leads, clock, tracker)
    response = admin.post("/console/people/export", {"email": PERSON})
    assert response.status == 200
    assert response.headers["content-disposition"] == 'attachment; filename="subject-access-2026-11-18.json"'
    assert response.headers["cache-control"] == "no-store"
    document = json.loads(response.body)
    assert document["email"] == PERSON and len(document["leads"]) == 2


def test_staff_who_are_not_admins_cannot_erase_or_export(staff, leads, clock, tracker):
    ids = seed_person(leads, clock, tracker)
    assert staff.post("/console/people/erase", {"email": PERSON, "confirm": "yes"}).status == 403
    assert staff.post("/console/people/export", {"email": PERSON}).status == 403
    assert leads.get(ids["first"]) is not None
