"""Locations as the catalogue names them: "london", "London, UK" and "central London"
are all "London", so leads can be filtered and counted by place.

A visitor's place is matched against the cities and countries of the course
catalogue (``data/courses.yml``), through the catalogue's own spelling rules
(``normalise_place``: case, accents, "UK" / "England" -> "United Kingdom",
"Lisboa" -> "Lisbon"). A place the catalogue does not know is kept as typed
(trimmed): nothing a visitor said is lost.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Mapping
from pathlib import Path

from bot.courses.catalogue import Catalogue
from bot.courses.loading import CatalogueError, load_catalogue
from bot.courses.vocabulary import normalise_place

logger = logging.getLogger(__name__)

CATALOGUE_PATH = Path(__file__).resolve().parent.parent / "data" / "courses.yml"
_PARTS = re.compile(r"\s*(?:,|;|/|\(|\)|\s-\s)\s*")


def place_names(catalogue: Catalogue) -> dict[str, str]:
    """Normalised spelling -> the catalogue's name, for every session's city and country."""
    names: dict[str, str] = {}
    for course in catalogue.courses:
        for session in course.sessions:
            for name in (session.city, session.country):
                names.setdefault(normalise_place(name), name)
    return names


def catalogue_location(text: str | None, names: Mapping[str, str]) -> str | None:
    """``text`` as the catalogue names the place: the whole text, else its first part that is a
    known place ("London, UK" -> "London"); unknown places are kept as typed."""
    if text is None or not text.strip():
        return text
    whole = normalise_place(text)
    if whole in names:
        return names[whole]
    for part in _PARTS.split(text):
        if part.strip() and normalise_place(part) in names:
            return names[normalise_place(part)]
    return " ".join(text.split())


class _CataloguePlaces:
    """The catalogue's place names, read again when courses.yml changes; a broken file keeps the last good names."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: float | None = None
        self._names: dict[str, str] = {}

    def names(self) -> dict[str, str]:
        try:
            stamp = os.stat(self.path).st_mtime
        except OSError:
            return self._names
        with self._lock:
            if stamp != self._stamp:
                self._stamp = stamp
                try:
                    self._names = place_names(load_catalogue(self.path))
                except CatalogueError as error:
                    logger.error("places: %s; keeping the place names read before", error)
            return self._names


_catalogue_places = _CataloguePlaces(CATALOGUE_PATH)


def normalise_location(text: str | None) -> str | None:
    """A lead's location as the catalogue names it (see the module's docstring)."""
    return catalogue_location(text, _catalogue_places.names())
