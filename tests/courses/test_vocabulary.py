"""The normaliser: word forms, place names."""

from __future__ import annotations

from bot.courses.vocabulary import normalise_place, normalise_words


def test_normaliser_joins_word_forms():
    assert normalise_words("Budgets") == normalise_words("budgeting") == normalise_words("budget")
    assert normalise_words("scheduling") == normalise_words("schedules")
    assert normalise_words("coding") == normalise_words("codes")
    assert normalise_words("organization") == normalise_words("organisations")
    assert normalise_words("policies") == normalise_words("policy")
    assert normalise_words("managers") == normalise_words("management")
    assert normalise_words("health care") == normalise_words("healthcare")
    assert normalise_words("a course about the staff") == normalise_words("staff")


def test_place_names_fold_case_accents_and_aliases():
    assert normalise_place("  MADRID ") == "madrid"
    assert normalise_place("Genève") == normalise_place("Geneva")
    assert normalise_place("UK") == "united kingdom"
    assert normalise_place("the Netherlands") == "netherlands"
