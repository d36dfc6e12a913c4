"""bot.courses.requests.interpret: a visitor's message as a catalogue query."""

from __future__ import annotations

from datetime import date

import pytest

from bot.courses.catalogue import Catalogue
from bot.courses.model import CourseQuery
from bot.courses.requests import interpret, slots_after_search
from bot.courses.store import CatalogueStore
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


# ---------------------------------------------------------------- places the catalogue does not list


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("courses in Tokyo", "Tokyo"),
        ("anything in Dubai?", "Dubai"),
        ("and in Tokyo?", "Tokyo"),
        ("courses in tokyo please", "tokyo"),
        ("Courses in Kuala Lumpur in March", "Kuala Lumpur"),
        ("is there anything in New York next year", "New York"),
        ("leadership training near Abu Dhabi", "Abu Dhabi"),
        ("anything in the Middle East?", "Middle East"),
        ("I work in a clinic in Leeds, any billing course?", "Leeds"),
        ("courses in beijing", "beijing"),
        ("anything in dubai in may?", "dubai"),
        ("any courses in abu dhabi?", "abu dhabi"),
    ],
)
def test_a_place_the_catalogue_does_not_list_is_still_the_place_asked_for(catalogue, text, place):
    request = ask(catalogue, text)

    assert request.query.location == place
    assert request.specific
    assert catalogue.search(request.query, TODAY) == []  # honestly nothing there, not everything everywhere


@pytest.mark.parametrize(
    "text",
    [
        "courses in March",
        "a course in person",
        "training in house",
        "do you have courses in English",
        "courses in healthcare management",
        "a course in billing",
        "something in spring",
        "courses in 2027",
        "courses in my area",
        "is there anything in it for me",
        "courses in the summer",
        "any course in the NHS",
        "courses in nursing",
        "courses in plain english",  # lower-case words count only when they end the request
        "courses explained in simple terms",
        "courses on the key duties in med admin",
        "courses for a career in HM",
        "courses I can pay in instalments",
        "any place left in HM-101?",
    ],
)
def test_words_after_in_that_are_not_places(catalogue, text):
    assert ask(catalogue, text).query.location is None


def test_a_known_place_wins_over_an_unknown_one(catalogue):
    assert ask(catalogue, "courses in Tokyo or London?").query.location == "london"


def test_online_from_an_unknown_place_is_simply_online(catalogue):
    query = ask(catalogue, "online courses I can follow in Tokyo").query

    assert (query.location, query.delivery) == (None, "online")


def test_an_unknown_place_entity_is_kept_as_the_location(catalogue):
    assert ask(catalogue, "courses in Istanbul", [entity("location", "Istanbul")]).query.location == "Istanbul"


# ---------------------------------------------------------------- filters never leak


def test_a_new_place_replaces_the_remembered_one(catalogue):
    query = ask(catalogue, "and in Tokyo?", remembered={"location": "London"}).query

    assert query.location == "Tokyo"


def test_a_follow_up_that_only_changes_a_filter_keeps_the_subject(catalogue):
    remembered = {"topic": "leadership", "location": "London", "delivery": "classroom"}

    query = ask(catalogue, "and in Tokyo?", remembered=remembered).query
    online = ask(catalogue, "what about online?", remembered=remembered).query

    assert (query.topics, query.location, query.delivery) == (("leadership",), "Tokyo", None)
    assert (online.topics, online.location, online.delivery) == (("leadership",), None, "online")


def test_a_new_subject_drops_every_remembered_filter(catalogue):
    query = ask(catalogue, "what do you have on billing?", remembered=REMEMBERED).query

    assert (query.field, query.topics, query.location, query.delivery) == (None, (), None, None)


def test_a_fresh_request_with_a_filter_does_not_keep_the_subject(catalogue):
    query = ask(catalogue, "anything in Dubai?", remembered=REMEMBERED).query

    assert (query.field, query.topics, query.location) == (None, (), "Dubai")


# ---------------------------------------------------------------- subjects the academy does not teach


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("nursing courses", "nursing"),
        ("do you have any courses in nursing?", "nursing"),
        ("nursing training in London", "nursing"),
        ("physiotherapy course", "physiotherapy"),
        ("courses on dentistry", "dentistry"),
        ("a radiology course online", "radiology"),
        ("IT courses", "it"),
        ("courses about blockchain in London", "blockchain"),  # any subject after "on"/"about" the catalogue lacks
        ("any training covering excel spreadsheets?", "excel spreadsheets"),
        # Subjects outside health care, after "in" and before "for", are not places.
        ("looking for a class in housekeeping for hotels", "housekeeping"),
        ("is there a course in accountancy for shop owners", "accountancy"),
        ("software training for beginners", "software"),
    ],
)
def test_a_subject_the_academy_does_not_teach_is_reported(catalogue, text, subject):
    request = ask(catalogue, text)

    assert request.unknown_subject == subject
    assert request.specific


@pytest.mark.parametrize(
    "text",
    [
        "management courses for nurses",
        "billing courses",
        "weekend courses",
        "any good courses in London",
        "courses in it",
        "leadership courses for surgery managers",
        "what courses are on offer in London",
        "courses on the weekend",
        "courses on site",
        "courses on mondays",
        "courses on budgeting",
    ],
)
def test_subjects_the_academy_teaches_or_no_subject_at_all(catalogue, text):
    assert ask(catalogue, text).unknown_subject is None


def test_a_known_subject_entity_is_never_an_unknown_subject(catalogue):
    request = ask(catalogue, "nursing and leadership courses", [entity("topic", "leadership")])

    assert request.unknown_subject is None
    assert request.query.topics == ("leadership",)


# ---------------------------------------------------------------- what a search remembers


def test_a_search_replaces_the_last_search_filters():
    before = {"field": "healthcare management", "topic": "leadership", "location": "London", "delivery": "online"}

    changed = slots_after_search(CourseQuery(topics=("medical billing and coding",), location="Tokyo"), before)

    # the field is conversation context: kept unless a new one is named
    assert changed == {"topic": "medical billing and coding", "location": "Tokyo", "delivery": None}


def test_a_search_that_changes_nothing_sets_nothing():
    before = {"field": None, "topic": "leadership", "location": None, "delivery": None}

    assert slots_after_search(CourseQuery(topics=("leadership",)), before) == {}


def test_inside_a_form_a_search_only_adds_what_it_names():
    before = {"field": None, "topic": None, "location": "Leeds", "delivery": "in-house"}

    changed = slots_after_search(CourseQuery(topics=("leadership",)), before, in_form=True)

    assert changed == {"topic": "leadership"}  # the enquiry's in-house delivery and place stay
