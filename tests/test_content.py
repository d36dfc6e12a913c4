"""The answers visitors read: present, short, with a next step, and with
buttons that point at intents and entity values the bot knows."""

import json
import re

import pytest
import yaml

from bot.knowledge import all_answer_names
from bot.nlp.terms import load_terms

PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{\{.*\}\})?$")


@pytest.fixture(scope="module")
def responses(domain):
    return domain["responses"]


@pytest.fixture(scope="module")
def canonical_values(project_root):
    values: dict[str, set[str]] = {}
    for term in load_terms(project_root / "data" / "entities.yml"):
        values.setdefault(term.entity, set()).add(term.canonical)
    return values


def test_every_answer_the_action_can_choose_exists(responses):
    missing = [name for name in all_answer_names() if name not in responses]
    assert missing == []


def test_every_response_used_in_rules_and_stories_exists(project_root, responses):
    used = set()
    for name in ("rules.yml", "stories.yml"):
        for flow in yaml.safe_load((project_root / "data" / name).read_text()).values():
            if isinstance(flow, list):
                for item in flow:
                    used |= {
                        s["action"] for s in item.get("steps", []) if str(s.get("action", "")).startswith("utter_")
                    }
    retrieval = {"utter_faq", "utter_out_of_scope"}
    assert sorted(used - retrieval - set(responses)) == []


def test_texts_are_short(responses):
    too_long = {
        name: len(variant["text"].split())
        for name, variants in responses.items()
        for variant in variants
        if len(variant.get("text", "").split()) > 80
    }
    assert too_long == {}


def test_knowledge_answers_end_with_a_next_step(responses):
    answers = [*all_answer_names(), "utter_difference", "utter_choose", "utter_greet", "utter_fallback"]
    answers += [name for name in responses if name.startswith(("utter_faq/", "utter_out_of_scope/"))]
    answers += ["utter_iamabot", "utter_admissions_contact", "utter_consent_refused", "utter_enquiry_received"]
    without_buttons = [n for n in answers if not all(v.get("buttons") for v in responses[n])]
    assert without_buttons == []


def test_buttons_point_at_known_intents_and_values(responses, domain, canonical_values):
    intents = set(domain["intents"])
    problems = []
    for name, variants in responses.items():
        for variant in variants:
            for button in variant.get("buttons", []):
                match = PAYLOAD.match(button["payload"])
                if not match or match["intent"] not in intents:
                    problems.append((name, button["payload"]))
                    continue
                if match["entities"]:
                    entities = json.loads(match["entities"][1:-1])  # doubled braces -> JSON
                    for kind, value in entities.items():
                        if value not in canonical_values.get(kind, set()):
                            problems.append((name, button["payload"]))
    assert problems == []


def test_answers_never_use_a_placeholder_slot_that_does_not_exist(responses, domain):
    slots = set(domain["slots"])
    for name, variants in responses.items():
        for variant in variants:
            text = variant.get("text", "").replace("{{", "").replace("}}", "")
            for placeholder in re.findall(r"\{([^{}]+)\}", text):
                assert placeholder in slots, f"{name} uses unknown slot {placeholder}"


def test_medical_questions_never_get_clinical_advice(responses):
    text = " ".join(v["text"] for v in responses["utter_out_of_scope/medical_advice"]).lower()
    assert "111" in text and ("999" in text or "112" in text)
