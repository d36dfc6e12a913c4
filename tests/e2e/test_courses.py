"""Course questions through the REST channel, answered from data/courses.yml."""

import pytest

pytestmark = pytest.mark.e2e


def test_topic_search_shows_cards_with_buttons(visitor):
    messages = visitor.say("do you have any courses on medical billing?")
    text = " ".join(m.get("text", "") for m in messages)
    assert "MA-201" in text
    titles = [b["title"] for m in messages for b in m.get("buttons", [])]
    assert "More about this" in titles and "Enquire about this" in titles
    assert len([m for m in messages if m.get("buttons")]) <= 3


def test_courses_in_a_city(visitor):
    text = visitor.text("what courses do you run in Madrid?")
    assert "Madrid" in text


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
