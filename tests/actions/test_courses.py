"""ActionRecommendCourses and ActionCourseDetails against the sample catalogue on 26 November 2026."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.courses import ActionCourseDetails, ActionRecommendCourses
from tests.actions.conftest import conversation, texts


def entity(kind: str, value: str) -> dict:
    return {"entity": kind, "value": value}


def card_titles(dispatcher) -> list[str]:
    return [text.split(": ")[0] for text in texts(dispatcher)[1:]]


async def test_recommend_a_specific_request_shows_up_to_three_cards_and_remembers_it(dispatcher, domain):
    tracker = conversation("recommend_online_billing", "leadership courses", entities=[entity("topic", "leadership")])

    events = await ActionRecommendCourses().run(dispatcher, tracker, domain)

    assert texts(dispatcher)[0] == "Here are the best matches for leadership:"
    assert card_titles(dispatcher) == [
        "Leadership in Healthcare Organisations (HM-103)",
        "Healthcare Executive Leadership Programme (HM-109)",
        "Tailored Healthcare Leadership Programme (IH-301)",
    ]
    assert texts(dispatcher)[1].endswith(
        "Next: 30 November 2026, London, United Kingdom, £4,450 (sample date and fee)."
    )
    assert dispatcher.messages[1]["buttons"] == [
        {"title": "More about this", "payload": '/ask_course_details{"course":"HM-103"}'},
        {"title": "Enquire about this", "payload": '/enquire{"course":"HM-103"}'},
    ]
    assert events == [SlotSet("courses_shown", ["HM-103", "HM-109", "IH-301"]), SlotSet("topic", "leadership")]


async def test_recommend_online_billing(dispatcher, domain):
    events = await ActionRecommendCourses().run(dispatcher, conversation("recommend_online_billing"), domain)

    assert texts(dispatcher) == [
        "Here is the best match for medical billing and coding online:",
        "Medical Billing and Coding (MA-201): Code diagnoses and procedures accurately, raise clean claims and chase "
        "the ones that come back unpaid. Next: 19 April 2027, online, £1,850 (sample date and fee).",
    ]
    assert events == [
        SlotSet("courses_shown", ["MA-201"]),
        SlotSet("topic", "medical billing and coding"),
        SlotSet("delivery", "online"),
    ]


async def test_recommend_does_not_repeat_what_is_already_remembered(dispatcher, domain):
    tracker = conversation("recommend_online_billing", slots={"topic": "medical billing and coding"})

    events = await ActionRecommendCourses().run(dispatcher, tracker, domain)

    assert events == [SlotSet("courses_shown", ["MA-201"]), SlotSet("delivery", "online")]


async def test_recommend_asks_a_clarifying_question_when_the_request_is_vague(dispatcher, domain):
    tracker = conversation("recommend_online_billing", "recommend me a course", entities=[])

    events = await ActionRecommendCourses().run(dispatcher, tracker, domain)

    assert events == []
    assert texts(dispatcher) == ["Happy to help you find a course. Which area are you interested in?"]
    assert len(dispatcher.messages[0]["buttons"]) == 5


async def test_recommend_uses_the_remembered_topic_for_a_vague_follow_up(dispatcher, domain):
    tracker = conversation(
        "recommend_online_billing", "recommend me a course", entities=[], slots={"topic": "leadership"}
    )

    events = await ActionRecommendCourses().run(dispatcher, tracker, domain)

    assert texts(dispatcher)[0] == "Here are the best matches for leadership:"
    assert events == [SlotSet("courses_shown", ["HM-103", "HM-108", "HM-109"])]  # nothing new to remember


async def test_recommend_says_honestly_when_nothing_matches_and_offers_the_nearest(dispatcher, domain):
    tracker = conversation(
        "recommend_online_billing",
        "leadership courses in Lisbon in March",
        entities=[entity("topic", "leadership"), entity("location", "Lisbon")],
    )

    events = await ActionRecommendCourses().run(dispatcher, tracker, domain)

    assert texts(dispatcher) == [
        "I have leadership courses in Lisbon, but none starting in March. The closest dates:",
        "Strategic Planning for Health Services (HM-104): Set a multi-year direction for a health service, link it "
        "to resources and track whether it is working. Next: 14 June 2027, Lisbon, Portugal, £4,950 (sample date "
        "and fee).",
        "If none of these suits you, admissions can answer questions about dates and formats.",
    ]
    assert events == [
        SlotSet("courses_shown", ["HM-104"]),
        SlotSet("topic", "leadership"),
        SlotSet("location", "Lisbon"),
    ]


async def test_courses_in_a_city_the_catalogue_does_not_list(dispatcher, domain):
    tracker = conversation("recommend_online_billing", "courses in Tokyo", entities=[])

    events = await ActionRecommendCourses().run(dispatcher, tracker, domain)

    (text,) = texts(dispatcher)
    assert text.startswith("I have no courses in Tokyo. Our courses run in London, Manchester, ")
    assert text.endswith("and online. We can also train a team in-house, at your own site.")
    assert "best match" not in text
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == [
        "Online courses",
        "Training at your site",
        "Make an enquiry",
    ]
    assert events == [SlotSet("courses_shown", []), SlotSet("location", "Tokyo")]


async def test_a_new_city_replaces_the_last_search_city(dispatcher, domain):
    # "leadership courses in London", then "and in Tokyo?": London must not come back
    tracker = conversation(
        "recommend_online_billing",
        "and in Tokyo?",
        entities=[],
        slots={"topic": "leadership", "location": "London", "courses_shown": ["HM-103"]},
    )

    events = await ActionRecommendCourses().run(dispatcher, tracker, domain)

    assert texts(dispatcher)[0].startswith("I have no leadership courses in Tokyo. Leadership courses run in London")
    assert texts(dispatcher)[1].startswith("Leadership in Healthcare Organisations (HM-103)")
    assert SlotSet("location", "Tokyo") in events
    assert not any(event.get("name") == "topic" for event in events)  # still leadership


async def test_a_new_search_clears_the_filters_it_does_not_name(dispatcher, domain):
    tracker = conversation(
        "recommend_online_billing",
        "leadership courses",
        entities=[entity("topic", "leadership")],
        slots={"location": "London", "delivery": "online", "field": "healthcare management"},
    )

    events = await ActionRecommendCourses().run(dispatcher, tracker, domain)

    assert texts(dispatcher)[0] == "Here are the best matches for leadership:"
    assert events == [
        SlotSet("courses_shown", ["HM-103", "HM-109", "IH-301"]),
        SlotSet("topic", "leadership"),
        SlotSet("location", None),
        SlotSet("delivery", None),
    ]  # the field is conversation context: kept


async def test_a_subject_the_academy_does_not_teach(dispatcher, domain):
    tracker = conversation("recommend_online_billing", "nursing courses in London", entities=[])

    events = await ActionRecommendCourses().run(dispatcher, tracker, domain)

    assert texts(dispatcher) == [
        "I have no courses on nursing. The British Academy's courses are in healthcare management and medical "
        "administration. Would one of those help, or would you like to ask admissions?"
    ]
    assert events == [SlotSet("courses_shown", [])]


async def test_course_details_mark_sample_dates_and_fees(dispatcher, domain):
    tracker = conversation("courses_shown_billing", "/ask_course_details", entities=[entity("course", "MA-204")])

    await ActionCourseDetails().run(dispatcher, tracker, domain)

    assert texts(dispatcher)[0].endswith(
        "\nDates and fees are sample data for now; admissions can confirm the real ones."
    )


async def test_course_details_by_code_entity(dispatcher, domain):
    tracker = conversation(
        "courses_shown_billing",
        "/ask_course_details",
        entities=[entity("course", "MA-204")],
        slots={"courses_of_interest": ["HM-101"]},
    )

    events = await ActionCourseDetails().run(dispatcher, tracker, domain)

    (text,) = texts(dispatcher)
    assert text.startswith("Scheduling and Patient Flow (MA-204), medical administration, intermediate level, 3 days.")
    assert "\nUpcoming: 3 February 2027, London, United Kingdom, £2,950; " in text
    assert events == [SlotSet("last_course", "MA-204"), SlotSet("courses_of_interest", ["HM-101", "MA-204"])]


async def test_course_details_by_the_words_of_the_visitor(dispatcher, domain):
    events = await ActionCourseDetails().run(dispatcher, conversation("courses_shown_billing"), domain)

    # "tell me about the billing course", after a list of billing courses
    assert texts(dispatcher)[0].startswith("Medical Billing and Coding (MA-201), medical administration")
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == [
        "Enquire about this",
        "Similar courses",
        "Talk to admissions",
    ]
    assert events == [SlotSet("last_course", "MA-201"), SlotSet("courses_of_interest", ["MA-201"])]


async def test_course_details_by_title(dispatcher, domain):
    tracker = conversation("courses_shown_billing", "what about patient record management?")

    events = await ActionCourseDetails().run(dispatcher, tracker, domain)

    assert events[0] == SlotSet("last_course", "MA-202")


async def test_course_details_of_that_one_is_the_last_course(dispatcher, domain):
    tracker = conversation("courses_shown_billing", "tell me more about that one", slots={"last_course": "MA-208"})

    events = await ActionCourseDetails().run(dispatcher, tracker, domain)

    assert texts(dispatcher)[0].endswith("No upcoming dates are listed; admissions can answer questions about it.")
    assert events[0] == SlotSet("last_course", "MA-208")


async def test_course_details_of_that_one_is_the_only_course_shown(dispatcher, domain):
    tracker = conversation("courses_shown_billing", "that one", slots={"courses_shown": ["MA-202"]})

    events = await ActionCourseDetails().run(dispatcher, tracker, domain)

    assert events[0] == SlotSet("last_course", "MA-202")


async def test_course_details_of_that_one_among_several_is_unclear(dispatcher, domain):
    events = await ActionCourseDetails().run(dispatcher, conversation("courses_shown_billing", "that one"), domain)

    assert events == []
    assert texts(dispatcher)[0].startswith('I couldn\'t tell which course you mean "that one".')


async def test_course_details_of_an_unknown_course(dispatcher, domain):
    tracker = conversation("courses_shown_billing", "the astronaut course")

    events = await ActionCourseDetails().run(dispatcher, tracker, domain)

    assert events == []
    assert texts(dispatcher) == [
        'I couldn\'t tell which course you mean "the astronaut course". You can give its code (like MA-201) or its '
        "name, or I can suggest some."
    ]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/recommend_course", "/request_human"]


async def test_course_details_of_a_topic_with_several_courses_prefers_one_shown(dispatcher, domain):
    # "leadership" fits HM-103, HM-109 and IH-301 equally well; only HM-109 was shown
    tracker = conversation("courses_shown_billing", "the leadership one", slots={"courses_shown": ["HM-109", "MA-201"]})

    events = await ActionCourseDetails().run(dispatcher, tracker, domain)

    assert events[0] == SlotSet("last_course", "HM-109")


async def test_course_details_of_an_ambiguous_topic_is_not_guessed(dispatcher, domain):
    # a topic was named, so the last course discussed is not a fallback
    tracker = conversation(
        "courses_shown_billing", "the leadership one", slots={"courses_shown": [], "last_course": "MA-201"}
    )

    events = await ActionCourseDetails().run(dispatcher, tracker, domain)

    assert events == []
    assert texts(dispatcher)[0].startswith('I couldn\'t tell which course you mean "the leadership one".')
