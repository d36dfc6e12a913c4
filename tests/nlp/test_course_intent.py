"""bot.nlp.course_intent: a place makes a course search, "it" makes a question about the course in focus."""

from __future__ import annotations

import pytest

from bot.courses.loading import load_catalogue
from bot.nlp.course_intent import DEFAULT_CATALOGUE, CourseIntentRules, asks_about_one_course, reads_as_course_search
from tests.nlp.readings import assert_decided, parsed


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(DEFAULT_CATALOGUE)


@pytest.fixture(scope="module")
def rules(catalogue):
    return CourseIntentRules({}, catalogue)


@pytest.mark.parametrize(
    "text",
    [
        "anything running in Singapore next spring?",
        "do you have training in kuala lumpur",
        "courses near Abu Dhabi please",
        "any sessions in Madrid?",
    ],
)
def test_a_place_without_a_subject_is_a_course_search(catalogue, text):
    assert reads_as_course_search(text, catalogue)


@pytest.mark.parametrize(
    "text",
    [
        "do you teach dentistry in London?",
        "any physiotherapy courses in Dubai",
        "do you offer courses on cyber security",
        "what other subjects do you cover",
    ],
)
def test_a_subject_the_academy_does_not_teach_stays_other_topics(catalogue, text):
    assert not reads_as_course_search(text, catalogue)


def test_a_subject_the_academy_teaches_is_a_course_search(catalogue):
    topic = [{"entity": "topic", "value": "medical billing and coding"}]

    assert reads_as_course_search("anything on medical billing?", catalogue, topic)
    assert not reads_as_course_search("anything on medical billing?", catalogue)  # the extractor decides


@pytest.mark.parametrize(
    "text",
    [
        "where is it held?",
        "how much does that one cost",
        "when does this course start",
        "how long is it",
        "tell me about the second one",
        "can I do it online?",
        "could my team take that course in-house",
        "is this one available part-time?",
    ],
)
def test_questions_about_one_course(text):
    assert asks_about_one_course(text)


@pytest.mark.parametrize(
    "text",
    [
        "is it worth doing a course at all?",
        "where are your courses held",
        "does it matter which one I call it",
        "how much do courses usually cost",
        "what about the other one",
        "can I study healthcare management online",
        "is it worth doing online?",
        "can I go through the materials when it suits me",
        "where it all started, the academy I mean",
    ],
)
def test_general_questions_stay_general(text):
    assert not asks_about_one_course(text)


def test_other_topics_with_a_place_becomes_a_course_search_with_no_rival(rules):
    [message] = rules.process([parsed("any courses in Singapore?", "faq_other_topics", "recommend_course")])

    assert_decided(message, "recommend_course")


def test_other_topics_naming_a_catalogue_topic_becomes_a_course_search(rules):
    message = parsed(
        "got anything about medical coding",
        "faq_other_topics",
        "recommend_course",
        [{"entity": "topic", "value": "medical billing and coding"}],
    )

    rules.process([message])

    assert message.get("intent")["name"] == "recommend_course"


def test_a_general_faq_about_it_becomes_the_course_in_focus(rules):
    [message] = rules.process([parsed("where is it held?", "faq_academy_locations", "ask_course_details")])

    assert message.get("intent")["name"] == "ask_course_details"


@pytest.mark.parametrize("text", ["can we take that course remotely?", "how long does the second one run?"])
def test_a_search_reading_of_a_question_about_one_course_becomes_that_course(rules, text):
    [message] = rules.process([parsed(text, "recommend_course", "ask_course_details")])

    assert_decided(message, "ask_course_details")


@pytest.mark.parametrize("text", ["more courses like that one please", "show me others, not the first one"])
def test_a_search_that_only_points_at_a_course_stays_a_search(rules, text):
    [message] = rules.process([parsed(text, "recommend_course", "ask_course_details")])

    assert message.get("intent") == {"name": "recommend_course", "confidence": 0.6}


BILLING = [{"entity": "topic", "value": "medical billing and coding"}]


@pytest.mark.parametrize("text", ["do you run any classes in medical billing", "is there a course on billing?"])
def test_a_details_reading_that_asks_which_courses_exist_is_a_search(rules, text):
    [message] = rules.process([parsed(text, "ask_course_details", "recommend_course", BILLING)])

    assert_decided(message, "recommend_course")


@pytest.mark.parametrize(
    "text",
    [
        "is there a discount on the billing course?",
        "are there places left on that billing course",
        "any dates for MA-204 in billing?",
    ],
)
def test_a_details_reading_about_one_course_stays_with_it(rules, text):
    [message] = rules.process([parsed(text, "ask_course_details", "recommend_course", BILLING)])

    assert message.get("intent")["name"] == "ask_course_details"


