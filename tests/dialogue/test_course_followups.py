"""Questions about the courses just shown."""

from __future__ import annotations

from datetime import date

import pytest

from bot.courses.loading import load_catalogue
from bot.courses.store import CatalogueStore
from bot.dialogue.course_followups import (
    NotShown,
    asks_about_one,
    aspects_asked,
    code_in_text,
    course_in_list,
    course_in_view,
    course_meant,
    fact_response,
    fact_values,
    points_at_course_in_view,
    refers_to_one_shown,
    which_course_buttons,
)
from tests.conftest import ROOT

SHOWN = ["MA-201", "MA-208", "IH-302"]
TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(ROOT / "data" / "courses.yml")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("tell me more about the first one", "MA-201"),
        ("how much is the 2nd one?", "MA-208"),
        ("and the third course?", "IH-302"),
        ("what about the last one", "IH-302"),
        ("option 2 please", "MA-208"),
        ("how much does it cost", None),
        ('/ask_course_details{"course":"MA-201"}', None),
    ],
)
def test_course_in_list_reads_positions(text, code):
    assert course_in_list(text, SHOWN) == code


def test_a_position_the_list_does_not_have():
    with pytest.raises(NotShown):
        course_in_list("the third one", ["MA-201", "MA-208"])


def test_the_other_one_of_two():
    assert course_in_list("and the other one?", ["MA-201", "MA-208"], last_course="MA-201") == "MA-208"


def test_nothing_is_picked_from_an_empty_list():
    assert course_in_list("the first one", []) is None


def test_course_in_view():
    assert course_in_view(SHOWN, "MA-208") == "MA-208"
    assert course_in_view(["HM-101"], None) == "HM-101"
    assert course_in_view(SHOWN, None) is None


@pytest.mark.parametrize(
    ("text", "aspects"),
    [
        ("how much does it cost?", ("fee",)),
        ("when does it start", ("dates",)),
        ("where is it held?", ("place",)),
        ("when and where does the first one run?", ("dates", "place")),
        ("is it online or in person?", ("delivery",)),
        ("how long is it", ("duration",)),
        ("what level is that one", ("level",)),
        ("how much is the last one", ("fee",)),
        ("tell me more about it", ()),
        ("details of the second one", ()),
    ],
)
def test_aspects_asked(text, aspects):
    assert aspects_asked(text) == aspects


def test_vague_references():
    assert refers_to_one_shown("how much is it?") and refers_to_one_shown("that one")
    assert not refers_to_one_shown("the astronaut course")
    assert asks_about_one("tell me more") and not asks_about_one("that one")


def test_fact_values_come_from_the_catalogue(catalogue):
    course = catalogue.find_course("HM-101")
    values = fact_values(course, TODAY, sample=True)

    assert values["course_name"] == "Healthcare Policy Development (HM-101)"
    assert values["fee_list"].startswith("£4,650 in London, £4,950 in Brussels, £2,250 online")
    assert values["date_list"].startswith("18 January 2027 in London; 15 March 2027 in Brussels")
    assert "(and 1 more)" in values["date_list"]
    assert (
        values["place_list"] == "in London (United Kingdom), in Brussels (Belgium), online and in Geneva (Switzerland)"
    )
    assert values["delivery_list"] == "in a classroom and online"
    assert values["duration"] == "5 days" and values["level"] == "intermediate"
    assert "sample" in values["sample_note"]
    assert fact_values(course, TODAY)["sample_note"] == ""


def test_a_course_without_dates_says_so(catalogue):
    in_house = catalogue.find_course("IH-301")

    assert fact_response("fee", in_house, TODAY) == "utter_course_in_house_only"
    assert fact_response("duration", in_house, TODAY) == "utter_course_duration"
    assert fact_response("fee", catalogue.find_course("HM-101"), TODAY) == "utter_course_fee"


def test_which_course_buttons_name_each_course(catalogue):
    buttons = which_course_buttons([catalogue.find_course("MA-201"), catalogue.find_course("MA-208")])

    assert [b["payload"] for b in buttons] == [
        '/ask_course_details{"course":"MA-201"}',
        '/ask_course_details{"course":"MA-208"}',
    ]


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("how much does it cost?", True),
        ("is that one online?", True),
        ("when does this course start", True),
        ("how much is the billing course", False),
        ("how much is MA-201", False),
    ],
)
def test_points_at_course_in_view(text, points):
    assert points_at_course_in_view(text) is points


def test_code_in_text():
    assert code_in_text("is hm103 online?") == "HM-103"
    assert code_in_text("how long does MA-208 last, is it 3 days?") == "MA-208"
    assert code_in_text("how much is it?") is None


@pytest.fixture(scope="module")
def store():
    return CatalogueStore(ROOT / "data" / "courses.yml")


@pytest.mark.parametrize(
    ("text", "last_course", "code"),
    [
        ("how much is the second one?", None, "MA-208"),
        ("how much does it cost?", "IH-302", "IH-302"),  # "it": the course in view, not a topic word
        ("is HM-103 online?", "MA-201", "HM-103"),  # a typed code beats "it" and the course in view
        ("tell me about the coding audit", None, "MA-208"),
    ],
)
def test_course_meant(store, text, last_course, code):
    assert course_meant(store, text, None, SHOWN, last_course).course.code == code


def test_course_meant_asks_which_when_it_cannot_tell(store):
    meant = course_meant(store, "how much is it?", None, SHOWN, None)

    assert meant.course is None and meant.ask_which
    assert [c.code for c in meant.choices] == SHOWN


def test_a_position_beyond_the_list_offers_the_list(store):
    meant = course_meant(store, "and the fourth one?", None, SHOWN, None)

    assert meant.course is None and [c.code for c in meant.choices] == SHOWN
