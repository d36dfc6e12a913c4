"""bot.nlp.pay_intent: a question about pay read as a field or choice topic is a salary question."""

from __future__ import annotations

import pytest

from bot.nlp.pay_intent import PayQuestionRule, asks_about_pay
from tests.nlp.readings import assert_decided, parsed


@pytest.mark.parametrize(
    "text",
    [
        "is healthcare management better paid than admin work?",
        "who gets paid more, managers or admins",
        "what's the typical wage for a medical secretary",
        "do practice managers earn much",
        "what sort of income can a hospital manager expect",
        "how much does a medical administrator make a year",
        "what's the money like in HM",
        "annual salaries for clinic managers?",
    ],
)
def test_questions_about_pay(text):
    assert asks_about_pay(text)


@pytest.mark.parametrize(
    "text",
    [
        "can I pay in three instalments?",
        "how much do I pay for the leadership course",
        "will I earn a certificate at the end",
        "can I earn CPD points with you",
        "how do practice managers earn their living, day to day?",
        "what skills do medical administrators need",
        "which field should I pick if I like patients",
        "how much does it cost",
    ],
)
def test_questions_not_about_pay(text):
    assert not asks_about_pay(text)


def test_a_choice_reading_about_pay_becomes_a_salary_question_with_no_rival():
    [message] = PayQuestionRule.create({}, None, None, None).process(
        [parsed("out of the two, which one is paid better?", "ask_choose", "faq_salary")]
    )

    assert_decided(message, "faq_salary")


@pytest.mark.parametrize("intent", ["faq_discounts", "ask_course_details", "recommend_course"])
def test_readings_about_courses_and_fees_stay_as_the_model_read_them(intent):
    [message] = PayQuestionRule.create({}, None, None, None).process(
        [parsed("do graduates of it earn more?", intent, "faq_salary")]
    )

    assert message.get("intent") == {"name": intent, "confidence": 0.6}


def test_button_payloads_are_left_alone():
    [message] = PayQuestionRule.create({}, None, None, None).process(
        [parsed("/ask_choose", "ask_choose", "faq_salary")]
    )

    assert message.get("intent") == {"name": "ask_choose", "confidence": 0.6}
