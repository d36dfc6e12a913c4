"""The conversation context: which field and topic a follow-up is about."""

from __future__ import annotations

import pytest

from bot.dialogue.context import (
    BOTH,
    COURSE_DETAILS,
    COURSES,
    RECOMMEND_COURSES,
    Context,
    answer_choice,
    answer_field_follow_up,
    answer_tell_me_more,
    answer_topic_question,
    answer_topic_questions,
    answers_for_unclear,
    last_bot_turn,
    other_field,
    topics_asked,
)

HM, MA = "healthcare management", "medical administration"


def field(value: str, kind: str = "field") -> dict:
    return {"entity": kind, "value": value}


def test_a_named_field_is_answered_and_becomes_the_context():
    answer = answer_topic_question("ask_qualifications", [field(HM)], Context())

    assert answer.response == "utter_qualifications_hm"
    assert answer.context == Context(HM, "qualifications")
    assert answer.interest == HM


def test_a_topic_question_without_a_field_keeps_the_field_in_context():
    answer = answer_topic_question("ask_careers", [], Context(MA, "overview"))

    assert answer.response == "utter_careers_ma"
    assert answer.context == Context(MA, "careers")


def test_a_topic_question_after_a_comparison_covers_both_fields():
    answer = answer_topic_question("ask_workplaces", [], Context(BOTH, "difference"))

    assert answer.response == "utter_workplaces_both"
    assert answer.interest is None


def test_a_topic_question_with_no_context_covers_both_fields():
    assert answer_topic_question("ask_skills", [], Context()).response == "utter_skills_both"


def test_a_role_names_its_field():
    answer = answer_topic_question("ask_skills", [field("practice manager", "role")], Context(HM, "careers"))

    assert answer.response == "utter_skills_ma"


def test_a_qualification_question_names_the_qualification():
    answer = answer_topic_question("ask_qualifications", [field("CMOM", "qualification")], Context(HM, "skills"))

    assert answer.response == "utter_qualification_cmom"
    assert answer.context.field == MA


def test_a_non_topic_intent_is_not_answered_here():
    assert answer_topic_question("greet", [], Context()) is None


def test_naming_the_other_field_answers_the_same_topic_for_it():
    answer = answer_field_follow_up([field(MA)], Context(HM, "qualifications"))

    assert answer.response == "utter_qualifications_ma"
    assert answer.context == Context(MA, "qualifications")


def test_the_other_one_swaps_the_field():
    answer = answer_field_follow_up([], Context(MA, "skills"))

    assert answer.response == "utter_skills_hm"


def test_the_other_one_without_a_field_in_context_asks_which():
    answer = answer_field_follow_up([], Context(BOTH, "difference"))

    assert answer.response == "utter_which_field"
    assert answer.context == Context(BOTH, "difference")


def test_a_field_after_a_comparison_gets_its_overview():
    assert answer_field_follow_up([field(HM)], Context(BOTH, "difference")).response == "utter_overview_hm"


def test_a_field_after_a_course_list_searches_again_for_it():
    answer = answer_field_follow_up([field(MA)], Context(HM, COURSES, interest=HM))

    assert answer.action == RECOMMEND_COURSES
    assert answer.interest == MA


def test_the_other_one_after_a_course_list_uses_the_searched_field():
    answer = answer_field_follow_up([], Context(BOTH, COURSES, interest=HM), text="and the other field?")

    assert answer.action == RECOMMEND_COURSES
    assert answer.interest == MA


def test_a_follow_up_after_a_course_list_that_names_no_field():
    courses = Context(HM, COURSES, interest=HM)

    assert answer_field_follow_up([], courses, about_a_course=True, text="and the fee?").action == COURSE_DETAILS
    changed_search = answer_field_follow_up([], courses, text="and in Tokyo?")
    assert changed_search.action == RECOMMEND_COURSES and changed_search.interest is None


@pytest.mark.parametrize(
    ("entities", "context", "text", "response"),
    [
        (
            [],
            Context(BOTH, "difference"),
            "and in what sort of places would each of them work?",
            "utter_workplaces_both",
        ),
        ([field(MA)], Context(), "medical administration, what does that cover?", "utter_overview_ma"),
        ([field(MA)], Context(HM, "skills"), "hmm medical admin?", "utter_skills_ma"),
        (
            [field(MA)],
            Context(),
            "is patient record keeping part of the medical admin job",
            "utter_responsibilities_ma",
        ),
    ],
)
def test_an_unclear_message_is_read_in_context(entities, context, text, response):
    assert [answer.response for answer in answers_for_unclear(entities, context, text)] == [response]


def test_an_unclear_message_asking_two_things_gets_both_answers_in_order():
    answers = answers_for_unclear([], Context(MA, "overview"), "what qualifications help, and which jobs are there?")

    assert [answer.response for answer in answers] == ["utter_qualifications_ma", "utter_careers_ma"]


def test_an_unclear_message_naming_nothing_is_not_guessed():
    assert answers_for_unclear([], Context(HM, "skills"), "xqzv blorp wug") == []
    assert answers_for_unclear([], Context(), "what do patients think") == []


