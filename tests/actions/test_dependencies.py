"""The action server's shared collaborators, built from the settings."""

from datetime import date

from actions import dependencies
from bot.settings import Settings

# The real factory: tests/actions/conftest.py swaps dependencies.catalogue for a fixed store in every test.
build_catalogue = dependencies.catalogue


def test_the_catalogue_is_read_on_the_date_bot_today_fixes(monkeypatch):
    monkeypatch.setattr(dependencies, "settings", lambda: Settings.from_env({"BOT_TODAY": "2027-03-01"}))
    build_catalogue.cache_clear()
    try:
        assert build_catalogue().today() == date(2027, 3, 1)
    finally:
        build_catalogue.cache_clear()


def test_without_bot_today_the_catalogue_follows_the_calendar(monkeypatch):
    monkeypatch.setattr(dependencies, "settings", lambda: Settings.from_env({}))
    build_catalogue.cache_clear()
    try:
        assert build_catalogue().clock.__name__ == "london_today"
    finally:
        build_catalogue.cache_clear()
