"""Every state-changing console request needs the session's CSRF token and must come from this site."""

from __future__ import annotations

import pytest

from tests.leads.builders import submission
from tests.staff.fixtures import ADMIN
from tests.web.console.staff_client import StaffClient

CHANGES = [
    ("/console/leads/1/status", {"status": "contacted"}),
    ("/console/leads/1/assignee", {"assignee": "sam@example.org"}),
    ("/console/leads/1/notes", {"body": "Called, left a message"}),
    ("/console/people/erase", {"email": "priya.shah@example.nhs.uk", "confirm": "yes"}),
    ("/console/people/export", {"email": "priya.shah@example.nhs.uk"}),
    ("/console/logout", {}),
]


@pytest.fixture
def lead(leads):
    return leads.get(leads.submit(submission()).lead_id)


def unchanged(leads, lead) -> bool:
    now = leads.get(lead.id)
    return now is not None and now.status == "new" and not now.notes and now.assignee is None


@pytest.mark.parametrize(("path", "form"), CHANGES)
def test_a_change_without_the_token_is_refused_and_nothing_changes(admin, leads, lead, path, form):
    response = admin.post(path, form, csrf="")
    assert response.status == 403
    assert "Form expired" in response.text
    assert unchanged(leads, lead)
    assert admin.get("/console/leads").status == 200  # still signed in


@pytest.mark.parametrize(("path", "form"), CHANGES)
def test_a_wrong_token_is_refused(admin, leads, lead, path, form):
    assert admin.post(path, form, csrf="x" * 43).status == 403
    assert unchanged(leads, lead)


def test_another_sessions_token_does_not_work(admin, app, leads, lead):
    other = StaffClient(app)
    other.login(*ADMIN)
    assert other.csrf != admin.csrf
    assert admin.post("/console/leads/1/status", {"status": "closed"}, csrf=other.csrf).status == 403
    assert unchanged(leads, lead)


@pytest.mark.parametrize("origin", ["https://evil.example", "null"])
def test_a_request_from_another_site_is_refused_even_with_the_token(admin, leads, lead, origin):
    response = admin.post("/console/leads/1/status", {"status": "closed"}, headers={"Origin": origin})
    assert response.status == 403
    assert unchanged(leads, lead)


def test_the_token_may_come_in_a_header(admin, leads, lead):
    headers = {"X-CSRF-Token": admin.csrf}
    response = admin.post("/console/leads/1/status", {"status": "contacted"}, csrf="", headers=headers)
    assert response.status == 303
    assert leads.get(lead.id).status == "contacted"


def test_a_same_site_request_with_the_token_works(admin, leads, lead):
    this_site = f"http://127.0.0.1:{admin.app.test_client.port}"
    assert admin.post("/console/leads/1/notes", {"body": "Called"}, headers={"Origin": this_site}).status == 303
    other_port = {"Origin": "http://127.0.0.1:1"}
    assert admin.post("/console/leads/1/notes", {"body": "Again"}, headers=other_port).status == 403
    assert [note.body for note in leads.get(lead.id).notes] == ["Called"]


def test_every_form_on_the_detail_page_carries_the_token(admin, lead):
    page = admin.get(f"/console/leads/{lead.id}").text
    forms = page.count("<form")
    assert forms >= 4
    assert page.count(f'name="csrf_token" value="{admin.csrf}"') == forms
