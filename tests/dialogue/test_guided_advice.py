"""bot.dialogue.guided_advice: reading the three answers and weighing them into a field."""

from __future__ import annotations

import pytest

from bot.dialogue.guided_advice import Advice, advice_text, parse_option, recommend_field
from bot.dialogue.knowledge import HEALTHCARE_MANAGEMENT, MEDICAL_ADMINISTRATION


@pytest.mark.parametrize(
    ("slot", "text", "option"),
    [
        # the button payloads
        ("advice_focus", "strategy and policy", "strategy"),
        ("advice_focus", "smooth day-to-day operations", "operations"),
        ("advice_focus", "a bit of both", "both"),
        ("advice_contact", "plenty", "plenty"),
        ("advice_contact", "some", "some"),
        ("advice_contact", "little", "little"),
        ("advice_background", "clinical", "clinical"),
        ("advice_background", "admin", "administrative"),
        ("advice_background", "business", "business"),
        ("advice_background", "new to healthcare", "new"),
        # free text
        ("advice_focus", "Operations", "operations"),
        ("advice_focus", "I’m not sure", "both"),
        ("advice_focus", "I'd like to shape the big picture", "strategy"),
        ("advice_contact", "I love working with patients", "plenty"),
        ("advice_contact", "rather not, behind the scenes", "little"),
        ("advice_background", "I'm a nurse", "clinical"),
        ("advice_background", "I work on the front desk", "administrative"),
        ("advice_background", "just starting out", "new"),
    ],
)
def test_parse_option(slot, text, option):
    assert parse_option(slot, text) == option


@pytest.mark.parametrize(
    ("text", "option"),
    [
        ("not much", "little"),  # not "much" (plenty)
        ("some, but not much", "little"),
        ("a lot of contact", "plenty"),
    ],
)
def test_the_longest_phrase_wins(text, option):
    assert parse_option("advice_contact", text) == option


@pytest.mark.parametrize(
    ("slot", "text"),
    [
        ("advice_contact", "lots or some"),  # two options, equally long phrases
        ("advice_contact", "banana"),
        ("advice_focus", ""),
        ("advice_focus", None),
        ("advice_unknown", "strategy"),
    ],
)
def test_unclear_answers_pick_no_option(slot, text):
    assert parse_option(slot, text) is None


def test_answers_for_healthcare_management():
    advice = recommend_field({"advice_focus": "strategy", "advice_contact": "little", "advice_background": "business"})

    assert advice.field == HEALTHCARE_MANAGEMENT
    assert len(advice.reasons) == 3
    assert advice.reasons[0].startswith("you're drawn to strategy and policy")


def test_answers_for_medical_administration():
    advice = recommend_field(
        {"advice_focus": "operations", "advice_contact": "plenty", "advice_background": "administrative"}
    )

    assert advice.field == MEDICAL_ADMINISTRATION
    assert [r.split(",")[0] for r in advice.reasons] == [
        "you like keeping the everyday running smoothly",
        "you want regular contact with patients",
        "your admin experience fits medical administration",
    ]


def test_focus_counts_double():
    advice = recommend_field({"advice_focus": "strategy", "advice_contact": "plenty", "advice_background": "clinical"})

    assert advice.field == HEALTHCARE_MANAGEMENT
    assert len(advice.reasons) == 1


def test_a_tie_points_both_ways_with_every_reason():
    advice = recommend_field(
        {"advice_focus": "strategy", "advice_contact": "plenty", "advice_background": "administrative"}
    )

    assert advice.field is None
    assert len(advice.reasons) == 3
    assert advice.reasons[0].startswith("you're drawn to strategy")  # healthcare management's reasons first


def test_neutral_answers_give_no_field_and_no_reasons():
    assert recommend_field({"advice_focus": "both", "advice_contact": "some", "advice_background": "new"}) == Advice(
        None, ()
    )


def test_missing_answers_count_for_nothing():
    assert recommend_field({"advice_focus": None, "advice_contact": "little"}).field == HEALTHCARE_MANAGEMENT


def test_advice_text_gives_the_field_and_two_reasons():
    text = advice_text(Advice(MEDICAL_ADMINISTRATION, ("reason one", "reason two", "reason three")))

    assert text == (
        "From your answers, medical administration looks like the better fit: reason one; reason two. "
        "Courses to start with:"
    )


def test_advice_text_when_the_answers_point_both_ways():
    text = advice_text(Advice(None, ()))

    assert text.startswith("Your answers point both ways. If shaping strategy")
    assert text.endswith("Here is a starting course in each.")
