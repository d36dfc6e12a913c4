"""Scoring the NLU hold-out: the figures `make eval` prints."""

import pytest

from bot.nlp.evaluation import Prediction, format_report, predicted_intent, score


def predictions():
    return [
        Prediction("hi", "greet", "greet", 0.9),
        Prediction("heya", "greet", "greet", 0.8),
        Prediction("cya", "goodbye", "greet", 0.6),
        Prediction("laters", "goodbye", "goodbye", 0.7),
    ]


def test_score_gives_accuracy_and_macro_f1():
    report = score(predictions())
    assert report.total == 4
    assert report.accuracy == pytest.approx(3 / 4)
    # greet: precision 2/3, recall 1 -> 0.8; goodbye: precision 1, recall 1/2 -> 2/3
    assert report.macro_f1 == pytest.approx((0.8 + 2 / 3) / 2)
    assert report.confusions == [("goodbye", "greet", 1)]


def test_report_prints_example_count_accuracy_macro_f1_and_misses():
    text = format_report(score(predictions()))
    assert "examples:        4" in text
    assert "intent accuracy: 0.750" in text
    assert "macro F1:        0.733" in text
    assert "[goodbye -> greet 0.60] cya" in text


def test_the_prediction_is_the_top_intent():
    assert predicted_intent({"intent": {"name": "faq_same_thing", "confidence": 0.9}}) == "faq_same_thing"
    assert predicted_intent({"intent": None, "text": ""}) == ""


def test_nothing_to_score_is_an_error():
    with pytest.raises(ValueError):
        score([])
