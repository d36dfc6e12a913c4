"""Office hours: reading HANDOFF_HOURS, open or closed at a given moment, and when the office next opens."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.office_hours import InvalidOfficeHours, parse_office_hours, when_in_words
from bot.settings import Settings, SettingsError

WEEKDAYS = parse_office_hours("Mon-Fri 09:00-17:30")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (utc(2026, 12, 2, 8, 59), False),  # Wednesday, before nine in London (GMT in winter)
        (utc(2026, 12, 2, 9, 0), True),
        (utc(2026, 12, 2, 17, 29), True),
        (utc(2026, 12, 2, 17, 30), False),  # closing time itself is closed
        (utc(2026, 12, 5, 12, 0), False),  # Saturday
        (utc(2026, 7, 1, 8, 30), True),  # 09:30 in London in summer (BST)
    ],
)
def test_open_in_london_time(moment, open_):
    assert WEEKDAYS.is_open(moment) is open_


def test_next_opening_after_friday_evening_is_monday_morning():
    friday_evening = utc(2026, 12, 4, 18, 0)
    opening = WEEKDAYS.next_opening(friday_evening)
    assert (opening.strftime("%A %H:%M"), str(opening.tzinfo)) == ("Monday 09:00", "Europe/London")
    assert when_in_words(opening, friday_evening) == "on Monday at 09:00"
    tuesday_night = utc(2026, 12, 1, 22, 0)
    assert when_in_words(WEEKDAYS.next_opening(tuesday_night), tuesday_night) == "tomorrow at 09:00"
    early = utc(2026, 12, 2, 7, 0)
    assert when_in_words(WEEKDAYS.next_opening(early), early) == "today at 09:00"


def test_several_spans_always_and_never():
    hours = parse_office_hours("Mon-Thu 09:00-17:30; Fri 10:00-16:00, sat 10:00-12:00")
    assert hours.is_open(utc(2026, 12, 4, 15, 0)) and not hours.is_open(utc(2026, 12, 4, 16, 30))
    assert hours.is_open(utc(2026, 12, 5, 11, 0)) and not hours.is_open(utc(2026, 12, 6, 11, 0))
    assert "Monday to Thursday, 09:00 to 17:30" in hours.describe()
    always = parse_office_hours("always")
    assert always.is_open(utc(2026, 12, 6, 3, 0)) and always.is_open(utc(2026, 12, 6, 23, 59))
    never = parse_office_hours("never")
    assert not never.is_open(utc(2026, 12, 2, 12, 0)) and never.next_opening(utc(2026, 12, 2, 12, 0)) is None


def test_other_time_zone():
    new_york = parse_office_hours("Mon-Fri 09:00-17:00", "America/New_York")
    assert not new_york.is_open(utc(2026, 12, 2, 13, 0))  # 08:00 in New York
    assert new_york.is_open(utc(2026, 12, 2, 14, 0))
    assert new_york.describe().endswith("(America/New_York time)")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "give office hours"),
        ("weekdays 9 to 5", "cannot read"),
        ("Mon-Fry 09:00-17:00", "'fry' is not a day"),
        ("Mon-Fri 17:00-09:00", "closing time must be after"),
        ("Fri-Mon 09:00-17:00", "Monday to Sunday"),
        ("Mon 09:75-10:00", "not a time of day"),
        ("Mon 09:00-25:00", "not a time of day"),
    ],
)
def test_unreadable_hours_say_what_is_wrong(text, says):
    with pytest.raises(InvalidOfficeHours, match=says):
        parse_office_hours(text)


def test_settings_read_and_check_the_handoff_variables():
    settings = Settings.from_env({"HANDOFF_HOURS": "Mon-Sat 08:00-20:00", "HANDOFF_TIMEZONE": "Europe/Paris"})
    assert (settings.handoff_hours, settings.handoff_time_zone) == ("Mon-Sat 08:00-20:00", "Europe/Paris")
    assert Settings.from_env({}).handoff_hours == "Mon-Fri 09:00-17:30"
    with pytest.raises(SettingsError, match="HANDOFF_HOURS: .*'fry' is not a day"):
        Settings.from_env({"HANDOFF_HOURS": "Mon-Fry 09:00-17:00"})
    with pytest.raises(SettingsError, match="HANDOFF_TIMEZONE must be a time zone"):
        Settings.from_env({"HANDOFF_TIMEZONE": "Mars/Olympus"})
    with pytest.raises(SettingsError, match="HANDOFF_POLL_SECONDS"):
        Settings.from_env({"HANDOFF_POLL_SECONDS": "soon"})
