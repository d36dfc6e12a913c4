"""The course catalogue: bad files are rejected with a message a staff member
can act on, the real catalogue loads, and searches answer what visitors ask."""

from __future__ import annotations

import logging
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from bot.catalogue import (
    FIELDS,
    TOPICS,
    Catalogue,
    CatalogueError,
    CatalogueStore,
    CourseQuery,
    load_catalogue,
    normalise_place,
    normalise_words,
)

ROOT = Path(__file__).resolve().parent.parent
COURSES = ROOT / "data" / "courses.yml"
BAD_FILES = Path(__file__).resolve().parent / "data" / "catalogue"
TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(COURSES)


def codes(matches) -> list[str]:
    return [m.course.code for m in matches]


def search(catalogue: Catalogue, today: date = TODAY, **query) -> list:
    return catalogue.search(CourseQuery(**query), today)


# ---------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("name", "course", "field", "problem", "line"),
    [
        ("missing_field.yml", "course #2 (HM-102)", "title", "field required", 16),
        ("missing_code.yml", "course #1", "code", "field required", 3),
        ("bad_field.yml", "course #1 (HM-101)", "field", "permitted: 'healthcare management'", 5),
        ("bad_date.yml", "course #3 (MA-204)", "sessions -> 0 -> start", "invalid date format", 40),
        ("impossible_date.yml", "course #1 (MA-204)", "sessions -> 1 -> start", "day is out of range", 15),
        ("negative_fee.yml", "course #1 (MA-201)", "sessions -> 1 -> fee_gbp", "greater than 0", 15),
        ("duplicate_code.yml", "course #2 (HM-101)", "code", "already used by course #1", 16),
        ("unknown_delivery.yml", "course #1 (MA-206)", "delivery -> 1", "permitted: 'classroom'", 12),
        ("no_sessions.yml", "course #1 (HM-104)", "sessions", "add in-house", 13),
        ("unknown_topic.yml", "course #1 (HM-104)", "topics", "unknown topic 'nursing'", 6),
        ("duplicate_key.yml", "course #1 (HM-104)", "title", "appears twice", 6),
    ],
)
def test_bad_file_names_file_course_field_and_line(name, course, field, problem, line):
    path = BAD_FILES / name
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {course}: {field}: ")
    assert problem in message
    assert message.endswith(f"(line {line})")
    assert (caught.value.course, caught.value.field, caught.value.line) == (course, field, line)


def test_yaml_syntax_error_names_file_and_line():
    path = BAD_FILES / "yaml_syntax.yml"
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: line 15, column 16: invalid YAML")
    assert "starts on line 14" in message  # where the unclosed { is
    assert caught.value.line == 15


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    text = (BAD_FILES / "bad_date.yml").read_text()
    text = text.replace("fee_gbp: 4650", "fee_gbp: -4650").replace("field: medical administration", "field: nursing", 1)
    path = tmp_path / "courses.yml"
    path.write_text(text)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert len(caught.value.problems) == 3
    assert "course #1 (HM-101): sessions -> 0 -> fee_gbp" in caught.value.problems[0]
    assert "course #2 (MA-201): field" in caught.value.problems[1]
    assert "course #3 (MA-204): sessions -> 0 -> start" in caught.value.problems[2]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "the file is empty"),
        ("- just a list\n", "the top level must be a mapping"),
        ("nlu:\n  - intent: greet\n", "unknown top-level key 'nlu'"),
        ("courses: []\n", "courses: must be a non-empty list"),
        ("courses:\n  - just words\n", "course #1: must be a mapping of fields, got str"),
    ],
)
def test_wrong_file_shapes_are_explained(tmp_path, content, expected):
    path = tmp_path / "courses.yml"
    path.write_text(content)
    with pytest.raises(CatalogueError, match=expected) as caught:
        load_catalogue(path)
    assert str(caught.value).startswith(f"{path}: ")


def test_missing_file_is_a_catalogue_error(tmp_path):
    with pytest.raises(CatalogueError, match="cannot read the catalogue"):
        load_catalogue(tmp_path / "nowhere.yml")


