"""ActionExplainInhouse: explains in-house training and remembers the team."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.inhouse import ActionExplainInhouse
from tests.actions.conftest import conversation, responses, texts

# Only the catalogue's in-house courses are named: no claim that any course can be adapted.
PROGRAMMES = (
    "Courses in the catalogue that run in-house: Tailored Healthcare Leadership Programme (IH-301), In-House Medical "
    "Administration Skills (IH-302), Governance and Compliance for Healthcare Teams (IH-303)."
)


async def test_a_team_of_20_at_a_clinic_is_remembered(dispatcher, domain):
    events = await ActionExplainInhouse().run(dispatcher, conversation("inhouse_team_clinic"), domain)

    assert responses(dispatcher) == ["utter_inhouse_training", None]
    assert texts(dispatcher)[1] == (
        f"For a team of 20 at your clinic, we can run the training on your premises. {PROGRAMMES}"
    )
    assert dispatcher.messages[1]["buttons"] == [
        {"title": "Enquire about in-house", "payload": '/enquire{"delivery":"in-house"}'},
        {"title": "Talk to admissions", "payload": "/request_human"},
    ]
    # team_size is a text slot: the size is stored as text, as the enquiry form reads it
    assert events == [
        SlotSet("delivery", "in-house"),
        SlotSet("team_size", "20"),
        SlotSet("organisation_type", "clinic"),
    ]


async def test_what_was_said_before_is_kept(dispatcher, domain):
    tracker = conversation(
        "inhouse_team_clinic",
        "do you do in-house training?",
        slots={"team_size": "12", "organisation_type": "hospital"},
    )

    events = await ActionExplainInhouse().run(dispatcher, tracker, domain)

    assert texts(dispatcher)[1].startswith("For a team of 12 at your hospital, we can run the training")
    assert events == [
        SlotSet("delivery", "in-house"),
        SlotSet("team_size", "12"),
        SlotSet("organisation_type", "hospital"),
    ]


async def test_without_a_team_only_the_delivery_is_remembered(dispatcher, domain):
    tracker = conversation("inhouse_team_clinic", "do you do in-house training?")

    events = await ActionExplainInhouse().run(dispatcher, tracker, domain)

    assert texts(dispatcher)[1] == PROGRAMMES
    assert events == [SlotSet("delivery", "in-house")]
