"""A complete enquiry through the REST channel, then found by the CLI export."""

import pytest

from tests.e2e.lead_export import export_leads

pytestmark = pytest.mark.e2e


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

    leads = [lead for lead in export_leads(stack_settings) if lead["reference"] == reference]
    assert len(leads) == 1
    lead = leads[0]
    assert lead["email"] == "priya.shah@example.org"
    assert lead["name"] == "Priya Shah"
    assert [c["code"] for c in lead["courses"]] == ["MA-201"]
    assert lead["consent"]["notice_version"]
    assert any(turn["text"] == "Priya Shah" for turn in lead["transcript"])


def test_refusing_consent_stores_nothing(visitor, stack_settings):
    before = len(export_leads(stack_settings))
    assert "Before I take any details" in visitor.text("I'd like to apply for one of your courses")
    text = visitor.text("no")
    assert "no enquiry has been made" in text and "conversation log" in text
    assert len(export_leads(stack_settings)) == before


def test_asking_for_a_person_offers_an_enquiry(visitor):
    assert "Shall I take your enquiry" in visitor.text("can someone from admissions call me?")
    assert "Before I take any details" in visitor.text("yes please")


def test_cancel_leaves_the_form(visitor, project_root):
    import yaml

    responses = yaml.safe_load((project_root / "data" / "responses.yml").read_text())["responses"]
    visitor.say("I want to enquire")
    visitor.say("yes")
    assert "Stop the enquiry? Nothing will be sent." in visitor.text("cancel")
    assert "stopped the enquiry" in visitor.text("yes")
    overview = responses["utter_overview_hm"][0]["text"]
    assert overview in visitor.text("what is healthcare management?")


def test_a_visitor_who_types_everything_makes_exactly_the_lead_they_were_shown(visitor, stack_settings):
    """Typed answers only: a name that looks like a word, a side question, a correction, typed confirmation."""
    assert "Before I take any details" in visitor.text("I'd like to enquire about your medical billing course")
    assert "name" in visitor.text("sure, that's fine").lower()
    assert "email" in visitor.text("Hope Mills").lower()
    side = visitor.text("what's the difference between healthcare management and medical administration?")
    assert "email address" in side  # answered, then asked again
    assert "phone" in visitor.text("Stop@Example.org").lower()
    visitor.say("no thanks")
    visitor.say("London")
    summary = visitor.text("nothing, that's all")
    assert "Name: Hope Mills" in summary and "Email: stop@example.org" in summary
    assert "Message" not in summary
    summary = visitor.text("sorry, my name is actually Hope Mills-Carter")
    assert "Name: Hope Mills-Carter" in summary
    received = visitor.text("that's right, send it")
    reference = received.split("reference is ")[1].split(".")[0]

    (lead,) = [lead for lead in export_leads(stack_settings) if lead["reference"] == reference]
    shown = dict(line.split(": ", 1) for line in summary.split("admissions:")[1].splitlines() if ": " in line)
    assert lead["name"] == shown["Name"] == "Hope Mills-Carter"
    assert lead["email"] == shown["Email"]
    assert lead["phone"] is None and lead["message"] is None
    assert [course["code"] for course in lead["courses"]] and shown["Courses"].endswith(")")
    assert lead["interest"] == shown["Interest"] == "medical administration"
    assert lead["location"] == shown["Location"] == "London"


def test_everything_in_the_first_message_is_used_and_never_echoed(visitor, stack_settings):
    opener = "Hi, I'm Sam Okafor, sam.okafor@example.net, 07400 123456, interested in healthcare management"
    reply = visitor.text(opener)
    assert "Before I take any details" in reply
    assert "sam.okafor@example.net" not in reply and "07400" not in reply
    asked = visitor.text("yes")
    assert "name" not in asked.lower() and "email address" not in asked.lower()
