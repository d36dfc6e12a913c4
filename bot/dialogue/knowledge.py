"""Which answer fits a knowledge question.

Knowledge questions come as a topic intent (``ask_skills``) plus whatever
the visitor named: a field, a role that belongs to a field, or a
qualification. The answers themselves are responses in YAML
(``utter_<topic>_<hm|ma|both>``); this module only picks one.
"""

from __future__ import annotations

from collections.abc import Iterable

HEALTHCARE_MANAGEMENT = "healthcare management"
MEDICAL_ADMINISTRATION = "medical administration"
FIELDS = (HEALTHCARE_MANAGEMENT, MEDICAL_ADMINISTRATION)

FIELD_KEYS = {HEALTHCARE_MANAGEMENT: "hm", MEDICAL_ADMINISTRATION: "ma"}

# Topic intents answered per field; the intent name minus ``ask_``.
TOPICS = (
    "overview",
    "responsibilities",
    "qualifications",
    "skills",
    "careers",
    "workplaces",
    "patient_interaction",
    "training",
)

# Which field each job title and qualification belongs to (from the seed).
ROLE_FIELDS = {
    "hospital administrator": HEALTHCARE_MANAGEMENT,
    "chief operating officer": HEALTHCARE_MANAGEMENT,
    "health services manager": HEALTHCARE_MANAGEMENT,
    "medical office administrator": MEDICAL_ADMINISTRATION,
    "practice manager": MEDICAL_ADMINISTRATION,
    "health information technician": MEDICAL_ADMINISTRATION,
}
QUALIFICATION_FIELDS = {
    "MHA": HEALTHCARE_MANAGEMENT,
    "MBA": HEALTHCARE_MANAGEMENT,
    "CMOM": MEDICAL_ADMINISTRATION,
    "cHAP": MEDICAL_ADMINISTRATION,
}


def _canonical(value: str, known: Iterable[str]) -> str | None:
    lowered = value.strip().lower()
    for candidate in known:
        if candidate.lower() == lowered:
            return candidate
    return None


def fields_named(entities: Iterable[dict]) -> list[str]:
    """Fields the message names directly or through a role or qualification,
    in order of first mention, without repeats."""
    found: list[str] = []
    for entity in entities:
        value = entity.get("value")
        if not isinstance(value, str):
            continue
        kind = entity.get("entity")
        field = None
        if kind == "field":
            field = _canonical(value, FIELDS)
        elif kind == "role":
            role = _canonical(value, ROLE_FIELDS)
            field = ROLE_FIELDS.get(role) if role else None
        elif kind == "qualification":
            qualification = _canonical(value, QUALIFICATION_FIELDS)
            field = QUALIFICATION_FIELDS.get(qualification) if qualification else None
        if field and field not in found:
            found.append(field)
    return found


def qualifications_named(entities: Iterable[dict]) -> list[str]:
    found: list[str] = []
    for entity in entities:
        value = entity.get("value")
        if entity.get("entity") == "qualification" and isinstance(value, str):
            canonical = _canonical(value, QUALIFICATION_FIELDS)
            if canonical and canonical not in found:
                found.append(canonical)
    return found


def choose_answer(
    intent: str,
    entities: Iterable[dict],
    previous_fields: Iterable[str] = (),
) -> str | None:
    """The response name answering ``intent``, or None for a non-topic intent.

    A field named in this message wins; otherwise a field the visitor named
    in their previous message carries over ("and what skills do they
    need?"); otherwise the answer compares both fields.
    """
    topic = intent.removeprefix("ask_")
    if topic not in TOPICS:
        return None
    entities = list(entities)
    if topic == "qualifications":
        qualifications = qualifications_named(entities)
        if len(qualifications) == 1:
            return f"utter_qualification_{qualifications[0].lower()}"
    fields = fields_named(entities) or [f for f in previous_fields if f in FIELDS]
    if len(fields) == 1:
        return f"utter_{topic}_{FIELD_KEYS[fields[0]]}"
    return f"utter_{topic}_both"


def all_answer_names() -> list[str]:
    """Every response ``choose_answer`` can return: the domain must define each."""
    names = [f"utter_{topic}_{key}" for topic in TOPICS for key in ("hm", "ma", "both")]
    names += [f"utter_qualification_{q.lower()}" for q in QUALIFICATION_FIELDS]
    return names
