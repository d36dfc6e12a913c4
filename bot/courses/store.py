"""The current catalogue for a long-running process, reloaded when staff edit the file."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from bot.courses.catalogue import Catalogue
from bot.courses.loading import CatalogueError, load_catalogue
from bot.courses.model import Alternatives, Course, CourseQuery, Location, Match, NoMatch

logger = logging.getLogger(__name__)


def london_today() -> date:
    """The academy's date: courses start by UK calendar, whatever the server's zone."""
    try:
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo("Europe/London")).date()
    except Exception:  # no tz database on this machine
        return date.today()


class CatalogueStore:
    """The current catalogue for a long-running process (action server, gateway).

    Staff edit ``courses.yml`` while the bot runs, so the store looks at the
    file's size and mtime at most once every ``check_interval`` seconds and
    re-parses only when they changed. A broken edit is logged and the last
    good catalogue keeps serving; the first load must succeed (raises
    CatalogueError), because there is nothing to fall back on.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        clock: Callable[[], date] = london_today,
        *,
        check_interval: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self.clock = clock
        self.check_interval = check_interval
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._fingerprint = self._stat()
        self._catalogue = load_catalogue(self.path)
        self._checked_at = monotonic()
        self.last_error: CatalogueError | None = None

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size, info.st_ino)

    def refresh(self, force: bool = False) -> bool:
        """Re-read the file if it changed; True when a new catalogue was loaded."""
        now = self._monotonic()
        if not force and now - self._checked_at < self.check_interval:
            return False
        with self._lock:
            self._checked_at = now
            fingerprint = self._stat()
            if fingerprint == self._fingerprint:
                return False
            self._fingerprint = fingerprint  # a broken file is reported once, not on every check
            if fingerprint is None:
                self.last_error = CatalogueError([f"{self.path}: the file has gone"], path=str(self.path))
                logger.error("course catalogue unavailable, still serving the previous one: %s", self.last_error)
                return False
            try:
                catalogue = load_catalogue(self.path)
            except CatalogueError as error:
                self.last_error = error
                logger.error("course catalogue edit rejected, still serving the previous one:\n%s", error)
                return False
            self._catalogue = catalogue
            self.last_error = None
            logger.info("course catalogue reloaded from %s: %d courses", self.path, len(catalogue))
            return True

    @property
    def catalogue(self) -> Catalogue:
        self.refresh()
        return self._catalogue

    def today(self) -> date:
        return self.clock()

    def search(self, query: CourseQuery) -> list[Match]:
        return self.catalogue.search(query, self.clock())

    def nearest_alternatives(self, query: CourseQuery, n: int = 3) -> Alternatives:
        return self.catalogue.nearest_alternatives(query, self.clock(), n)

    def explain_no_match(self, query: CourseQuery, n: int = 3) -> NoMatch:
        return self.catalogue.explain_no_match(query, self.clock(), n)

    def cheapest(self, query: CourseQuery) -> Match | None:
        return self.catalogue.cheapest(query, self.clock())

    def find_course(self, ref: str) -> Course | None:
        return self.catalogue.find_course(ref)

    def locations(self) -> list[Location]:
        return self.catalogue.locations(self.clock())

    def topics(self) -> list[str]:
        return self.catalogue.topics()
