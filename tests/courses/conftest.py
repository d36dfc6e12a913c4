"""The sample catalogue, read on a fixed date, for the tests of ``bot.courses``."""

from __future__ import annotations

from datetime import date

import pytest

from bot.courses.catalogue import Catalogue
from bot.courses.loading import load_catalogue
from tests.conftest import ROOT

COURSES = ROOT / "data" / "courses.yml"
TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(COURSES)
