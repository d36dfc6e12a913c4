from bot.rasa_data_validation import unexpected_warnings

OUTPUT = """
/x/rasa/shared/utils/io.py:100: UserWarning: The utterance 'utter_skills_hm' is not used in any story or rule.
/x/rasa/shared/utils/io.py:100: UserWarning: The utterance 'utter_orphan' is not used in any story or rule.
/x/rasa/shared/utils/io.py:100: UserWarning: Intent 'greet' has only 1 training examples! Minimum is 2.
"""


def test_only_answers_chosen_in_code_may_look_unused():
    assert unexpected_warnings(OUTPUT, {"utter_skills_hm"}) == [
        "The utterance 'utter_orphan' is not used in any story or rule.",
        "Intent 'greet' has only 1 training examples! Minimum is 2.",
    ]


def test_clean_output_has_no_problems():
    assert unexpected_warnings("2026-11-26 INFO validator - Validating intents...", set()) == []


def test_duplicated_intents_are_a_problem():
    output = (
        "/x/io.py:100: UserWarning: The following duplicated intents have been found across multiple domain files: "
        "faq_salary\n"
    )
    assert unexpected_warnings(output, set()) == [
        "The following duplicated intents have been found across multiple domain files: faq_salary",
    ]