def test_yaml_booleans_in_text_fields_get_a_hint(tmp_path):
    path = tmp_path / "courses.yml"
    path.write_text(
        (BAD_FILES / "bad_field.yml")
        .read_text()
        .replace("nursing", "healthcare management")
        .replace("country: United Kingdom", "country: NO")
    )
    with pytest.raises(CatalogueError, match=r"sessions -> 0 -> country: str type expected .*put the value in quotes"):
        load_catalogue(path)


def test_online_session_must_say_online_for_city_and_country(tmp_path):
    text = (
        (BAD_FILES / "negative_fee.yml").read_text().replace("-1850", "1850").replace("country: Online", "country: UK")
    )
    path = tmp_path / "courses.yml"
    path.write_text(text)
    with pytest.raises(CatalogueError, match=r"course #1 \(MA-201\): sessions -> 1 -> country: online sessions use"):
        load_catalogue(path)


def test_online_session_needs_online_delivery(tmp_path):
    text = (
        (BAD_FILES / "negative_fee.yml")
        .read_text()
        .replace("-1850", "1850")
        .replace("[classroom, online]", "[classroom]")
    )
    path = tmp_path / "courses.yml"
    path.write_text(text)
    with pytest.raises(CatalogueError, match=r"course #1 \(MA-201\): sessions: session 1 .* is online but delivery"):
        load_catalogue(path)


def test_catalogue_built_in_code_also_rejects_duplicate_codes(catalogue):
    with pytest.raises(ValidationError, match="repeats the code"):
        Catalogue(courses=(catalogue.courses[0], catalogue.courses[0]))


# ---------------------------------------------------------------- the real file


def test_real_catalogue_loads_and_is_marked_as_sample(catalogue):
    assert len(catalogue) >= 20
    assert "SAMPLE" in COURSES.read_text().splitlines()[0]
    assert set(yaml.safe_load(COURSES.read_text())) == {"courses"}  # so Rasa ignores it
    assert catalogue.sample  # so visitors see its dates and fees marked as sample data


def test_a_catalogue_without_the_sample_line_is_the_real_one(tmp_path):
    path = tmp_path / "courses.yml"
    lines = COURSES.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in lines if "SAMPLE" not in line))
    assert not load_catalogue(path).sample


def test_real_catalogue_covers_both_fields_every_topic_and_in_house(catalogue):
    assert {c.field for c in catalogue.courses} == set(FIELDS)
    assert catalogue.topics() == list(TOPICS)
    in_house = [c for c in catalogue.courses if "in-house" in c.delivery]
    assert len(in_house) >= 2 and {c.field for c in in_house} == set(FIELDS)


def test_real_catalogue_has_past_sessions_and_a_course_with_none_ahead(catalogue):
    starts = [s.start for c in catalogue.courses for s in c.sessions]
    assert any(start < TODAY for start in starts)
    assert any(c.sessions and not c.upcoming_sessions(TODAY) for c in catalogue.courses)
    assert any(not c.sessions for c in catalogue.courses)


# ---------------------------------------------------------------- normaliser


def test_normaliser_joins_word_forms():
    assert normalise_words("Budgets") == normalise_words("budgeting") == normalise_words("budget")
    assert normalise_words("scheduling") == normalise_words("schedules")
    assert normalise_words("coding") == normalise_words("codes")
    assert normalise_words("organization") == normalise_words("organisations")
    assert normalise_words("policies") == normalise_words("policy")
    assert normalise_words("managers") == normalise_words("management")
    assert normalise_words("health care") == normalise_words("healthcare")
    assert normalise_words("a course about the staff") == normalise_words("staff")


def test_place_names_fold_case_accents_and_aliases():
    assert normalise_place("  MADRID ") == "madrid"
    assert normalise_place("Genève") == normalise_place("Geneva")
    assert normalise_place("UK") == "united kingdom"
    assert normalise_place("the Netherlands") == "netherlands"


# ---------------------------------------------------------------- search


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


# ---------------------------------------------------------------- find_course


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


