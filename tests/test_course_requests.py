"""bot.course_requests.interpret: a visitor's message as a catalogue query."""

from __future__ import annotations

from datetime import date

import pytest

from bot.catalogue import Catalogue, CatalogueStore
from bot.course_requests import interpret
from tests.conftest import ROOT

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return CatalogueStore(ROOT / "data" / "courses.yml", clock=lambda: TODAY).catalogue


def entity(kind: str, value: str) -> dict:
    return {"entity": kind, "value": value}


def ask(catalogue: Catalogue, text: str, entities=(), remembered=None, today: date = TODAY):
    return interpret(text, entities, catalogue, today, remembered)


@pytest.mark.parametrize(
    ("text", "month", "year"),
    [
        ("anything in March?", 3, None),
        ("courses in May", 5, None),
        ("starting May 2027", 5, 2027),
        ("early sept", 9, None),
        ("something next month", 12, 2026),
        ("is there one this month", 11, 2026),
        ("I may start in March", 3, None),  # "may" is a verb here; "in March" is the month
        ("may I ask about billing courses", None, None),
        ("how many courses are there", None, None),
    ],
)
def test_months_are_read_from_ordinary_words(catalogue, text, month, year):
    query = ask(catalogue, text).query

    assert (query.month, query.year) == (month, year)


def test_next_month_in_december_is_january_of_the_next_year(catalogue):
    query = ask(catalogue, "anything next month?", today=date(2026, 12, 5)).query

    assert (query.month, query.year) == (1, 2027)


@pytest.mark.parametrize(
    ("text", "delivery"),
    [
        ("leadership online", "online"),
        ("something I can do from home", "online"),
        ("can you train us at our clinic", "in-house"),
        ("training for our staff", "in-house"),
        ("face-to-face policy course", "classroom"),
        ("a policy course", None),
    ],
)
def test_delivery_words(catalogue, text, delivery):
    assert ask(catalogue, text).query.delivery == delivery


@pytest.mark.parametrize(
    ("text", "sort"),
    [
        ("cheapest billing course", "price"),
        ("the most affordable leadership course", "price"),
        ("earliest policy course", "date"),
        ("billing, as soon as possible", "date"),
        ("billing courses", "relevance"),
    ],
)
def test_cheapest_and_soonest_set_the_order(catalogue, text, sort):
    request = ask(catalogue, text)

    assert request.query.sort == sort
    assert request.specific


@pytest.mark.parametrize(
    ("text", "max_fee"),
    [
        ("leadership under £3,000", 3000),
        ("something below 2k", 2000),
        ("under 2.5k please", 2500),
        ("no more than 3000 pounds", 3000),
        ("under 3,000, please", 3000),
        # counts and times are not budgets
        ("for a team of up to 20 staff", None),
        ("a course within 3 months", None),
        ("max 5 days", None),
    ],
)
def test_max_fee(catalogue, text, max_fee):
    assert ask(catalogue, text).query.max_fee == max_fee


def test_a_place_named_in_free_text_is_a_location(catalogue):
    request = ask(catalogue, "anything in Spain?")

    assert request.query.location == "spain"
    assert request.specific


def test_ordinary_words_are_not_places(catalogue):
    assert ask(catalogue, "any nice courses?").query.location is None


def test_entities_beat_the_text(catalogue):
    request = ask(
        catalogue,
        "healthcare courses in Spain",
        [entity("location", "Paris"), entity("field", "healthcare management"), entity("topic", "leadership")],
    )

    assert request.query.location == "Paris"
    assert request.query.field == "healthcare management"
    assert request.query.topics == ("leadership",)


def test_an_online_location_entity_is_a_delivery(catalogue):
    query = ask(catalogue, "leadership, online please", [entity("location", "online")]).query

    assert (query.location, query.delivery) == (None, "online")


def test_a_delivery_entity_in_other_words_makes_a_valid_query(catalogue):
    query = ask(catalogue, "/recommend_course", [entity("delivery", "in house")]).query

    assert query.delivery == "in-house"


def test_two_fields_name_no_single_field(catalogue):
    query = ask(
        catalogue,
        "healthcare management or medical administration courses",
        [entity("field", "healthcare management"), entity("field", "medical administration")],
    ).query

    assert query.field is None


REMEMBERED = {"field": "healthcare management", "topic": "leadership", "location": "London", "delivery": None}


def test_remembered_context_is_used_when_the_message_says_nothing_new(catalogue):
    request = ask(catalogue, "can you recommend me a course?", remembered=REMEMBERED)

    assert request.specific
    assert request.query.field == "healthcare management"
    assert request.query.topics == ("leadership",)
    assert request.query.location == "London"
    assert request.query.delivery is None


def test_remembered_context_is_dropped_when_the_message_says_something_new(catalogue):
    query = ask(catalogue, "anything in March?", remembered=REMEMBERED).query

    assert query.month == 3
    assert (query.field, query.topics, query.location) == (None, (), None)


def test_a_remembered_field_does_not_hide_a_topic_of_the_other_field(catalogue):
    request = ask(catalogue, "billing courses", [entity("topic", "medical billing and coding")], REMEMBERED)

    assert request.query.field is None
    assert request.query.topics == ("medical billing and coding",)


def test_button_payload_text_is_not_free_text(catalogue):
    request = ask(
        catalogue, '/recommend_course{"field":"medical administration"}', [entity("field", "medical administration")]
    )

    assert request.query.text is None
    assert request.query.field == "medical administration"
    assert request.specific


def test_a_bare_button_payload_is_not_specific(catalogue):
    request = ask(catalogue, "/recommend_course")

    assert request.query.text is None
    assert not request.specific


@pytest.mark.parametrize("text", ["recommend me a course", "can you recommend a course please?", "any courses?"])
def test_a_request_with_nothing_to_search_by_is_not_specific(catalogue, text):
    request = ask(catalogue, text)

    assert not request.specific
    assert request.query.text == text  # still passed on, in case the catalogue knows a word


def test_topic_words_in_free_text_make_a_request_specific(catalogue):
    request = ask(catalogue, "what do you have on billing?")

    assert request.specific
    assert request.query.text == "what do you have on billing?"
    assert request.query.topics == ()
