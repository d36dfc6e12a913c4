"""Loading the catalogue: bad files are rejected with a message a staff member can act
on, and the real catalogue loads."""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from bot.courses.catalogue import Catalogue
from bot.courses.loading import CatalogueError, load_catalogue
from bot.courses.vocabulary import FIELDS, TOPICS
from tests.conftest import ROOT
from tests.courses.conftest import COURSES, TODAY

BAD_FILES = ROOT / "tests" / "data" / "catalogue"


def codes(matches) -> list[str]:
    return [m.course.code for m in matches]


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
