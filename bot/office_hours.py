"""Office hours for the live handoff: ``HANDOFF_HOURS`` such as ``Mon-Fri 09:00-17:30``.

Several spans are separated by ``;`` or ``,`` (``Mon-Thu 09:00-17:30; Fri 09:00-16:00``);
``always`` means any time and ``never`` no time at all (the enquiry form only).
Times are local to ``HANDOFF_TIMEZONE``; ``24:00`` closes at midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SPAN = re.compile(
    r"(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})"
)
EXAMPLE = "Mon-Fri 09:00-17:30"


class InvalidOfficeHours(ValueError):
    """The hours cannot be read; the message says what is wrong and shows an example."""


@dataclass(frozen=True)
class Span:
    weekday: int  # 0 = Monday
    start: int  # minutes after midnight
    end: int  # minutes after midnight, up to 24 * 60


@dataclass(frozen=True)
class OfficeHours:
    spans: tuple[Span, ...]
    time_zone: str = "Europe/London"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        minute = local.hour * 60 + local.minute
        return any(span.weekday == local.weekday() and span.start <= minute < span.end for span in self.spans)

    def next_opening(self, moment: datetime) -> datetime | None:
        """When the office next opens after ``moment`` (local time), or None if it never does."""
        if not self.spans:
            return None
        local = moment.astimezone(self.zone)
        for days_ahead in range(8):
            day = (local + timedelta(days=days_ahead)).date()
            starts = sorted(span.start for span in self.spans if span.weekday == day.weekday())
            for start in starts:
                opening = datetime.combine(day, time(start // 60, start % 60), tzinfo=self.zone)
                if opening > local:
                    return opening
        return None

    def describe(self) -> str:
        """The hours in words, e.g. "Monday to Friday, 09:00 to 17:30 (UK time)"."""
        if not self.spans:
            return "no set hours"
        groups: dict[tuple[int, int], list[int]] = {}
        for span in self.spans:
            groups.setdefault((span.start, span.end), []).append(span.weekday)
        parts = []
        for (start, end), days in groups.items():
            parts.append(f"{_days_in_words(sorted(days))}, {_clock(start)} to {_clock(end)}")
        return "; ".join(parts) + f" ({_zone_in_words(self.time_zone)})"


def parse_office_hours(text: str, time_zone: str = "Europe/London") -> OfficeHours:
    """``text`` as office hours, or InvalidOfficeHours naming the part that is wrong."""
    cleaned = (text or "").strip().lower()
    if cleaned == "always":
        return OfficeHours(tuple(Span(day, 0, 24 * 60) for day in range(7)), time_zone)
    if cleaned == "never":
        return OfficeHours((), time_zone)
    if not cleaned:
        raise InvalidOfficeHours(f"give office hours such as {EXAMPLE!r}, 'always' or 'never'")
    spans: list[Span] = []
    for part in re.split(r"[;,]", cleaned):
        part = part.strip()
        if not part:
            continue
        match = SPAN.fullmatch(part)
        if not match:
            raise InvalidOfficeHours(f"cannot read {part!r}: write days and times like {EXAMPLE!r}")
        first = _weekday(match["first"], part)
        last = _weekday(match["last"], part) if match["last"] else first
        start, end = _minutes(match["start"], part), _minutes(match["end"], part)
        if end <= start:
            raise InvalidOfficeHours(f"in {part!r} the closing time must be after the opening time")
        if last < first:
            raise InvalidOfficeHours(f"in {part!r} the days must run from Monday to Sunday (e.g. Mon-Fri)")
        spans.extend(Span(day, start, end) for day in range(first, last + 1))
    return OfficeHours(tuple(spans), time_zone)


def _weekday(name: str, part: str) -> int:
    if name not in DAYS:
        raise InvalidOfficeHours(f"in {part!r}, {name!r} is not a day: use Mon, Tue, Wed, Thu, Fri, Sat or Sun")
    return DAYS.index(name)


def _minutes(clock: str, part: str) -> int:
    hours, minutes = (int(number) for number in clock.split(":"))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise InvalidOfficeHours(f"in {part!r}, {clock!r} is not a time of day (00:00 to 24:00)")
    return hours * 60 + minutes


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _days_in_words(days: list[int]) -> str:
    if len(days) > 1 and days == list(range(days[0], days[-1] + 1)):
        return f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
    return ", ".join(DAY_NAMES[day] for day in days)


def _zone_in_words(time_zone: str) -> str:
    return "UK time" if time_zone == "Europe/London" else f"{time_zone} time"


def when_in_words(opening: datetime, now: datetime) -> str:
    """ "today at 09:00", "tomorrow at 09:00" or "on Monday at 09:00", in the opening's own zone."""
    local_now = now.astimezone(opening.tzinfo)
    days = (opening.date() - local_now.date()).days
    at = opening.strftime("%H:%M")
    if days == 0:
        return f"today at {at}"
    if days == 1:
        return f"tomorrow at {at}"
    return f"on {DAY_NAMES[opening.weekday()]} at {at}"
