"""bot.courses.references: which course a visitor means, against the sample catalogue."""

from __future__ import annotations

from datetime import date

import pytest

from bot.courses.references import course_by_topic, is_payload, resolve_course_reference, shown_course_named
from bot.courses.store import CatalogueStore
from tests.courses.conftest import COURSES


@pytest.fixture(scope="module")
def store() -> CatalogueStore:
    return CatalogueStore(COURSES, clock=lambda: date(2026, 11, 26))


def code(course) -> str | None:
    return course.code if course is not None else None


@pytest.mark.parametrize(
    ("reference", "payload"), [("/ask_course_details", True), ("MA-201", False), ("that one", False), ("", False)]
)
def test_is_payload(reference, payload):
    assert is_payload(reference) is payload


@pytest.mark.parametrize(
    ("text", "shown", "course", "named_a_topic"),
    [
        ("the billing course", [], "MA-201", True),  # the best match, clearly ahead
        ("the billing course", ["MA-208"], "MA-208", True),  # one already shown wins over a better score
        ("the leadership one", ["HM-109", "MA-201"], "HM-109", True),
        ("the leadership one", [], None, True),  # HM-103, HM-109 and IH-301 tie: no guess
        ("that one", ["MA-201"], None, False),
    ],
)
def test_course_by_topic(store, text, shown, course, named_a_topic):
    found, named = course_by_topic(store, text, shown)

    assert (code(found), named) == (course, named_a_topic)


@pytest.mark.parametrize(
    ("reference", "shown", "last_course", "course"),
    [
        ("MA-204", ["MA-201"], "MA-208", "MA-204"),  # a code wins over everything in view
        ("what about patient record management?", [], "MA-208", "MA-202"),  # so does a title
        ("the billing course", ["MA-208", "HM-101"], None, "MA-208"),  # then a topic
        ("tell me more about that one", ["MA-201", "MA-202"], "MA-208", "MA-208"),  # then the last course
        ("that one", ["MA-202"], None, "MA-202"),  # or the only course shown
        ("that one", ["MA-201", "MA-202"], None, None),  # several shown: unclear
        ("/ask_course_details", ["MA-201"], None, "MA-201"),  # a payload is not searched as words
        ("", [], "MA-204", "MA-204"),
        ("the leadership one", [], "MA-201", None),  # a topic named but unclear: not the last course instead
        ("the astronaut course", [], None, None),
    ],
)
def test_resolve_course_reference(store, reference, shown, last_course, course):
    assert code(resolve_course_reference(store, reference, shown, last_course)) == course


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tell me more about Medical Office Administration", "MA-203"),
        ("and ma-207?", "MA-207"),
        ("and ma 207?", "MA-207"),
        ("medical office administration please", "MA-203"),
        ("tell me more about Medical Billing and Coding", None),  # not in the list shown
        ("tell me more about medical administration", None),  # a field, not a whole title
        ("/ask_course_details", None),
    ],
)
def test_a_shown_course_is_named_by_code_or_whole_title(store, text, expected):
    assert code(shown_course_named(store, text, ["MA-203", "MA-207"])) == expected
