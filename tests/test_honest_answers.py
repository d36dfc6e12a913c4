"""Honest by default: questions the academy's material does not answer get an
"I don't have that" with the admissions route, and no reply repeats a claim
that neither the seed text nor the catalogue supports."""

from __future__ import annotations

import re

import pytest
import yaml

# Retrieval sub-intents for what the seed and the catalogue do not say.
NO_INFORMATION = ("salary", "visa", "discounts", "self_paced", "accreditation", "other_topics")

# Claims removed in the response audit (issue 13): none may come back, in a
# response or in a reply text built in code. Lower case.
UNSUPPORTED_CLAIMS = (
    "any of our courses can be adapted",
    "any course can be adapted",
    "programmes we often tailor",
    "tailored in-house option",
    "advise on other dates",
    "which is common",
    "carries straight over",
    "most often an mha",
    "far more often than healthcare managers",
    "lead with confidence",
    "practical strategic tools",
    "admissions will tell you when it runs",
)


@pytest.fixture(scope="module")
def responses(domain):
    return domain["responses"]


@pytest.fixture(scope="module")
def nlu(project_root) -> dict[str, list[str]]:
    document = yaml.safe_load((project_root / "data" / "nlu.yml").read_text(encoding="utf-8"))
    return {
        block["intent"]: [line[2:] for line in block["examples"].splitlines() if line.startswith("- ")]
        for block in document["nlu"]
        if "intent" in block
    }


@pytest.mark.parametrize("name", NO_INFORMATION)
def test_each_unanswerable_question_has_training_examples(nlu, name):
    # As many as the other intents (at least 60 since 2026-12-02), so an honest "I don't have that" is
    # not outvoted by a neighbour that had more ways of being asked.
    assert len(nlu[f"faq_{name}"]) >= 50


@pytest.mark.parametrize("name", NO_INFORMATION)
def test_unanswerable_questions_offer_admissions_and_state_no_figure(responses, name):
    (variant,) = responses[f"utter_faq_{name}"]

    assert "{admissions_email}" in variant["text"]
    assert "/request_human" in [b["payload"] for b in variant["buttons"]]
    assert not re.search(r"[£$€%]|\d", variant["text"])  # no fee, salary, discount or duration invented


@pytest.mark.parametrize("name", ("salary", "visa", "discounts", "accreditation"))
def test_unanswerable_questions_say_so_plainly(responses, name):
    assert responses[f"utter_faq_{name}"][0]["text"].startswith("I don't have ")


def test_self_paced_answer_is_what_the_catalogue_says(responses, project_root):
    header = (project_root / "data" / "courses.yml").read_text(encoding="utf-8").split("\ncourses:")[0]
    assert "There is no self-paced / on-demand delivery" in header

    assert "no self-paced or on-demand courses" in responses["utter_faq_self_paced"][0]["text"]


def test_no_reply_repeats_an_unsupported_claim(responses, project_root):
    texts = [variant.get("text", "") for variants in responses.values() for variant in variants]
    for folder in ("bot", "actions"):
        texts += [path.read_text(encoding="utf-8") for path in (project_root / folder).rglob("*.py")]
    # Python sources wrap long strings: join the pieces of implicitly concatenated literals.
    joined = re.sub(r'"\s*\n\s*(?:f)?"', "", "\n".join(texts).lower())
    found = [claim for claim in UNSUPPORTED_CLAIMS if claim in joined]
    assert found == []