@pytest.mark.parametrize(
    ("context", "response"),
    [
        (Context(HM, "overview"), "utter_responsibilities_hm"),
        (Context(MA, "careers"), "utter_workplaces_ma"),
        (Context(BOTH, "difference"), "utter_responsibilities_both"),
        (Context(), "utter_overview_both"),
        (Context(HM, "training"), "utter_no_more_on_topic"),
    ],
)
def test_tell_me_more_moves_to_the_next_topic(context, response):
    assert answer_tell_me_more(context).response == response


def test_tell_me_more_after_courses_gives_the_course_details():
    assert answer_tell_me_more(Context(HM, COURSES)).action == COURSE_DETAILS


@pytest.mark.parametrize("text", ["and in Dubai?", "is there one in New York?", "what about Berlin?", "any near Lyon"])
def test_a_place_alone_after_a_course_list_moves_the_search(text):
    after_courses = Context(HM, COURSES)

    assert answer_tell_me_more(after_courses, text).action == RECOMMEND_COURSES
    assert [answer.action for answer in answers_for_unclear([], after_courses, text)] == [RECOMMEND_COURSES]


@pytest.mark.parametrize("text", ["what about the fee?", "what about the second one", "where is it held?"])
def test_other_follow_ups_after_a_course_list_stay_about_the_course(text):
    assert answer_tell_me_more(Context(HM, COURSES), text).action == COURSE_DETAILS


def test_an_unclear_question_about_a_course_fact_is_about_the_course_in_focus():
    answers = answers_for_unclear([], Context(MA, COURSES), "and how much?", about_a_course=True)

    assert [answer.action for answer in answers] == [COURSE_DETAILS]


def test_a_course_fact_with_no_course_in_focus_is_still_unclear():
    assert answers_for_unclear([], Context(MA, "skills"), "and how much?", about_a_course=True) == []


def test_a_place_alone_with_no_course_list_is_not_a_search():
    assert answers_for_unclear([], Context(HM, "skills"), "and in Dubai?") == []


def test_other_field():
    assert other_field(HM) == MA and other_field(MA) == HM and other_field(BOTH) is None


def test_last_bot_turn_is_what_was_said_before_the_latest_message():
    events = [
        {"event": "user", "text": "hi"},
        {"event": "bot", "text": "Hello!", "data": {"buttons": [{"title": "A", "payload": "/a"}]}},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "what skills?"},
        {"event": "bot", "text": "Leadership.", "data": {}},
        {"event": "bot", "text": "Anything else?", "data": {}},
        {"event": "user", "text": "can you repeat that?"},
    ]

    assert last_bot_turn(events) == [{"text": "Leadership."}, {"text": "Anything else?"}]


def test_last_bot_turn_keeps_buttons():
    events = [
        {"event": "user", "text": "hi"},
        {"event": "bot", "text": "Hello!", "data": {"buttons": [{"title": "A", "payload": "/a"}]}},
        {"event": "user", "text": "pardon?"},
    ]

    assert last_bot_turn(events) == [{"text": "Hello!", "buttons": [{"title": "A", "payload": "/a"}]}]


def test_nothing_to_repeat_in_a_first_message():
    assert last_bot_turn([{"event": "user", "text": "repeat that"}]) == []


@pytest.mark.parametrize(
    ("intent", "text", "topics"),
    [
        ("ask_skills", "What skills do healthcare managers need and where do they work?", ["skills", "workplaces"]),
        ("ask_workplaces", "What skills do healthcare managers need and where do they work?", ["skills", "workplaces"]),
        ("ask_careers", "which jobs are there in med admin? what qualifications help?", ["careers", "qualifications"]),
        ("ask_skills", "what skills do managers need to work with patients", ["skills"]),
        ("ask_careers", "what jobs are there? and what do they earn", ["careers"]),
        # patients named only through their records: duties, not patient contact
        ("ask_patient_interaction", "do med admins look after patient files?", ["responsibilities"]),
        ("ask_patient_interaction", "do they talk to patients or just update patient notes", ["patient_interaction"]),
    ],
)
def test_topics_asked_in_one_message(intent, text, topics):
    assert topics_asked(intent, text) == topics


def test_each_part_of_a_question_is_answered_for_the_same_field():
    answers = answer_topic_questions(
        "ask_skills", [field(HM)], Context(), "what skills do healthcare managers need, and where do they work?"
    )

    assert [a.response for a in answers] == ["utter_skills_hm", "utter_workplaces_hm"]
    assert answers[-1].context == Context(HM, "workplaces")


def test_a_question_about_what_courses_cover_a_topic_is_a_course_search():
    answer = answer_topic_question(
        "ask_training", [{"entity": "topic", "value": "medical billing and coding"}], Context()
    )

    assert answer.action == RECOMMEND_COURSES


def test_a_topic_question_about_the_other_field():
    answer = answer_topic_question(
        "ask_skills", [], Context(MA, "qualifications"), "and what does the other path need?"
    )

    assert answer.response == "utter_skills_hm"


@pytest.mark.parametrize(
    ("entities", "in_focus"),
    [([field(MA)], MA), ([field(HM), field(MA)], BOTH), ([], BOTH), ([field(HM), field(HM)], HM)],
)
def test_a_choice_keeps_the_one_field_named_in_focus(entities, in_focus):
    answer = answer_choice(entities)

    assert answer.response == "utter_choose"
    assert answer.context == Context(in_focus, "choose")
    assert answer.interest == (None if in_focus == BOTH else in_focus)
