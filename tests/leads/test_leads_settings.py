"""The leads settings: database URL, link period, privacy notice."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError


def test_defaults(tmp_path):
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'var' / 'leads.db'}"
    assert settings.lead_link_days == 30
    assert settings.privacy_notice_url == "/privacy"
    assert settings.privacy_notice_version


def test_values_from_the_environment(tmp_path):
    settings = Settings.from_env(
        {
            "BOT_VAR_DIR": str(tmp_path / "data"),
            "LEAD_LINK_DAYS": "14",
            "PRIVACY_NOTICE_VERSION": "2027-01",
            "PRIVACY_NOTICE_URL": "https://example.org/privacy",
        }
    )
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'leads.db'}"
    assert (settings.lead_link_days, settings.privacy_notice_version, settings.privacy_notice_url) == (
        14,
        "2027-01",
        "https://example.org/privacy",
    )


@pytest.mark.parametrize("url", ["postgresql://postgres@127.0.0.1:5432/test", "postgresql+psycopg2://u@h/db"])
def test_postgresql_urls_are_accepted(url):
    assert Settings.from_env({"DATABASE_URL": url}).database_url == url


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "mysql://user:secret@host/db"}, "DATABASE_URL must start with sqlite:/// or postgresql://"),
        ({"DATABASE_URL": "leads.db"}, "DATABASE_URL must start with sqlite:/// or postgresql://"),
        ({"LEAD_LINK_DAYS": "a month"}, "LEAD_LINK_DAYS must be a whole number"),
        ({"LEAD_LINK_DAYS": "-1"}, "LEAD_LINK_DAYS must be at least 0"),
    ],
)
def test_bad_values_are_named(env, message):
    with pytest.raises(SettingsError, match=message) as error:
        Settings.from_env(env)
    assert "secret" not in str(error.value)
