"""One serializer: the API's JSON and the export rows share their keys and values, and differ only by
the documented choice of extra fields (docs/leads.md, bot/leads/serializer.py)."""

from __future__ import annotations

import pytest

from bot.leads.serializer import detail_json, export_row, lead_fields, summary_json
from tests.leads.builders import START, submission

SHARED = {
    "id",
    "reference",
    "created_at",
    "status",
    "name",
    "email",
    "phone",
    "organisation",
    "team_size",
    "interest",
    "courses",
    "location",
    "delivery",
    "assignee",
    "linked_lead_id",
}


@pytest.fixture
def lead(repository, clock):
    earlier = repository.submit(submission(key="earlier"))
    clock.advance(days=1)
    later = repository.submit(submission(key="later", message="=HYPERLINK(1)"))
    repository.change_status(later.lead_id, "contacted", "sam@example.org")
    repository.add_note(later.lead_id, "sam@example.org", "Called back")
    assert later.linked_lead_id == earlier.lead_id
    return repository.get(later.lead_id)


def test_every_representation_starts_from_the_same_fields(lead):
    fields = lead_fields(lead)
    assert set(fields) == SHARED
    assert fields["created_at"] == (START.replace(day=3)).isoformat()
    assert fields["courses"] == [{"code": "HM-101", "title": "Healthcare Management Fundamentals"}]
    assert fields["interest"] == "healthcare management"
    for representation in (summary_json(lead), detail_json(lead), export_row(lead)):
        assert {key: representation[key] for key in SHARED} == fields


def test_the_api_and_the_export_differ_only_by_the_documented_extra_fields(lead):
    assert set(summary_json(lead)) - SHARED == {"url"}
    api_extra = {
        "url",
        "message",
        "consent",
        "transcript",
        "status_history",
        "notes",
        "linked_reference",
        "follow_up_references",
    }
    export_extra = {"message", "consent", "linked_reference", "conversation_id", "transcript"}
    assert set(detail_json(lead)) - SHARED == api_extra
    assert set(export_row(lead)) - SHARED == export_extra


def test_shared_extras_have_the_same_values_and_the_export_leaves_out_the_consent_wording(lead):
    api, row = detail_json(lead), export_row(lead)
    for key in ("message", "linked_reference", "transcript"):
        assert api[key] == row[key], key
    assert api["consent"] == {**row["consent"], "wording": lead.consent.wording}
    assert api["status_history"] == [
        {"from": "new", "to": "contacted", "by": "sam@example.org", "at": api["status_history"][0]["at"]}
    ]
    assert [note["body"] for note in api["notes"]] == ["Called back"]
    assert row["conversation_id"] == "conversation-1" and api["url"] == f"/api/leads/{lead.id}"


def test_the_repository_s_export_rows_are_the_serializer_s(repository, lead):
    assert repository.export_rows()[-1] == export_row(repository.get(lead.id))