# ---------------------------------------------------------------- alternatives, listings


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


# ---------------------------------------------------------------- store: clock and reloading


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def bump_mtime(path: Path) -> None:
    """Make sure the edit is visible even on filesystems with coarse timestamps."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))


@pytest.fixture
def live_file(tmp_path) -> Path:
    path = tmp_path / "courses.yml"
    shutil.copy(COURSES, path)
    return path


def test_store_uses_its_clock(live_file):
    store = CatalogueStore(live_file, clock=lambda: date(2026, 11, 1), check_interval=0)
    quality = store.search(CourseQuery(text="patient safety"))[0]
    assert quality.next_session.start == date(2026, 11, 9)
    store.clock = lambda: TODAY
    assert store.search(CourseQuery(text="patient safety"))[0].next_session.start == date(2027, 1, 11)
    assert store.today() == TODAY


def test_store_reloads_after_the_file_changes(live_file):
    store = CatalogueStore(live_file, clock=lambda: TODAY, check_interval=0)
    assert store.find_course("HM-102").title == "Healthcare Financial Planning and Budgeting"
    live_file.write_text(live_file.read_text().replace("Healthcare Financial Planning and Budgeting", "Money Matters"))
    bump_mtime(live_file)
    assert store.find_course("HM-102").title == "Money Matters"
    assert store.search(CourseQuery(text="money"))[0].course.title == "Money Matters"


def test_store_keeps_the_last_good_catalogue_after_a_broken_edit(live_file, caplog):
    store = CatalogueStore(live_file, clock=lambda: TODAY, check_interval=0)
    good = live_file.read_text()
    live_file.write_text(good.replace("start: 2027-01-25", "start: 25/01/2027"))
    bump_mtime(live_file)
    with caplog.at_level(logging.ERROR, logger="bot.catalogue"):
        assert store.find_course("HM-104").sessions[0].start == date(2027, 1, 25)
    assert "course #4 (HM-104): sessions -> 0 -> start" in caplog.text
    assert store.last_error is not None and store.last_error.course == "course #4 (HM-104)"
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="bot.catalogue"):
        store.search(CourseQuery(text="strategy"))  # same broken file: not parsed or logged again
    assert caplog.text == ""
    live_file.write_text(good.replace("fee_gbp: 5150", "fee_gbp: 5250"))
    bump_mtime(live_file)
    assert store.find_course("HM-104").sessions[1].fee_gbp == 5250
    assert store.last_error is None


def test_store_first_load_must_succeed(tmp_path):
    path = tmp_path / "courses.yml"
    shutil.copy(BAD_FILES / "bad_date.yml", path)
    with pytest.raises(CatalogueError, match="course #3"):
        CatalogueStore(path)


def test_store_survives_the_file_disappearing(live_file, caplog):
    store = CatalogueStore(live_file, clock=lambda: TODAY, check_interval=0)
    live_file.unlink()
    with caplog.at_level(logging.ERROR, logger="bot.catalogue"):
        assert store.find_course("MA-201") is not None
    assert "has gone" in caplog.text


def test_store_checks_the_file_at_most_once_per_interval(live_file, monkeypatch):
    clock = FakeTime()
    store = CatalogueStore(live_file, clock=lambda: TODAY, check_interval=5.0, monotonic=clock)
    loads = []
    real_load = load_catalogue
    monkeypatch.setattr("bot.catalogue.load_catalogue", lambda path: loads.append(path) or real_load(path))
    for _ in range(50):
        store.search(CourseQuery(text="billing"))
    assert loads == []  # unchanged file: never re-parsed per search
    live_file.write_text(live_file.read_text().replace("Medical Billing and Coding", "Billing and Coding Basics"))
    bump_mtime(live_file)
    clock.now += 4.0
    assert store.find_course("MA-201").title == "Medical Billing and Coding"  # not looked at yet
    clock.now += 1.5
    assert store.find_course("MA-201").title == "Billing and Coding Basics"
    assert len(loads) == 1
    clock.now += 10
    store.search(CourseQuery(text="billing"))
    assert len(loads) == 1
