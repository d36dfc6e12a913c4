"""Guided advice: three short questions that point a visitor to a field.

The reasons come from the academy's own description of the two fields:
strategy, policy and the long view lead to healthcare management; smooth
daily operations and close patient contact to medical administration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.dialogue.knowledge import HEALTHCARE_MANAGEMENT, MEDICAL_ADMINISTRATION

# Each question: slot name -> option -> words a visitor may use for it.
OPTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "advice_focus": {
        "strategy": ("strategy", "strategic", "policy", "policies", "big picture", "long term", "long-term",
                     "planning", "direction", "leading", "leadership", "shaping"),
        "operations": ("operations", "operational", "day to day", "day-to-day", "daily", "organising",
                       "organizing", "running smoothly", "smooth", "practical", "admin", "hands on", "hands-on"),
        "both": ("both", "bit of both", "mix", "either", "not sure", "don't know", "dont know", "unsure"),
    },
    "advice_contact": {
        "plenty": ("plenty", "lots", "a lot", "lot of", "much", "daily contact", "every day", "love", "enjoy",
                   "face to face", "a great deal", "high"),
        "some": ("some", "a bit", "bit of", "moderate", "occasional", "occasionally", "medium", "sometimes"),
        "little": ("little", "none", "no contact", "not much", "minimal", "rarely", "behind the scenes",
                   "low", "prefer not", "rather not"),
    },
    "advice_background": {
        "clinical": ("clinical", "nurse", "nursing", "doctor", "physio", "paramedic", "midwife", "pharmacist",
                     "healthcare assistant", "carer", "allied health"),
        "administrative": ("admin", "administrative", "administration", "reception", "receptionist", "secretary",
                           "office", "clerical", "front desk", "scheduling", "billing"),
        "business": ("business", "finance", "financial", "accounting", "management", "manager", "hr",
                     "human resources", "consulting", "public health", "mba"),
        "new": ("new", "none", "student", "graduate", "school", "career change", "changing career",
                "no experience", "just starting", "starting out", "other"),
    },
}  # fmt: skip

QUESTIONS = tuple(OPTIONS)


def _contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text) is not None


def parse_option(slot: str, text: str | None) -> str | None:
    """The option a free-text (or button) answer picks, or None if unclear.

    Longer phrases win over shorter ones ("not much" is "little", not "much").
    """
    if not text or slot not in OPTIONS:
        return None
    lowered = " ".join(text.lower().replace("’", "'").split())
    if lowered in OPTIONS[slot]:
        return lowered
    best: tuple[int, str | None] = (0, None)
    ambiguous = False
    for option, phrases in OPTIONS[slot].items():
        longest = max((len(p) for p in phrases if _contains(lowered, p)), default=0)
        if longest > best[0]:
            best, ambiguous = (longest, option), False
        elif longest and longest == best[0] and option != best[1]:
            ambiguous = True
    return None if ambiguous else best[1]


@dataclass(frozen=True)
class Advice:
    field: str | None  # None when the answers point both ways
    reasons: tuple[str, ...]


_REASONS = {
    ("advice_focus", "strategy"): (HEALTHCARE_MANAGEMENT, "you're drawn to strategy and policy, which is where "
                                   "healthcare managers spend their time: shaping direction, budgets and standards"),
    ("advice_focus", "operations"): (MEDICAL_ADMINISTRATION, "you like keeping the everyday running smoothly, the "
                                     "heart of medical administration: scheduling, billing and records"),
    ("advice_contact", "plenty"): (MEDICAL_ADMINISTRATION, "you want regular contact with patients, and medical "
                                   "administrators deal with them directly over appointments, billing and questions"),
    ("advice_contact", "little"): (HEALTHCARE_MANAGEMENT, "you'd rather work behind the scenes; healthcare managers "
                                   "may not deal with patients directly, though their decisions shape patient care"),
    ("advice_background", "business"): (HEALTHCARE_MANAGEMENT, "a business or public health background is a common "
                                        "route into healthcare management"),
    ("advice_background", "administrative"): (MEDICAL_ADMINISTRATION, "your admin experience fits medical "
                                              "administration, where organisation and data management are key skills"),
}  # fmt: skip


def recommend_field(answers: dict[str, str | None]) -> Advice:
    """Weigh the answers; focus counts double, as it is the core difference."""
    scores = {HEALTHCARE_MANAGEMENT: 0, MEDICAL_ADMINISTRATION: 0}
    reasons: dict[str, list[str]] = {HEALTHCARE_MANAGEMENT: [], MEDICAL_ADMINISTRATION: []}
    for slot in QUESTIONS:
        reason = _REASONS.get((slot, answers.get(slot) or ""))
        if reason:
            field, because = reason
            scores[field] += 2 if slot == "advice_focus" else 1
            reasons[field].append(because)
    if scores[HEALTHCARE_MANAGEMENT] == scores[MEDICAL_ADMINISTRATION]:
        return Advice(None, tuple(reasons[HEALTHCARE_MANAGEMENT] + reasons[MEDICAL_ADMINISTRATION]))
    winner = max(scores, key=scores.get)
    return Advice(winner, tuple(reasons[winner]))


def advice_text(advice: Advice) -> str:
    if advice.field is None:
        return (
            "Your answers point both ways. If shaping strategy and policy excites you more, "
            "look at healthcare management; if you'd rather keep daily operations running smoothly with more "
            "patient contact, medical administration fits. Here is a starting course in each."
        )
    because = "; ".join(advice.reasons[:2])
    return f"From your answers, {advice.field} looks like the better fit: {because}. Courses to start with:"
