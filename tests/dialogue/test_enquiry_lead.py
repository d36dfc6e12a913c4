"""bot.dialogue.enquiry_lead: the lead a form run makes, and the summary that shows it."""

from __future__ import annotations

import logging
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from bot.courses.loading import CatalogueError
from bot.courses.store import CatalogueStore
from bot.dialogue.enquiry_lead import (
    CONSENT_WORDING,
    NoticeSettings,
    build_submission,
    change_labels,
    course_titles,
    form_run_id,
    is_in_house,
    privacy_notice,
    summary_lines,
    transcript,
)
from bot.leads.submission import Consent, CourseChoice, make_idempotency_key

NOTICE = NoticeSettings(version="2026-11", url="https://www.example.org/privacy")
CONSENT_AT = "2026-11-26T10:15:00+00:00"
EVENTS = [
    {"event": "session_started", "timestamp": 1764150000.0},
    {"event": "action", "timestamp": 1764150000.0, "name": "action_listen"},
    {"event": "user", "timestamp": 1764150001.0, "text": "I'd like to enquire about MA-201"},
    {"event": "action", "timestamp": 1764150002.0, "name": "action_prepare_enquiry"},
    {"event": "bot", "timestamp": 1764150002.5, "text": "Happy to pass your enquiry to our admissions team."},
    {"event": "slot", "timestamp": 1764150002.5, "name": "enquiry_run", "value": "1764150001.0"},
    {"event": "bot", "timestamp": 1764150003.0, "text": None, "data": {"buttons": []}},
    {"event": "user", "timestamp": 1764150010.0, "text": "yes"},
]


COURSES = Path(__file__).resolve().parents[2] / "data" / "courses.yml"


@pytest.fixture(scope="module")
def store() -> CatalogueStore:
    return CatalogueStore(COURSES, clock=lambda: date(2026, 11, 26))


def broken_catalogue() -> CatalogueStore:
    raise CatalogueError(["data/courses.yml: course #1: code: missing"], path="data/courses.yml")


@pytest.mark.parametrize(
    ("delivery", "codes", "in_house"),
    [
        (None, [], False),
        ("online", ["MA-201"], False),
        ("in-house", [], True),
        (None, ["MA-201", "IH-302"], True),
    ],
)
def test_is_in_house_when_asked_for_or_an_in_house_course_is_chosen(delivery, codes, in_house):
    assert is_in_house(delivery, codes) is in_house


def test_course_titles_keeps_known_courses_in_order_by_their_canonical_code(store):
    titles = course_titles(["MA-201", "XX-999", "ma204"], lambda: store)

    assert titles == [("MA-201", "Medical Billing and Coding"), ("MA-204", "Scheduling and Patient Flow")]


def test_course_titles_keeps_every_code_when_the_catalogue_cannot_be_read(caplog):
    with caplog.at_level(logging.ERROR, logger="bot.enquiry"):
        titles = course_titles(["MA-201", "XX-999"], broken_catalogue)

    assert titles == [("MA-201", ""), ("XX-999", "")]
    assert "course catalogue unreadable" in caplog.text


def test_the_form_run_is_the_time_of_the_latest_visitor_message():
    assert form_run_id(EVENTS, "visitor-1") == "1764150010.0"


def test_without_a_visitor_message_the_form_run_is_the_conversation():
    assert form_run_id(EVENTS[:2], "visitor-1") == "visitor-1"


def test_transcript_keeps_visitor_and_bot_turns_with_iso_times():
    assert transcript(EVENTS) == [
        {"sender": "visitor", "text": "I'd like to enquire about MA-201", "at": "2025-11-26T09:40:01+00:00"},
        {
            "sender": "bot",
            "text": "Happy to pass your enquiry to our admissions team.",
            "at": "2025-11-26T09:40:02.500000+00:00",
        },
        {"sender": "visitor", "text": "yes", "at": "2025-11-26T09:40:10+00:00"},
    ]


def test_transcript_keeps_the_most_recent_turns():
    events = [{"event": "user", "timestamp": 1764150000.0 + n, "text": f"message {n}"} for n in range(10)]

    assert [turn["text"] for turn in transcript(events, limit=3)] == ["message 7", "message 8", "message 9"]


