"""Scores intent predictions against a labelled NLU set.

Every question has a plain intent (``faq_academy_about``, no retrieval
sub-intents), so the intent name is the whole prediction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Prediction:
    text: str
    expected: str
    predicted: str
    confidence: float


@dataclass(frozen=True)
class Report:
    total: int
    accuracy: float
    macro_f1: float
    per_intent_f1: dict[str, float]
    confusions: list[tuple[str, str, int]]  # (expected, predicted, count), most frequent first
    errors: list[Prediction]


def predicted_intent(parse: dict) -> str:
    """The intent name Rasa's parse result ranks first ("" when it has none)."""
    return (parse.get("intent") or {}).get("name") or ""


def score(predictions: list[Prediction]) -> Report:
    if not predictions:
        raise ValueError("no predictions to score")
    labels = sorted({p.expected for p in predictions})
    correct = sum(p.expected == p.predicted for p in predictions)
    per_intent = {}
    for label in labels:
        tp = sum(p.expected == label and p.predicted == label for p in predictions)
        fp = sum(p.expected != label and p.predicted == label for p in predictions)
        fn = sum(p.expected == label and p.predicted != label for p in predictions)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        per_intent[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    confusions = Counter((p.expected, p.predicted) for p in predictions if p.expected != p.predicted)
    return Report(
        total=len(predictions),
        accuracy=correct / len(predictions),
        macro_f1=sum(per_intent.values()) / len(per_intent),
        per_intent_f1=per_intent,
        confusions=[(e, g, n) for (e, g), n in confusions.most_common()],
        errors=[p for p in predictions if p.expected != p.predicted],
    )


def format_report(report: Report) -> str:
    lines = [
        f"examples:        {report.total}",
        f"intent accuracy: {report.accuracy:.3f}",
        f"macro F1:        {report.macro_f1:.3f}",
        "",
        "F1 per intent:",
    ]
    lines += [f"  {f1:.2f}  {label}" for label, f1 in sorted(report.per_intent_f1.items(), key=lambda x: x[1])]
    lines += ["", "confusions (expected -> predicted, count):"]
    lines += [f"  {n:>3}  {e} -> {g}" for e, g, n in report.confusions] or ["  none"]
    lines += ["", "misclassified examples:"]
    lines += [f"  [{p.expected} -> {p.predicted} {p.confidence:.2f}] {p.text}" for p in report.errors] or ["  none"]
    return "\n".join(lines)
