"""A complete enquiry through the REST channel, then found by the CLI export."""

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e


def export_json(settings) -> list[dict]:
    env = {"BOT_VAR_DIR": str(settings.var_dir), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "leads", "export", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(result.stdout)


def test_enquiry_is_stored_once_and_exported(visitor, stack_settings):
    visitor.say('/ask_course_details{"course":"MA-201"}')
    assert "Before I take any details" in visitor.text("I'd like to enrol on this course")
    assert "name" in visitor.text("yes, I agree").lower()
    assert "email" in visitor.text("Priya Shah").lower()
    retry = visitor.text("not-an-email")
    assert "email" in retry.lower() and "phone" not in retry.lower()
    assert "phone" in visitor.text("priya.shah@example.org").lower()
    visitor.say("skip")
    visitor.say("London")
    summary = visitor.text("skip")
    assert "priya.shah@example.org" in summary and "MA-201" in summary
    received = visitor.text("yes, send it")
    assert "reference" in received
    reference = received.split("reference is ")[1].split(".")[0]

    leads = [lead for lead in export_json(stack_settings) if lead["reference"] == reference]
    assert len(leads) == 1
    lead = leads[0]
    assert lead["email"] == "priya.shah@example.org"
    assert lead["name"] == "Priya Shah"
    assert [c["code"] for c in lead["courses"]] == ["MA-201"]
    assert lead["consent"]["notice_version"]
    assert any(turn["text"] == "Priya Shah" for turn in lead["transcript"])


def test_refusing_consent_stores_nothing(visitor, stack_settings):
    before = len(export_json(stack_settings))
    assert "Before I take any details" in visitor.text("I'd like to apply for one of your courses")
    text = visitor.text("no")
    assert "haven't stored anything" in text
    assert len(export_json(stack_settings)) == before


def test_asking_for_a_person_offers_an_enquiry(visitor):
    assert "Shall I take your enquiry" in visitor.text("can someone from admissions call me?")
    assert "Before I take any details" in visitor.text("yes please")


def test_cancel_leaves_the_form(visitor, project_root):
    import yaml

    responses = yaml.safe_load((project_root / "data" / "responses.yml").read_text())["responses"]
    visitor.say("I want to enquire")
    visitor.say("yes")
    assert "stopped" in visitor.text("cancel")
    overview = responses["utter_overview_hm"][0]["text"]
    assert overview in visitor.text("what is healthcare management?")
