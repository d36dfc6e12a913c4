"""Course questions through the REST channel, answered from data/courses.yml."""

import re

import pytest

pytestmark = pytest.mark.e2e


def test_topic_search_shows_cards_with_buttons(visitor):
    messages = visitor.say("do you have any courses on medical billing?")
    text = " ".join(m.get("text", "") for m in messages)
    assert "MA-201" in text
    titles = [b["title"] for m in messages for b in m.get("buttons", [])]
    assert "More about this" in titles and "Enquire about this" in titles
    assert len([m for m in messages if m.get("buttons")]) <= 3


# Courses with a Madrid session on the stack's fixed date (tests/conftest.py STACK_TODAY), from data/courses.yml.
MADRID_COURSES = {"HM-102", "HM-103", "MA-201", "MA-204"}


def test_courses_in_a_city(visitor):
    text = visitor.text("what courses do you run in Madrid?")
    shown = set(re.findall(r"\b(?:HM|MA|IH)-\d{3}\b", text))
    assert shown, f"no course listed: {text!r}"
    assert shown <= MADRID_COURSES, f"courses that do not run in Madrid: {shown - MADRID_COURSES}"
    assert "Madrid" in text


def test_a_city_with_no_courses_is_said_plainly(visitor):
    text = visitor.text("anything running in Tokyo?")
    assert re.search(r"\b(?:no|none)\b[^.]*Tokyo", text), f"no plain 'none in Tokyo': {text!r}"
    assert not re.search(r"\b(?:HM|MA|IH)-\d{3}\b.*Tokyo", text), "a course shown as if it ran in Tokyo"


def test_course_details_by_code(visitor):
    text = visitor.text("tell me more about HM-103")
    assert "HM-103" in text and "Certificate" in text and "£" in text


def test_details_button_after_a_recommendation(visitor):
    visitor.say("I'm looking for a leadership course")
    text = visitor.text('/ask_course_details{"course":"HM-103"}')
    assert "Who it's for" in text


def test_vague_request_gets_one_clarifying_question(visitor):
    messages = visitor.say("can you recommend a course?")
    assert len(messages) == 1
    assert {b["title"] for b in messages[0]["buttons"]} >= {"Healthcare management", "Medical administration"}


def test_organisation_team_is_remembered_for_in_house(visitor):
    text = visitor.text("we'd like to train our team of 20 at our clinic")
    assert "team of 20" in text
