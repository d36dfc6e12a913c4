"""Searching the catalogue answers what visitors ask: filters, ranking, finding a course,
alternatives when nothing fits."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from pydantic import ValidationError

from bot.courses.catalogue import Catalogue
from bot.courses.loading import load_catalogue
from bot.courses.model import CourseQuery
from bot.courses.vocabulary import TOPICS
from tests.conftest import ROOT
from tests.courses.conftest import TODAY

BAD_FILES = ROOT / "tests" / "data" / "catalogue"


def codes(matches) -> list[str]:
    return [m.course.code for m in matches]


def search(catalogue: Catalogue, today: date = TODAY, **query) -> list:
    return catalogue.search(CourseQuery(**query), today)


@pytest.mark.parametrize(
    ("words", "first"),
    [
        ("billing", "MA-201"),
        ("coding and billing", "MA-201"),
        ("medical coding", "MA-201"),
        ("finance", "HM-102"),
        ("budgets", "HM-102"),
        ("money", "HM-102"),
        ("HR", "HM-106"),
        ("staffing", "HM-106"),
        ("governance", "HM-105"),
        ("patient safety", "HM-107"),
        ("records", "MA-202"),
        ("EHR", "MA-205"),
        ("receptionist", "MA-203"),
        ("appointments", "MA-204"),
        ("complaints", "MA-206"),
        ("strategy", "HM-104"),
        ("policies", "HM-101"),
        ("practice managers", "MA-207"),
        ("I'm looking for a course on budgeting please", "HM-102"),
    ],
)
def test_visitor_words_find_the_right_course_first(catalogue, words, first):
    assert codes(search(catalogue, text=words))[0] == first


def test_text_filters_out_unrelated_courses(catalogue):
    found = codes(search(catalogue, text="billing"))
    assert "HM-104" not in found and "MA-201" in found


def test_a_stray_word_in_a_summary_is_not_a_match(catalogue):
    # MA-208's summary mentions "coded records"; it is not a records course.
    assert codes(search(catalogue, text="records")) == ["MA-202", "MA-205", "IH-302"]


def test_words_the_catalogue_does_not_know_do_not_empty_the_results(catalogue):
    assert len(search(catalogue, text="anything in zanzibar?")) == len(catalogue)


def test_topic_entities_accept_synonyms_and_move_unknown_words_to_text():
    query = CourseQuery(topics=["budgets", "coding and billing"])
    assert query.topics == ("financial planning", "medical billing and coding")
    assert CourseQuery(topics=["bedside manner"], text="courses").text == "courses bedside manner"


def test_topic_filter_keeps_any_listed_topic_and_ranks_main_topic_first(catalogue):
    found = search(catalogue, topics=["leadership"])
    assert all("leadership" in m.course.topics for m in found)
    assert found[0].course.topics[0] == "leadership"
    assert found[0].matched_topics == ("leadership",)


@pytest.mark.parametrize("topic", TOPICS)
def test_a_course_mainly_about_the_topic_comes_before_one_that_only_touches_it(catalogue, topic):
    found = search(catalogue, topics=[topic])
    assert found[0].course.topics[0] == topic


def test_main_topic_outranks_an_earlier_date(catalogue):
    assert codes(search(catalogue, topics=["patient communication"]))[:2] == ["MA-206", "MA-203"]


def test_field_filter(catalogue):
    found = search(catalogue, field="medical administration")
    assert found and all(m.course.field == "medical administration" for m in found)


def test_search_by_city_offers_only_sessions_there(catalogue):
    found = search(catalogue, location="madrid")
    assert set(codes(found)) == {"HM-102", "HM-103", "MA-201", "MA-204"}
    assert all(s.city == "Madrid" for m in found for s in m.sessions)


def test_search_by_country_covers_all_its_cities(catalogue):
    found = search(catalogue, location="Spain")
    assert set(codes(found)) == {"HM-102", "HM-103", "MA-201", "MA-204", "HM-106", "MA-203"}
    assert {s.city for m in found for s in m.sessions} == {"Madrid", "Barcelona"}


def test_place_aliases_and_europe(catalogue):
    uk = search(catalogue, location="UK", topics=["leadership"])
    assert uk and {s.country for m in uk for s in m.sessions} == {"United Kingdom"}
    europe = search(catalogue, location="Europe", topics=["leadership"])
    countries = {s.country for m in europe for s in m.sessions}
    assert europe and "United Kingdom" not in countries and "Online" not in countries
    assert set(codes(search(catalogue, location="Genève"))) == {"HM-101", "HM-109"}


def test_unknown_place_finds_nothing(catalogue):
    assert search(catalogue, location="Istanbul") == []


def test_month_means_its_next_occurrence(catalogue):
    found = search(catalogue, month=3)
    assert len(found) >= 5
    assert all((s.start.year, s.start.month) == (2027, 3) for m in found for s in m.sessions)
    assert codes(search(catalogue, month=11)) == ["HM-103"]  # the rest of this November only
    assert {s.start for m in search(catalogue, month=11, year=2027) for s in m.sessions} >= {date(2027, 11, 8)}


def test_month_in_the_current_month_skips_days_already_gone(catalogue):
    found = search(catalogue, today=date(2027, 3, 20), month=3)
    assert found and all(date(2027, 3, 20) <= s.start <= date(2027, 3, 31) for m in found for s in m.sessions)
    assert search(catalogue, today=date(2027, 4, 1), month=3) == []  # that is March 2028


def test_month_and_location_together(catalogue):
    assert set(codes(search(catalogue, location="Madrid", month=3))) == {"HM-103", "MA-201"}


def test_online_delivery_offers_only_online_sessions(catalogue):
    found = search(catalogue, delivery="online")
    assert len(found) >= 10
    assert all(s.city == "Online" for m in found for s in m.sessions)
    assert codes(search(catalogue, location="online")) == codes(found)
    assert "HM-104" not in codes(found)  # classroom only


def test_classroom_delivery_offers_no_online_sessions(catalogue):
    found = search(catalogue, delivery="classroom", topics=["medical billing and coding"])
    assert codes(found) == ["MA-201"]
    assert all(s.city != "Online" for s in found[0].sessions)


def test_in_house_request_finds_in_house_courses_whatever_the_place(catalogue):
    found = search(catalogue, delivery="in-house", location="Madrid")
    assert set(codes(found)) == {"IH-301", "IH-302", "IH-303"}
    assert all(m.next_session is None for m in found)


def test_max_fee_and_price_order(catalogue):
    found = search(catalogue, topics=["leadership"], max_fee=2500, sort="price")
    assert all(s.fee_gbp <= 2500 for m in found for s in m.sessions)
    fees = [m.lowest_fee for m in found]
    assert fees == sorted(fees)


def test_date_order(catalogue):
    found = search(catalogue, field="healthcare management", sort="date")
    starts = [m.next_session.start for m in found if m.next_session]
    assert starts == sorted(starts)
    assert all(m.next_session is None for m in found[len(starts) :])


def test_cheapest_leadership_course(catalogue):
    cheapest = catalogue.cheapest(CourseQuery(topics=["leadership"]), TODAY)
    assert cheapest.course.code == "HM-108"
    assert cheapest.lowest_fee == 1150 and cheapest.cheapest_session.city == "Online"
    in_london = catalogue.cheapest(CourseQuery(topics=["leadership"], location="London"), TODAY)
    assert (in_london.course.code, in_london.lowest_fee) == ("HM-108", 2450)


def test_past_sessions_are_never_offered(catalogue):
    quality = search(catalogue, text="patient safety")[0]
    assert quality.course.code == "HM-107"
    assert date(2026, 11, 9) not in [s.start for s in quality.sessions]
    assert all(s.start >= TODAY for m in search(catalogue) for s in m.sessions)
    earlier = search(catalogue, today=date(2026, 11, 1), text="patient safety")[0]
    assert earlier.next_session.start == date(2026, 11, 9)


def test_a_session_starting_today_is_still_offered(catalogue):
    assert search(catalogue, today=date(2026, 11, 30), text="leadership")[0].next_session.start == date(2026, 11, 30)
    leadership = next(
        m for m in search(catalogue, today=date(2026, 12, 1), text="leadership") if m.course.code == "HM-103"
    )
    assert leadership.next_session.start == date(2027, 2, 8)


def test_course_with_nothing_scheduled_is_found_without_a_session(catalogue):
    audit = next(m for m in search(catalogue, text="coding audit") if m.course.code == "MA-208")
    assert audit.next_session is None and audit.sessions == ()
    assert "MA-208" not in codes(search(catalogue, text="coding audit", location="London"))
    in_house = next(m for m in search(catalogue, topics=["leadership"]) if m.course.code == "IH-301")
    assert in_house.next_session is None


def test_limit(catalogue):
    assert len(search(catalogue, field="healthcare management", limit=3)) == 3


def test_query_rejects_nonsense():
    with pytest.raises(ValidationError):
        CourseQuery(month=13)
    with pytest.raises(ValidationError):
        CourseQuery(text="x" * 501)
    with pytest.raises(ValidationError):
        CourseQuery(delivery="by carrier pigeon")
    with pytest.raises(ValidationError):
        CourseQuery(colour="blue")
    assert CourseQuery(field=" Healthcare Management ", delivery="Online").delivery == "online"


@pytest.mark.parametrize("ref", ["MA-204", "ma204", "MA 204", "ma-204", " Ma_204 ", "tell me about MA-204 please"])
def test_find_course_by_code_variants(catalogue, ref):
    assert catalogue.find_course(ref).code == "MA-204"


@pytest.mark.parametrize(
    ("ref", "code"),
    [
        ("Scheduling and Patient Flow", "MA-204"),
        ("scheduling & patient flow", "MA-204"),
        ("medical biling and codng", "MA-201"),
        ("the practice manager course", "MA-207"),
        ("executive leadership programme", "HM-109"),
    ],
)
def test_find_course_by_title(catalogue, ref, code):
    assert catalogue.find_course(ref).code == code


@pytest.mark.parametrize("ref", ["", "   ", "XX-999", "underwater basket weaving"])
def test_find_course_unknown(catalogue, ref):
    assert catalogue.find_course(ref) is None


def test_alternatives_are_not_needed_when_the_query_finds_courses(catalogue):
    found = catalogue.nearest_alternatives(CourseQuery(text="billing", location="Madrid"), TODAY)
    assert found.relaxed == () and codes(found.matches) == ["MA-201"]


def test_alternatives_drop_the_month_first(catalogue):
    query = CourseQuery(topics=["scheduling and patient flow"], location="Madrid", month=3)
    assert catalogue.search(query, TODAY) == []
    found = catalogue.nearest_alternatives(query, TODAY)
    assert found.relaxed == ("month",)
    assert codes(found.matches) == ["MA-204"]
    assert found.matches[0].next_session.start == date(2027, 4, 26)


def test_alternatives_drop_the_location_when_the_place_has_nothing(catalogue):
    query = CourseQuery(topics=["medical billing and coding"], location="Istanbul", month=3, delivery="classroom")
    found = catalogue.nearest_alternatives(query, TODAY)
    assert found.relaxed == ("location",)
    assert codes(found.matches) == ["MA-201"] and found.matches[0].next_session.city == "Madrid"


def test_alternatives_relax_cumulatively_when_one_filter_is_not_enough(catalogue):
    query = CourseQuery(topics=["medical billing and coding"], location="Istanbul", month=8)
    found = catalogue.nearest_alternatives(query, TODAY, n=1)
    assert found.relaxed == ("month", "location")
    assert codes(found.matches) == ["MA-201"]


def test_alternatives_try_each_filter_alone_before_combining(catalogue):
    query = CourseQuery(topics=["patient records"], location="Vienna", month=3, delivery="classroom")
    found = catalogue.nearest_alternatives(query, TODAY)
    assert found.relaxed == ("month", "location")
    assert set(codes(found.matches)) <= {"MA-202", "MA-205"} and found.found


def test_alternatives_drop_the_topic_last(catalogue):
    query = CourseQuery(topics=["leadership"], field="medical administration", location="London")
    found = catalogue.nearest_alternatives(query, TODAY)
    assert found.relaxed == ("topic",)
    assert found.matches and all(m.course.field == "medical administration" for m in found.matches)
    assert all(s.city == "London" for m in found.matches for s in m.sessions)


def test_alternatives_report_every_filter_dropped_when_nothing_fits(tmp_path):
    path = tmp_path / "courses.yml"
    shutil.copy(BAD_FILES / "no_sessions.yml", path)
    path.write_text(path.read_text().replace("delivery: [classroom]", "delivery: [in-house]"))
    tiny = load_catalogue(path)
    found = tiny.nearest_alternatives(CourseQuery(field="medical administration", location="Paris"), TODAY)
    assert not found.found and found.relaxed == ("location",)


def test_alternatives_for_a_month_come_closest_to_it_first(catalogue):
    query = CourseQuery(month=12, year=2028)
    found = catalogue.nearest_alternatives(query, TODAY)
    assert found.relaxed == ("month",) and found.around == date(2028, 12, 1)
    gaps = [min(abs((s.start - found.around).days) for s in m.sessions) for m in found.matches]
    assert gaps == sorted(gaps) and all(m.sessions[-1].start.year == 2027 for m in found.matches)


def test_alternatives_for_a_budget_are_the_cheapest(catalogue):
    query = CourseQuery(topics=["leadership"], max_fee=500)
    found = catalogue.nearest_alternatives(query, TODAY)
    assert found.relaxed == ("max_fee",) and found.around is None
    fees = [m.lowest_fee for m in found.matches]
    assert fees == sorted(fees)


@pytest.mark.parametrize(
    ("place", "known"),
    [("London", True), ("lisbon", True), ("Spain", True), ("UK", True), ("Europe", True), ("online", True),
     ("Tokyo", False), ("Istanbul", False), ("Leeds", False)],
)  # fmt: skip
def test_knows_place(catalogue, place, known):
    assert catalogue.knows_place(place) is known


def test_understands_subject_words_not_filler(catalogue):
    assert catalogue.understands("billing") and catalogue.understands("hospital budgets")
    assert not catalogue.understands("nursing") and not catalogue.understands("Tokyo")
    assert not catalogue.understands("new first show")  # title and keyword filler says nothing of a subject


def test_venues_say_where_a_subject_runs_whatever_the_place_asked_for(catalogue):
    venues = catalogue.venues(CourseQuery(topics=["medical billing and coding"], location="Tokyo"), TODAY)
    assert venues.cities[0] == "London" and "Madrid" in venues.cities and "Tokyo" not in venues.cities
    assert venues.online and venues.in_house  # MA-201 runs online; IH-302 covers billing in-house
    policy = catalogue.venues(CourseQuery(topics=["financial planning"], delivery="in-house"), TODAY)
    assert not policy.in_house


def test_explain_no_match_tells_an_unknown_place_from_a_known_one(catalogue):
    tokyo = catalogue.explain_no_match(CourseQuery(topics=["leadership"], location="Tokyo"), TODAY)
    assert tokyo.unknown_place and tokyo.alternatives.relaxed == ("location",)
    lisbon = catalogue.explain_no_match(CourseQuery(topics=["leadership"], location="Lisbon", month=3), TODAY)
    assert not lisbon.unknown_place and lisbon.alternatives.relaxed == ("month",)


def test_locations_and_topics(catalogue):
    cities = [loc.city for loc in catalogue.locations(TODAY)]
    assert "London" in cities and "Madrid" in cities and "Online" not in cities
    assert len(cities) == len(set(cities)) >= 10
    assert catalogue.topics() == list(TOPICS)
