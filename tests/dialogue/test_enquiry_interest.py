"""bot.dialogue.enquiry_interest: which courses and field an enquiry is about."""

from __future__ import annotations

from datetime import date

import pytest

from bot.courses.store import CatalogueStore
from bot.dialogue.enquiry_form import Interest
from bot.dialogue.enquiry_interest import interest_from_context, read_interest
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def store() -> CatalogueStore:
    return CatalogueStore(ROOT / "data" / "courses.yml", clock=lambda: date(2026, 11, 26))


@pytest.mark.parametrize(
    ("text", "codes", "field"),
    [
        ("I'd like to enquire about Introduction to Healthcare Management", ("HM-108",), "healthcare management"),
        ("interested in Practice Manager Essentials please", ("MA-207",), "medical administration"),
        ("ma203", ("MA-203",), "medical administration"),
        ("I'd like to enquire about your medical billing course", ("MA-201",), "medical administration"),
    ],
)
def test_a_course_named_by_title_code_or_its_own_topic(store, text, codes, field):
    assert read_interest(store, text) == Interest(codes, field)


@pytest.mark.parametrize("text", ["healthcare management", "I'm interested in medical administration"])
def test_a_field_on_its_own_names_no_course(store, text):
    interest = read_interest(store, text)
    assert interest.course_codes == () and interest.field in ("healthcare management", "medical administration")


def test_a_qualification_entity_gives_its_field(store):
    entities = [{"entity": "qualification", "value": "CMOM"}]
    assert read_interest(store, "interested in the CMOM course", entities) == Interest((), "medical administration")


def test_words_that_name_nothing_are_not_an_interest(store):
    assert not read_interest(store, "something for my team").known


def test_context_prefers_courses_then_field_then_in_house(store):
    assert interest_from_context(store, ["MA-201"], None, None) == Interest(("MA-201",), "medical administration")
    assert interest_from_context(store, [], "healthcare management", None) == Interest(field="healthcare management")
    assert interest_from_context(store, [], None, "in-house") == Interest(words="in-house training")
    assert not interest_from_context(store, [], None, None).known


def test_a_name_is_not_a_course(store):
    said = read_interest(store, "I'm Bill O'Neill, bill@example.org, 0161 496 0956, interested in the CMOM course")
    assert said.course_codes == ()


def test_a_button_payload_names_its_course(store):
    said = read_interest(store, "", [{"entity": "course", "value": "MA-201"}])
    assert said == Interest(("MA-201",), "medical administration")