def test_a_course_details_reading_about_it_keeps_no_close_rival(rules):
    [message] = rules.process([parsed("can I do it online?", "ask_course_details", "faq_self_paced")])

    assert_decided(message, "ask_course_details")


def test_a_question_naming_a_course_code_is_about_that_course(rules):
    duties = parsed("what does HM-101 involve day to day?", "ask_responsibilities", "ask_course_details")
    close = parsed("what is MA-204 like", "ask_course_details", "ask_responsibilities")
    more = parsed("tell me more about ma 204", "tell_me_more", "ask_course_details")
    unknown = parsed("what does ZZ-999 involve?", "ask_responsibilities", "ask_course_details")
    enquiry = parsed("I'd like to enquire about HM-101", "enquire", "ask_course_details")

    rules.process([duties, close, more, unknown, enquiry])

    assert duties.get("intent")["name"] == "ask_course_details"
    assert_decided(close, "ask_course_details")
    assert more.get("intent")["name"] == "ask_course_details"
    assert unknown.get("intent")["name"] == "ask_responsibilities"
    assert enquiry.get("intent")["name"] == "enquire"


def test_training_in_a_catalogue_topic_becomes_a_course_search(rules):
    topic = parsed(
        "leadership training?", "ask_training", "recommend_course", [{"entity": "topic", "value": "leadership"}]
    )
    field = parsed(
        "does the medical admin training teach billing?",
        "ask_training",
        "recommend_course",
        [{"entity": "field", "value": "medical administration"}, {"entity": "topic", "value": "x"}],
    )

    rules.process([topic, field])

    assert topic.get("intent")["name"] == "recommend_course"
    assert field.get("intent") == {"name": "ask_training", "confidence": 0.6}


@pytest.mark.parametrize(
    ("text", "read_as"),
    [
        ("I'd like to train in medical billing", "faq_why_training"),
        ("anything on patient scheduling?", "out_of_scope_appointment"),
        ("are there classes about patient records", "recommend_course"),
    ],
)
def test_course_words_and_a_catalogue_topic_are_a_course_search(rules, text, read_as):
    message = parsed(text, read_as, "recommend_course", [{"entity": "topic", "value": "x"}])

    rules.process([message])

    assert_decided(message, "recommend_course")


def test_a_topic_without_course_words_or_with_a_field_is_left_alone(rules):
    booking = parsed(
        "I need to book a scheduling appointment",
        "out_of_scope_appointment",
        "recommend_course",
        [{"entity": "topic", "value": "x"}],
    )
    skills = parsed(
        "is leadership training useful for healthcare managers",
        "faq_why_training",
        "ask_skills",
        [{"entity": "topic", "value": "x"}, {"entity": "field", "value": "healthcare management"}],
    )

    rules.process([booking, skills])

    assert booking.get("intent")["name"] == "out_of_scope_appointment"
    assert skills.get("intent")["name"] == "faq_why_training"


@pytest.mark.parametrize(
    ("text", "read_as"),
    [
        ("do you hold any classes in Tokyo?", "recommend_course"),
        ("do you have a centre in Osaka", "recommend_course"),
        ("do you have a centre in Manchester", "faq_academy_locations"),
        ("is London the only city you train in?", "faq_academy_locations"),
        ("do you teach in Europe?", "faq_academy_locations"),
        ("are your courses only in the UK", "faq_academy_locations"),
        ("where are you based?", "faq_academy_locations"),
    ],
)
def test_a_places_question_naming_an_unlisted_place_is_a_course_search(rules, text, read_as):
    [message] = rules.process([parsed(text, "faq_academy_locations", "recommend_course")])

    assert message.get("intent")["name"] == read_as


def test_other_readings_and_button_payloads_are_left_alone(rules):
    kept = parsed("what does the course cover", "ask_course_details", "ask_training")
    payload = parsed('/faq_other_topics{"location": "Paris"}', "faq_other_topics", "recommend_course")
    general = parsed("where are your courses held", "faq_academy_locations", "ask_course_details")

    rules.process([kept, payload, general])

    assert kept.get("intent")["confidence"] == 0.6
    assert payload.get("intent")["name"] == "faq_other_topics"
    assert general.get("intent")["name"] == "faq_academy_locations"


def test_a_broken_catalogue_path_fails_at_start_with_the_path(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema

    from bot.courses.loading import CatalogueError

    missing = tmp_path / "nowhere.yml"
    with pytest.raises(CatalogueError, match="nowhere.yml"):
        CourseIntentRules.create({"catalogue": str(missing)}, None, None, ExecutionContext(GraphSchema({}), "rules"))