SLOTS = {
    "enquiry_consent": "given",
    "enquiry_consent_at": CONSENT_AT,
    "enquiry_name": "Jo Bloggs",
    "enquiry_email": "jo@example.org",
    "enquiry_phone": "+447911123456",
    "enquiry_interest": "medical administration",
    "enquiry_organisation": "St Mary's Clinic",
    "enquiry_team_size": "20",
    "enquiry_location": "London",
    "enquiry_message": "skipped",
    "field": "medical administration",
    "delivery": "in-house",
}


def submission(slots=None, run="1764150001.0", conversation="visitor-1"):
    return build_submission(
        conversation_id=conversation,
        form_run=run,
        slots={**SLOTS, **(slots or {})},
        courses=[("MA-201", "Medical Billing and Coding")],
        events=EVENTS,
        notice=NOTICE,
    )


def test_build_submission_from_confirmed_answers():
    built = submission()

    assert built.idempotency_key == make_idempotency_key("visitor-1", "1764150001.0")
    assert built.conversation_id == "visitor-1"
    assert (built.name, built.email, built.phone) == ("Jo Bloggs", "jo@example.org", "+447911123456")
    assert (built.organisation, built.team_size, built.location) == ("St Mary's Clinic", 20, "London")
    assert (built.interest_field, built.delivery, built.message) == ("medical administration", "in-house", None)
    assert built.courses == [CourseChoice("MA-201", "Medical Billing and Coding")]
    assert built.transcript == transcript(EVENTS)
    assert built.consent == Consent(
        given_at=datetime(2026, 11, 26, 10, 15, tzinfo=timezone.utc),
        notice_version="2026-11",
        notice_url="https://www.example.org/privacy",
        wording=CONSENT_WORDING,
    )


def test_skipped_answers_are_stored_as_nothing():
    built = submission({"enquiry_phone": "skipped", "enquiry_team_size": "skipped", "enquiry_organisation": "skipped"})

    assert (built.phone, built.team_size, built.organisation) == (None, None, None)


@pytest.mark.parametrize(
    "slots",
    [
        {"enquiry_consent": None},
        {"enquiry_consent": "refused"},
        {"enquiry_consent_at": None},  # given, but with no time: not a record of consent
    ],
)
def test_consent_is_recorded_only_when_given_with_its_time(slots):
    assert submission(slots).consent is None


def test_the_idempotency_key_is_stable_for_one_run_and_new_for_the_next():
    assert submission().idempotency_key == submission().idempotency_key
    assert submission(run="1764159999.0").idempotency_key != submission().idempotency_key
    assert submission(conversation="visitor-2").idempotency_key != submission().idempotency_key


@pytest.mark.parametrize(
    ("days", "kept"),
    [(730, "2 years"), (365, "1 year"), (395, "395 days"), (90, "90 days")],
)
def test_privacy_notice_says_how_long_details_are_kept(days, kept):
    notice = privacy_notice("admissions@britishacademy.example", days, "https://www.example.org/privacy")

    assert f"We keep it for up to {kept}, then delete it." in notice


def test_privacy_notice_names_the_email_and_the_notice():
    notice = privacy_notice("admissions@britishacademy.example", 730, "https://www.example.org/privacy")

    assert notice == (
        "Before I take any details: the British Academy's admissions team will use what you give here only to "
        "reply to your enquiry. We keep it for up to 2 years, then delete it. You can ask to see, correct or "
        "delete it at any time by emailing admissions@britishacademy.example. "
        "Full privacy notice: https://www.example.org/privacy\n"
        "Do you agree to us storing your details for this?"
    )


def test_the_summary_is_rendered_from_the_submission_that_is_stored():
    built = submission()

    assert summary_lines(built) == [
        "Name: Jo Bloggs",
        "Email: jo@example.org",
        "Phone: +447911123456",
        "Courses: Medical Billing and Coding (MA-201)",
        "Interest: medical administration",
        "Organisation: St Mary's Clinic",
        "Team size: 20",
        "Location: London",
    ]


def test_every_stored_detail_is_in_the_summary_and_skipped_ones_are_in_neither():
    built = submission({"enquiry_phone": "skipped", "enquiry_message": "Weekend dates suit me"})
    shown = "\n".join(summary_lines(built))

    assert "Phone" not in shown and built.phone is None
    assert f"Message: {built.message}" in shown
    for value in (built.name, built.email, built.interest_field, built.organisation, built.location):
        assert f": {value}" in shown


def test_change_buttons_name_organisation_and_team_only_for_in_house():
    assert change_labels(in_house=False) == ["name", "email", "phone", "interest", "location", "message"]
    assert "team size" in change_labels(in_house=True) and "organisation" in change_labels(in_house=True)
