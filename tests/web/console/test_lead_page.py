"""One lead in the console: everything about it, and the status, assignee and notes staff change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.leads.submission import CourseChoice
from tests.leads.lead_builders import add_lead
from tests.staff.fixtures import NOW, STAFF


@pytest.fixture
def lead_id(leads, clock):
    earlier = add_lead(leads, clock, NOW - timedelta(days=3), "earlier", message="First time")
    lead_id = add_lead(
        leads,
        clock,
        NOW - timedelta(hours=2),
        "detail",
        courses=[CourseChoice("MA-201", "Medical Billing and Coding"), CourseChoice("MA-110", "Medical Office Admin")],
        transcript=[
            {"sender": "visitor", "text": "Do you teach billing?", "at": "2026-11-18T07:58:00+00:00"},
            {"sender": "bot", "text": "Yes: Medical Billing and Coding.", "at": "2026-11-18T07:58:01+00:00"},
        ],
    )
    assert leads.get(lead_id).linked_lead_id == earlier
    return lead_id


def test_every_field_the_consent_courses_and_transcript(admin, leads, lead_id):
    page = admin.get(f"/console/leads/{lead_id}").text
    lead = leads.get(lead_id)
    for text in (
        lead.reference,
        "Priya Shah",
        'href="mailto:priya.shah@example.nhs.uk"',
        'href="tel:+447911123456"',
        "St Elsewhere Trust",
        "<dd>12</dd>",
        "healthcare management",
        "MA-201</span> Medical Billing and Coding",
        "MA-110</span> Medical Office Admin",
        "<dt>Location</dt><dd>London</dd>",
        "<dt>Delivery</dt><dd>in person</dd>",
        "Could someone call me about dates?",
        "version 2026-11 (/privacy)",
        "The British Academy will use these details to answer your enquiry. OK?",
        "Do you teach billing?",
        "Yes: Medical Billing and Coding.",
        "18 Nov 07:58",
        "Received 18 Nov 2026 08:00 (Europe/London)",
    ):
        assert text in page, text


def test_earlier_enquiries_from_the_same_email_are_linked(admin, leads, lead_id):
    earlier = leads.get(lead_id).linked_lead_id
    page = admin.get(f"/console/leads/{lead_id}").text
    assert f'<a href="/console/leads/{earlier}">{leads.get(earlier).reference}</a>' in page
    assert '<span class="tag">linked</span>' in page
    back = admin.get(f"/console/leads/{earlier}").text
    assert f'<a href="/console/leads/{lead_id}">' in back


def test_status_change_is_recorded_with_who_and_when(staff, leads, lead_id, clock):
    clock.advance(minutes=5)
    response = staff.post(f"/console/leads/{lead_id}/status", {"status": "contacted"})
    assert response.status == 303
    assert response.headers["location"] == f"/console/leads/{lead_id}?notice=status#status"
    page = staff.get(response.headers["location"]).text
    assert "Status updated." in page
    assert "New &rarr; <strong>Contacted</strong>" in page
    assert f"by {STAFF[0]}, 18 Nov 2026 10:05" in page
    change = leads.get(lead_id).status_changes[-1]
    assert (change.from_status, change.to_status, change.changed_by) == ("new", "contacted", STAFF[0])
    assert "lead.status by sam@example.org: new -&gt; contacted" in page  # the audit trail


def test_any_status_may_follow_any_other(staff, leads, lead_id):
    for status in ("enrolled", "new", "closed", "qualified"):
        assert staff.post(f"/console/leads/{lead_id}/status", {"status": status}).status == 303
    assert [c.to_status for c in leads.get(lead_id).status_changes] == ["enrolled", "new", "closed", "qualified"]


def test_same_status_again_records_nothing(staff, leads, lead_id):
    response = staff.post(f"/console/leads/{lead_id}/status", {"status": "new"})
    assert response.headers["location"].endswith("?notice=status-same#status")
    assert leads.get(lead_id).status_changes == ()


def test_unknown_status_is_explained(staff, leads, lead_id):
    response = staff.post(f"/console/leads/{lead_id}/status", {"status": "won"})
    assert response.headers["location"].endswith("?problem=status#status")
    assert "Choose one of the statuses." in staff.get(response.headers["location"]).text
    assert leads.get(lead_id).status == "new"


def test_notes_with_author_and_time(staff, leads, lead_id, clock):
    clock.advance(minutes=7)
    response = staff.post(f"/console/leads/{lead_id}/notes", {"body": "Called: wants March dates.\nEmail later."})
    assert response.status == 303
    page = staff.get(f"/console/leads/{lead_id}").text
    assert f"{STAFF[0]}, 18 Nov 2026 10:07" in page
    assert "Called: wants March dates.\nEmail later." in page
    assert [(n.author, n.body) for n in leads.get(lead_id).notes] == [
        (STAFF[0], "Called: wants March dates.\nEmail later.")
    ]


@pytest.mark.parametrize(("body", "problem"), [("   ", "note-empty"), ("x" * 5001, "note-long")])
def test_empty_or_overlong_notes_are_refused(staff, leads, lead_id, body, problem):
    response = staff.post(f"/console/leads/{lead_id}/notes", {"body": body})
    assert response.headers["location"].endswith(f"?problem={problem}#notes")
    assert leads.get(lead_id).notes == ()


def test_assign_to_a_member_of_staff_or_nobody(admin, leads, lead_id):
    assert admin.post(f"/console/leads/{lead_id}/assignee", {"assignee": STAFF[0]}).status == 303
    assert leads.get(lead_id).assignee == STAFF[0]
    assert f"assigned to {STAFF[0]}" in admin.get(f"/console/leads/{lead_id}").text
    response = admin.post(f"/console/leads/{lead_id}/assignee", {"assignee": "stranger@example.org"})
    assert response.headers["location"].endswith("?problem=assignee#assignee")
    assert leads.get(lead_id).assignee == STAFF[0]
    admin.post(f"/console/leads/{lead_id}/assignee", {"assignee": ""})
    assert leads.get(lead_id).assignee is None


def test_a_missing_lead_is_a_404_page(staff):
    response = staff.get("/console/leads/999")
    assert response.status == 404 and "No such lead" in response.text
    assert staff.post("/console/leads/999/status", {"status": "closed"}).status == 404
    assert staff.post("/console/leads/999/notes", {"body": "x"}).status == 404
    assert staff.post("/console/leads/999/assignee", {"assignee": ""}).status == 404


def test_an_id_too_large_for_the_database_is_a_404_not_a_500(staff):
    too_large = "9" * 25
    assert staff.get(f"/console/leads/{too_large}").status == 404
    assert staff.post(f"/console/leads/{too_large}/status", {"status": "closed"}).status == 404
    assert staff.post(f"/console/leads/{too_large}/notes", {"body": "x"}).status == 404


def test_admins_see_the_personal_data_link_staff_do_not(admin, staff, lead_id):
    assert f'href="/console/people?lead={lead_id}"' in admin.get(f"/console/leads/{lead_id}").text
    assert "/console/people" not in staff.get(f"/console/leads/{lead_id}").text
