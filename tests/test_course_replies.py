"""bot.course_replies: the texts and buttons the assistant sends about courses."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.catalogue import Alternatives, Course, CourseQuery, Match
from bot.course_replies import (
    Reply,
    button,
    clarifying_question,
    codes,
    course_card,
    course_details,
    course_not_found,
    format_date,
    format_fee,
    no_match,
    payload,
    recommendations,
)

TODAY = date(2026, 11, 26)
SUMMARY = "Code diagnoses and procedures accurately and raise clean claims."


def make_course(code: str = "MA-201", title: str = "Medical Billing and Coding", **overrides) -> Course:
    data = {
        "code": code,
        "title": title,
        "field": "medical administration",
        "topics": ["medical billing and coding", "patient records"],
        "summary": SUMMARY,
        "audience": "Receptionists and administrators who handle billing.",
        "level": "introductory",
        "duration": "3 days",
        "duration_days": 3,
        "delivery": ["classroom", "online"],
        "sessions": [
            {"city": "London", "country": "United Kingdom", "start": "2027-01-12", "fee_gbp": 2450},
            {"city": "Online", "country": "Online", "start": "2027-02-03", "fee_gbp": 1200},
        ],
        "certificate": "British Academy certificate; 21 CPD hours.",
        **overrides,
    }
    return Course.parse_obj(data)


def match_of(course: Course, today: date = TODAY) -> Match:
    sessions = course.upcoming_sessions(today)
    return Match(course, 1.0, sessions, sessions[0] if sessions else None, ())


def in_house_course() -> Course:
    return make_course(
        "IH-302", "In-House Medical Administration Skills", delivery=["in-house"], sessions=[], duration="2 days",
        duration_days=2,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2027, 1, 12), "12 January 2027"),
        (date(2027, 3, 5), "5 March 2027"),
        (date(2026, 12, 31), "31 December 2026"),
    ],
)
def test_dates_are_written_the_british_way(day, text):
    assert format_date(day) == text


@pytest.mark.parametrize(("fee", "text"), [(2450, "£2,450"), (950, "£950"), (12000, "£12,000")])
def test_fees_are_in_pounds_with_thousands_separators(fee, text):
    assert format_fee(fee) == text


def test_payload_is_a_rasa_intent_with_json_entities():
    assert payload("enquire") == "/enquire"
    assert (
        payload("recommend_course", field="healthcare management")
        == '/recommend_course{"field":"healthcare management"}'
    )
    text = payload("enquire", course='MA-201 "x"', delivery="in-house")
    assert text.startswith("/enquire{")
    assert json.loads(text.removeprefix("/enquire")) == {"course": 'MA-201 "x"', "delivery": "in-house"}


def test_course_card_shows_title_code_and_next_session():
    card = course_card(match_of(make_course()))

    assert card.text == (
        f"Medical Billing and Coding (MA-201): {SUMMARY} Next: 12 January 2027, London, United Kingdom, £2,450."
    )
    assert card.buttons == (
        {"title": "More about this", "payload": '/ask_course_details{"course":"MA-201"}'},
        {"title": "Enquire about this", "payload": '/enquire{"course":"MA-201"}'},
    )


def test_course_card_of_an_online_session():
    card = course_card(match_of(make_course(), today=date(2027, 1, 20)))

    assert card.text.endswith("Next: 3 February 2027, online, £1,200.")


def test_course_card_of_an_in_house_course():
    card = course_card(match_of(in_house_course()))

    assert card.text.endswith("Run in-house on dates agreed with your organisation.")


def test_course_card_when_every_session_has_passed():
    card = course_card(match_of(make_course(), today=date(2027, 6, 1)))

    assert card.text.endswith("No dates scheduled at the moment; admissions can tell you when it runs next.")


def test_course_card_for_a_price_order_shows_the_cheapest_session():
    card = course_card(match_of(make_course()), cheapest=True)

    assert card.text.endswith("Most affordable: 3 February 2027, online, £1,200.")


def five_matches() -> list[Match]:
    return [match_of(make_course(f"MA-20{n}", f"Course {n}")) for n in range(1, 6)]


def test_recommendations_show_an_intro_and_at_most_three_cards():
    query = CourseQuery(topics=("medical billing and coding",), delivery="online")

    replies = recommendations(five_matches(), query)

    assert [r.text for r in replies[:1]] == ["Here are the best matches for medical billing and coding online:"]
    assert [r.text.split(" (")[0] for r in replies[1:]] == ["Course 1", "Course 2", "Course 3"]


@pytest.mark.parametrize(
    ("query", "intro"),
    [
        (CourseQuery(field="medical administration"), "Here is the best match for medical administration:"),
        (
            CourseQuery(topics=("leadership",), location="spain", month=3, max_fee=3000),
            "Here is the best match for leadership in Spain in March under £3,000:",
        ),
        (CourseQuery(location="spain"), "Here is the best match for courses in Spain:"),
        (
            CourseQuery(text="cheapest billing", sort="price"),
            "The most affordable option for medical billing and coding:",
        ),
        (CourseQuery(delivery="in-house", sort="date"), "Starting soonest for courses in-house:"),
        (CourseQuery(text="cheapest", sort="price"), "The most affordable option:"),
        (CourseQuery(text="something intensive"), "Here is the best match for that:"),
    ],
)
def test_recommendation_intro_says_what_was_asked(query, intro):
    replies = recommendations([match_of(make_course())], query)

    assert replies[0] == Reply(intro)


def test_no_match_names_what_was_relaxed_and_shows_the_alternatives():
    query = CourseQuery(topics=("leadership",), location="lisbon", month=3)
    alternatives = Alternatives(relaxed=("month", "location"), query=CourseQuery(), matches=five_matches())

    replies = no_match(query, alternatives)

    assert replies[0].text == (
        "I couldn't find a course for leadership in Lisbon in March. "
        "The nearest I have, without that month or that place:"
    )
    assert len(replies) == 5  # intro, three cards, closing
    assert replies[-1] == Reply(
        "If none of these fits, admissions can advise on other dates or a tailored in-house option.",
        buttons=(
            {"title": "Make an enquiry", "payload": "/enquire"},
            {"title": "Talk to admissions", "payload": "/request_human"},
        ),
    )


def test_no_match_without_any_alternative_offers_the_fields_and_admissions():
    query = CourseQuery(location="istanbul")

    replies = no_match(query, Alternatives(relaxed=("location",), query=query, matches=[]))

    assert replies == [
        Reply(
            "I couldn't find a course in Istanbul. Admissions can tell you about anything not listed here, "
            "or I can show you what we do offer.",
            buttons=(
                button("Healthcare management", "recommend_course", field="healthcare management"),
                button("Medical administration", "recommend_course", field="medical administration"),
                button("Make an enquiry", "enquire"),
            ),
        )
    ]


def test_clarifying_question_offers_the_ways_in():
    reply = clarifying_question()

    assert reply.text == "Happy to help you find a course. Which area are you interested in?"
    assert [(b["title"], b["payload"]) for b in reply.buttons] == [
        ("Healthcare management", '/recommend_course{"field":"healthcare management"}'),
        ("Medical administration", '/recommend_course{"field":"medical administration"}'),
        ("Online courses", '/recommend_course{"delivery":"online"}'),
        ("Training for my team", "/ask_inhouse"),
        ("Help me decide", "/start_guided_advice"),
    ]


def test_course_details_give_dates_fees_duration_audience_and_certificate():
    (reply,) = course_details(make_course(), TODAY)

    assert reply.text.split("\n") == [
        "Medical Billing and Coding (MA-201), medical administration, introductory level, 3 days.",
        SUMMARY,
        "Who it's for: Receptionists and administrators who handle billing.",
        "Delivery: classroom, online.",
        "Certificate: British Academy certificate; 21 CPD hours.",
        "Upcoming: 12 January 2027, London, United Kingdom, £2,450; 3 February 2027, online, £1,200.",
    ]
    assert reply.buttons == (
        {"title": "Enquire about this", "payload": '/enquire{"course":"MA-201"}'},
        {"title": "Similar courses", "payload": '/recommend_course{"topic":"medical billing and coding"}'},
        {"title": "Talk to admissions", "payload": "/request_human"},
    )


def test_course_details_list_four_sessions_and_count_the_rest():
    sessions = [
        {"city": "London", "country": "United Kingdom", "start": f"2027-0{month}-01", "fee_gbp": 2450}
        for month in range(1, 8)
    ]
    (reply,) = course_details(make_course(delivery=["classroom"], sessions=sessions), TODAY)

    upcoming = reply.text.split("\n")[-1]
    assert upcoming.startswith("Upcoming: 1 January 2027, London, United Kingdom, £2,450; ")
    assert upcoming.count("London") == 4
    assert upcoming.endswith("1 April 2027, London, United Kingdom, £2,450 (and 3 more).")


def test_course_details_leave_out_past_sessions():
    (reply,) = course_details(make_course(), date(2027, 1, 20))

    assert reply.text.split("\n")[-1] == "Upcoming: 3 February 2027, online, £1,200."


def test_course_details_of_an_in_house_course():
    (reply,) = course_details(in_house_course(), TODAY)

    assert reply.text.split("\n")[-1] == "It runs in-house, on dates agreed with your organisation."


def test_course_details_with_no_future_sessions():
    (reply,) = course_details(make_course(), date(2027, 6, 1))

    assert reply.text.split("\n")[-1] == (
        "No dates are scheduled at the moment; leave an enquiry and admissions will tell you when it runs."
    )


def test_course_not_found_quotes_the_reference():
    assert course_not_found("the xyz course").text.startswith(
        'I couldn\'t tell which course you mean "the xyz course".'
    )
    assert course_not_found(None).text.startswith("I couldn't tell which course you mean. You can give its code")


def test_as_message_is_what_the_dispatcher_takes():
    reply = Reply("Hello", buttons=(button("Go", "enquire"),))

    message = reply.as_message()
    message["buttons"][0]["title"] = "changed"

    assert message == {"text": "Hello", "buttons": [{"title": "changed", "payload": "/enquire"}]}
    assert reply.buttons[0]["title"] == "Go"


def test_codes():
    assert codes(five_matches()[:2]) == ["MA-201", "MA-202"]
