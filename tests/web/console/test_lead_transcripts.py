"""Transcripts as the visitor saw them: button titles instead of payloads, staff replies
named; and the lead's field of interest taken from the conversation (issue 16)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from bot.dialogue.enquiry_lead import interest_of, transcript
from bot.leads.export import BOM, to_csv
from bot.leads.transcript_turns import readable_payload
from tests.leads.lead_builders import add_lead
from tests.staff.fixtures import NOW

CHOOSE = '/choose_course{"course":"MA-208"}'
MA = "medical administration"


def bot_event(text, buttons=(), staff=None, at=1.0):
    event = {"event": "bot", "text": text, "timestamp": at, "data": {"buttons": list(buttons)}}
    if staff:
        event["metadata"] = {"handoff_staff": staff}
    return event


def user_event(text, at=2.0):
    return {"event": "user", "text": text, "timestamp": at}


def test_a_click_is_kept_as_the_title_of_the_button_the_visitor_saw():
    events = [
        bot_event("Two courses match.", [{"title": "Patient Records Essentials", "payload": CHOOSE}]),
        user_event(CHOOSE),
        bot_event("Anything else?", [{"title": "Yes", "payload": "/affirm"}], at=3.0),
        user_event("/deny", at=4.0),  # no button of the previous message sends it: shown in words
    ]
    turns = transcript(events)
    assert [turn["text"] for turn in turns] == [
        "Two courses match.",
        "Patient Records Essentials",
        "Anything else?",
        "Deny",
    ]


def test_a_staff_reply_keeps_the_staff_members_name():
    turns = transcript([user_event("Can I speak to someone?"), bot_event("Hello, Sam here.", staff="Sam", at=3.0)])
    assert turns[1]["staff"] == "Sam" and turns[1]["sender"] == "bot"
    assert "staff" not in turns[0]


@pytest.mark.parametrize(
    ("payload", "shown"),
    [
        (CHOOSE, "Choose course: MA-208"),
        ("/request_human", "Request human"),
        ('/ask_careers{"field":"medical administration"}', "Ask careers: medical administration"),
        ("/broken{not json", "/broken{not json"),
        ("I typed a slash / myself", "I typed a slash / myself"),
    ],
)
def test_payloads_kept_by_older_leads_read_as_words(payload, shown):
    assert readable_payload(payload) == shown


def test_the_lead_page_and_the_csv_show_titles_and_staff_names(admin, leads, clock):
    lead_id = add_lead(
        leads,
        clock,
        NOW - timedelta(hours=1),
        "transcript",
        transcript=[
            {"sender": "visitor", "text": CHOOSE, "at": "2026-11-18T08:00:00+00:00"},
            {"sender": "bot", "text": "Happy to help.", "at": "2026-11-18T08:00:01+00:00", "staff": "Sam"},
            {"sender": "bot", "text": "Anything else?", "at": "2026-11-18T08:00:02+00:00"},
        ],
    )
    assert leads.get(lead_id).transcript[1]["staff"] == "Sam"  # kept by the repository
    page = admin.get(f"/console/leads/{lead_id}").text
    assert "Choose course: MA-208" in page and CHOOSE not in page and "choose_course" not in page
    assert "Sam (admissions)" in page
    row = next(csv.DictReader(io.StringIO(to_csv(leads.export_rows()).lstrip(BOM))))
    assert "Visitor: Choose course: MA-208" in row["transcript"]
    assert "Sam (admissions): Happy to help." in row["transcript"]
    assert "Assistant: Anything else?" in row["transcript"]


@pytest.mark.parametrize(
    ("slots", "interest"),
    [
        (
            {"enquiry_interest": "medical administration", "current_field": "healthcare management"},
            "medical administration",
        ),
        ({"enquiry_interest": None, "current_field": "healthcare management"}, "healthcare management"),
        ({"enquiry_interest": "", "current_field": None, "field": "medical administration"}, MA),
        ({"current_field": "astrology"}, None),
        ({}, None),
    ],
)
def test_the_field_of_interest_comes_from_the_form_else_the_conversation(slots, interest):
    assert interest_of(slots) == interest
