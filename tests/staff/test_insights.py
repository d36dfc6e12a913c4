"""Questions the bot could not answer, most frequent first, and conversion over a period."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.staff.analytics import Funnel, question_key, unanswered_questions
from tests.leads.lead_builders import add_lead
from tests.staff.fixtures import NOW

DAY = timedelta(days=1)


@pytest.fixture
def asked(tracker):
    at = NOW - DAY
    tracker.user("web-1", "Do you offer nursing degrees?", at, intent="out_of_scope")
    tracker.user("web-2", "do you offer  NURSING degrees", at + timedelta(hours=1), intent="out_of_scope")
    tracker.user("web-2", "do you offer nursing degrees??", at + timedelta(hours=2), intent="out_of_scope_other")
    tracker.user("web-3", "what's the parking like", at, intent="nlu_fallback")
    tracker.user("web-3", "call me on 07911 123456 or mail me@example.org", at, intent="nlu_fallback")
    tracker.user("web-4", "weather in Madrid?", at, intent="out_of_scope/weather")
    tracker.user("web-4", "/request_human", at, intent="nlu_fallback")  # a button payload, not typed
    tracker.user("web-5", "what is the difference?", at, intent="ask_difference")  # answered
    tracker.bot("web-5", "Healthcare management sets strategy...", at)
    tracker.user("web-6", "an old question", NOW - 40 * DAY, intent="nlu_fallback")  # outside the period


def test_grouped_by_wording_and_most_frequent_first(asked, conversations):
    questions = unanswered_questions(conversations, NOW - 7 * DAY, NOW)
    assert [(q.text, q.count, q.conversations) for q in questions[:1]] == [("do you offer nursing degrees??", 3, 2)]
    texts = [question.text for question in questions]
    assert set(texts[1:]) == {
        "what's the parking like",
        "call me on *********56 or mail m***@e***.org",
        "weather in Madrid?",
    }
    assert questions[0].kinds == ("out_of_scope",)
    assert all("/request_human" not in text and "difference" not in text for text in texts)


def test_answers_typed_into_a_form_never_reach_the_report(tracker, conversations):
    at = NOW - DAY
    tracker.user("web-7", "I'd like to enquire", at, intent="enquire")
    tracker.active_loop("web-7", "enquiry_form", at)
    tracker.user("web-7", "Will Turner", at + timedelta(seconds=5), intent="nlu_fallback")
    tracker.user("web-7", "turner.w@example.org", at + timedelta(seconds=9), intent="out_of_scope")
    tracker.active_loop("web-7", None, at + timedelta(seconds=20))
    tracker.user("web-7", "do you teach dentistry?", at + timedelta(seconds=30), intent="out_of_scope")

    texts = [question.text for question in unanswered_questions(conversations, NOW - 7 * DAY, NOW)]

    assert texts == ["do you teach dentistry?"]


def test_question_key_ignores_case_spacing_and_final_punctuation():
    assert question_key("  Do you  offer nursing degrees?? ") == question_key("do you offer nursing degrees")


def test_funnel_conversion():
    assert Funnel(conversations=40, leads=6).conversion == pytest.approx(0.15)
    assert Funnel(conversations=0, leads=0).conversion is None


def test_the_insights_page(staff, asked, leads, clock):
    add_lead(leads, clock, NOW - DAY, "one")
    add_lead(leads, clock, NOW - 40 * DAY, "too-old")
    page = staff.get("/console/insights?from=2026-11-11&to=2026-11-18").text
    assert '<span class="number" id="conversations-count">5</span>' in page
    assert '<span class="number" id="leads-count">1</span>' in page
    assert '<span class="number" id="conversion">20.0%</span>' in page
    assert page.index("do you offer nursing degrees??") < page.index("what&#39;s the parking like")
    assert "not understood" in page and "out of scope" in page
    assert "07911 123456" not in page and "me@example.org" not in page


def test_the_default_period_is_the_last_thirty_days(staff, asked):
    page = staff.get("/console/insights").text
    assert 'name="from" type="date" value="2026-10-20"' in page
    assert 'name="to" type="date" value="2026-11-18"' in page
    assert "an old question" not in page


def test_a_date_beyond_the_calendar_falls_back_to_the_default(staff, asked):
    page = staff.get("/console/insights?to=9999-12-31")
    assert page.status == 200
    assert 'name="to" type="date" value="2026-11-18"' in page.text


def test_no_conversations_yet(staff):
    page = staff.get("/console/insights").text
    assert '<span class="number" id="conversion">n/a</span>' in page
    assert "None in this period." in page
