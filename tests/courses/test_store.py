"""The catalogue store: its clock, reloading after staff edits, surviving a broken one."""

from __future__ import annotations

import logging
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.courses.loading import CatalogueError, load_catalogue
from bot.courses.model import CourseQuery
from bot.courses.store import CatalogueStore
from tests.conftest import ROOT
from tests.courses.conftest import COURSES, TODAY

BAD_FILES = ROOT / "tests" / "data" / "catalogue"


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
    with caplog.at_level(logging.ERROR, logger="bot.courses"):
        assert store.find_course("HM-104").sessions[0].start == date(2027, 1, 25)
    assert "course #4 (HM-104): sessions -> 0 -> start" in caplog.text
    assert store.last_error is not None and store.last_error.course == "course #4 (HM-104)"
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="bot.courses"):
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
    with caplog.at_level(logging.ERROR, logger="bot.courses"):
        assert store.find_course("MA-201") is not None
    assert "has gone" in caplog.text


def test_store_checks_the_file_at_most_once_per_interval(live_file, monkeypatch):
    clock = FakeTime()
    store = CatalogueStore(live_file, clock=lambda: TODAY, check_interval=5.0, monotonic=clock)
    loads = []
    real_load = load_catalogue
    monkeypatch.setattr("bot.courses.store.load_catalogue", lambda path: loads.append(path) or real_load(path))
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
