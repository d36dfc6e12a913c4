import pytest

from bot.dialogue.knowledge import (
    HEALTHCARE_MANAGEMENT,
    MEDICAL_ADMINISTRATION,
    all_answer_names,
    choose_answer,
    fields_named,
    qualifications_named,
)


def ent(kind: str, value: str) -> dict:
    return {"entity": kind, "value": value}


@pytest.mark.parametrize(
    ("entities", "expected"),
    [
        ([ent("field", "healthcare management")], [HEALTHCARE_MANAGEMENT]),
        ([ent("field", "Medical Administration")], [MEDICAL_ADMINISTRATION]),
        ([ent("role", "practice manager")], [MEDICAL_ADMINISTRATION]),
        ([ent("role", "chief operating officer")], [HEALTHCARE_MANAGEMENT]),
        ([ent("qualification", "CMOM")], [MEDICAL_ADMINISTRATION]),
        ([ent("qualification", "mha")], [HEALTHCARE_MANAGEMENT]),
        (
            [ent("field", "medical administration"), ent("role", "hospital administrator")],
            [MEDICAL_ADMINISTRATION, HEALTHCARE_MANAGEMENT],
        ),
        ([ent("field", "medical administration"), ent("field", "medical administration")], [MEDICAL_ADMINISTRATION]),
        ([ent("location", "London"), ent("field", "astrology")], []),
        ([{"entity": "field", "value": None}], []),
    ],
)
def test_fields_named(entities, expected):
    assert fields_named(entities) == expected


def test_field_in_message_wins_over_previous_message():
    answer = choose_answer("ask_skills", [ent("field", "healthcare management")], [MEDICAL_ADMINISTRATION])
    assert answer == "utter_skills_hm"


def test_previous_field_carries_over_to_follow_up():
    assert choose_answer("ask_careers", [], [MEDICAL_ADMINISTRATION]) == "utter_careers_ma"


def test_no_field_compares_both():
    assert choose_answer("ask_workplaces", [], []) == "utter_workplaces_both"


def test_two_fields_compare_both():
    entities = [ent("field", "healthcare management"), ent("field", "medical administration")]
    assert choose_answer("ask_patient_interaction", entities) == "utter_patient_interaction_both"


def test_named_qualification_is_explained():
    assert choose_answer("ask_qualifications", [ent("qualification", "cHAP")]) == "utter_qualification_chap"


def test_two_qualifications_fall_back_to_field_answer():
    entities = [ent("qualification", "MHA"), ent("qualification", "MBA")]
    assert choose_answer("ask_qualifications", entities) == "utter_qualifications_hm"


def test_qualification_named_in_other_topic_selects_field():
    assert choose_answer("ask_skills", [ent("qualification", "CMOM")]) == "utter_skills_ma"


def test_non_topic_intent_has_no_answer():
    assert choose_answer("greet", []) is None
    assert choose_answer("ask_difference", []) is None


def test_qualifications_named_ignores_unknown_values():
    assert qualifications_named([ent("qualification", "PhD"), ent("qualification", "cmom")]) == ["CMOM"]


def test_every_answer_name_is_unique():
    names = all_answer_names()
    assert len(names) == len(set(names)) == 8 * 3 + 4
