"""The answers visitors read: present, short, with a next step, and with
buttons that point at intents and entity values the bot knows."""

import json
import re

import pytest
import yaml

from bot.dialogue.knowledge import all_answer_names
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
    assert sorted(used - set(responses)) == []


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
    answers += [name for name in responses if name.startswith(("utter_faq_", "utter_out_of_scope_"))]
    answers += ["utter_iamabot", "utter_admissions_contact", "utter_enquiry_received"]
    without_buttons = [n for n in answers if not all(v.get("buttons") for v in responses[n])]
    assert without_buttons == []


def test_buttons_point_at_known_intents_and_values(responses, domain, canonical_values):
    intents = set(domain["intents"])
    problems = []
    for name, variants in responses.items():
        for variant in variants:
            for button in variant.get("buttons", []):
                if name.startswith("utter_ask_") and not button["payload"].startswith("/"):
                    continue  # a form question's button answers it in words, read by the validation action
                match = PAYLOAD.match(button["payload"])
                if not match or match["intent"] not in intents:
                    problems.append((name, button["payload"]))
                    continue
                if match["entities"]:
                    entities = json.loads(match["entities"][1:-1])  # doubled braces -> JSON
                    for kind, value in entities.items():
                        if value.strip("{}") in ACTION_VALUES.get(name, set()):
                            continue  # filled in by the action that utters it (a course code)
                        if value not in canonical_values.get(kind, set()):
                            problems.append((name, button["payload"]))
    assert problems == []


# Values an action passes when it utters the response (dispatcher.utter_message(response=..., **values)).
ACTION_VALUES = {
    "utter_enquiry_received": {"name", "reference"},
    # bot/dialogue/course_followups.py: fact_values()
    **{
        f"utter_course_{name}": {"course_name", "course_code", "sample_note", value}
        for name, value in [
            ("fee", "fee_list"),
            ("dates", "date_list"),
            ("place", "place_list"),
            ("delivery", "delivery_list"),
            ("duration", "duration"),
            ("level", "level"),
        ]
    },
    "utter_course_no_dates": {"course_name", "course_code"},
    # bot/handoff/availability.py: visitor_notice() (tests/handoff/test_store.py renders each one)
    "utter_handoff_closed": {"hours", "opens"},
    "utter_handoff_nobody_free": {"hours"},
    "utter_course_in_house_only": {"course_name", "course_code"},
}
ACTION_VALUES["utter_course_level"].add("audience")


def test_answers_never_use_a_placeholder_that_is_never_filled(responses, domain):
    slots = set(domain["slots"])
    for name, variants in responses.items():
        for variant in variants:
            text = variant.get("text", "").replace("{{", "").replace("}}", "")
            for placeholder in re.findall(r"\{([^{}]+)\}", text):
                assert placeholder in slots | ACTION_VALUES.get(name, set()), f"{name} uses unknown {placeholder}"


def test_action_values_match_what_the_submit_action_passes(project_root):
    source = (project_root / "actions" / "enquiry.py").read_text()
    assert 'response="utter_enquiry_received", reference=' in source and "name=" in source


def test_medical_questions_never_get_clinical_advice(responses):
    text = " ".join(v["text"] for v in responses["utter_out_of_scope_medical_advice"]).lower()
    assert "111" in text and ("999" in text or "112" in text)
