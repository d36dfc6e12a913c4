"""bot.courses.replies: the texts and buttons the assistant sends about courses."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.courses.model import Alternatives, Course, CourseQuery, Match, NoMatch, Venues
from bot.courses.replies import (
    SAMPLE_NOTE,
    Reply,
    button,
    clarifying_question,
    codes,
    course_card,
    course_details,
    course_not_found,
    format_date,
    format_fee,
    in_house_courses,
    no_match,
    payload,
    recommendations,
    shown_codes,
    unknown_subject,
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

    assert card.text.endswith("No upcoming dates are listed; admissions can answer questions about it.")


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


EVERYWHERE = Venues(
    cities=("London", "Manchester", "Amsterdam", "Berlin", "Lisbon", "Madrid"), online=True, in_house=True
)
ENQUIRE, ADMISSIONS = button("Make an enquiry", "enquire"), button("Talk to admissions", "request_human")
IN_HOUSE = button("Training at your site", "ask_inhouse")


def nothing_found(query, relaxed, matches, venues=EVERYWHERE, unknown_place=False, around=None) -> NoMatch:
    alternatives = Alternatives(relaxed=relaxed, query=CourseQuery(), matches=matches, around=around)
    return NoMatch(alternatives=alternatives, unknown_place=unknown_place, venues=venues)


def test_no_match_names_the_month_that_failed_and_shows_the_closest_dates():
    query = CourseQuery(topics=("leadership",), location="lisbon", month=3)

    replies = no_match(query, nothing_found(query, ("month",), five_matches(), around=date(2027, 3, 1)))

    assert replies[0] == Reply("I have leadership courses in Lisbon, but none starting in March. The closest dates:")
    assert len(replies) == 5  # intro, three cards, closing
    assert replies[1].text.endswith("Closest date: 3 February 2027, online, £1,200.")
    assert replies[-1] == Reply(
        "If none of these suits you, admissions can answer questions about dates and formats.",
        buttons=(ENQUIRE, IN_HOUSE, ADMISSIONS),
    )


def test_a_month_with_a_year_is_named_with_its_year():
    query = CourseQuery(month=12, year=2028)

    replies = no_match(query, nothing_found(query, ("month",), five_matches()))

    assert replies[0].text == "I have courses, but none starting in December 2028. The closest dates:"


@pytest.mark.parametrize(
    ("query", "relaxed", "intro"),
    [
        (
            CourseQuery(topics=("strategic planning",), delivery="online"),
            ("delivery",),
            "I have strategic planning courses, but none online. Classroom dates instead:",
        ),
        (
            CourseQuery(topics=("financial planning",), delivery="in-house"),
            ("delivery",),
            "I have financial planning courses, but none in-house. Open courses instead:",
        ),
        (
            CourseQuery(topics=("leadership",), max_fee=500),
            ("max_fee",),
            "I have leadership courses, but none under £500. The most affordable:",
        ),
        (
            CourseQuery(topics=("policy development",), location="Manchester"),
            ("location",),
            "I have policy development courses, but none in Manchester. The same courses elsewhere:",
        ),
        (
            CourseQuery(topics=("leadership",), location="lisbon", month=3),
            ("month", "location"),
            "I have no leadership courses in Lisbon in March. The nearest I have, on other dates and in other places:",
        ),
        (
            CourseQuery(topics=("patient records",), location="vienna", month=5),
            ("topic",),
            "I have no patient records courses in Vienna in May. Other courses in Vienna in May, on different topics:",
        ),
    ],
)
def test_no_match_names_the_filter_that_failed(query, relaxed, intro):
    replies = no_match(query, nothing_found(query, relaxed, five_matches()))

    assert replies[0] == Reply(intro)


def test_no_match_in_a_place_the_catalogue_does_not_know_lists_where_courses_run():
    query = CourseQuery(location="Tokyo")

    replies = no_match(query, nothing_found(query, ("location",), five_matches(), unknown_place=True))

    # no subject was asked for, so no course cards: they would be unrelated "best matches"
    assert replies == [
        Reply(
            "I have no courses in Tokyo. Our courses run in London, Manchester, Amsterdam, Berlin and 2 other cities"
            " and online. We can also train a team in-house, at your own site.",
            buttons=(button("Online courses", "recommend_course", delivery="online"), IN_HOUSE, ENQUIRE),
        )
    ]


def test_no_match_in_an_unknown_place_offers_the_same_subject_elsewhere():
    query = CourseQuery(topics=("leadership",), location="tokyo", month=3)
    venues = Venues(cities=("London", "Madrid"), online=False, in_house=False)

    replies = no_match(query, nothing_found(query, ("location",), five_matches(), venues, unknown_place=True))

    assert replies[0] == Reply(
        "I have no leadership courses in Tokyo in March. Leadership courses in March run in London and Madrid. "
        "The next ones:"
    )
    assert [r.text.split(" (")[0] for r in replies[1:4]] == ["Course 1", "Course 2", "Course 3"]
    assert replies[-1] == Reply("Anything else I can look for?", buttons=(ENQUIRE,))  # no in-house, no online


def test_no_match_in_an_unknown_place_never_claims_in_house_without_in_house_courses():
    query = CourseQuery(location="Dubai")
    venues = Venues(cities=("London",), online=False, in_house=False)

    (reply,) = no_match(query, nothing_found(query, ("location",), five_matches(), venues, unknown_place=True))

    assert "in-house" not in reply.text
    assert reply.buttons == (ENQUIRE,)


def test_no_match_without_any_alternative_offers_the_fields_and_admissions():
    query = CourseQuery(location="istanbul")

    replies = no_match(query, nothing_found(query, ("location",), []))

    assert replies == [
        Reply(
            "I have no courses in Istanbul in the catalogue. I can show you what there is, or you can ask admissions.",
            buttons=(
                button("Healthcare management", "recommend_course", field="healthcare management"),
                button("Medical administration", "recommend_course", field="medical administration"),
                ENQUIRE,
            ),
        )
    ]


def test_no_match_marks_sample_dates_and_fees():
    query = CourseQuery(topics=("leadership",), month=3)

    replies = no_match(query, nothing_found(query, ("month",), five_matches()), sample=True)

    assert replies[1].text.endswith("Next: 12 January 2027, London, United Kingdom, £2,450 (sample date and fee).")


def test_unknown_subject_says_what_the_academy_teaches():
    reply = unknown_subject("nursing")

    assert reply.text == (
        "I have no courses on nursing. The British Academy's courses are in healthcare management and medical "
        "administration. Would one of those help, or would you like to ask admissions?"
    )
    assert [b["payload"] for b in reply.buttons] == [
        '/recommend_course{"field":"healthcare management"}',
        '/recommend_course{"field":"medical administration"}',
        "/request_human",
    ]


def test_in_house_courses_names_only_the_catalogue_in_house_courses():
    reply = in_house_courses([match_of(in_house_course())], "For a team of 12, we can run the training here. ")

    assert reply.text == (
        "For a team of 12, we can run the training here. Courses in the catalogue that run in-house: "
        "In-House Medical Administration Skills (IH-302)."
    )
    assert "any" not in reply.text.lower()
    assert in_house_courses([]).text.startswith("There are no in-house courses in the catalogue")


def test_shown_codes_are_the_cards_in_order():
    replies = [Reply("intro"), *(course_card(m) for m in five_matches()[:2]), Reply("end", (ENQUIRE,))]

    assert shown_codes(replies) == ["MA-201", "MA-202"]


def test_sample_data_is_marked_where_dates_and_fees_are_shown():
    query = CourseQuery(topics=("medical billing and coding",))

    _, card = recommendations([match_of(make_course())], query, sample=True)
    (details,) = course_details(make_course(), TODAY, sample=True)

    assert card.text.endswith("£2,450 (sample date and fee).")
    assert details.text.split("\n")[-1] == SAMPLE_NOTE
    assert SAMPLE_NOTE == "Dates and fees are sample data for now; admissions can confirm the real ones."
    (in_house,) = course_details(in_house_course(), TODAY, sample=True)
    assert SAMPLE_NOTE not in in_house.text  # no dates or fees to mark


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

    assert reply.text.split("\n")[-1] == "No upcoming dates are listed; admissions can answer questions about it."


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
