"""The console's and notifications' settings: environment names, defaults, clear errors."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError


def test_defaults():
    settings = Settings.from_env({})
    assert (settings.staff_session_hours, settings.staff_session_idle_minutes) == (8, 60)
    assert (settings.login_max_failures, settings.login_ip_max_failures, settings.login_lock_minutes) == (5, 20, 15)
    assert settings.staff_time_zone == "Europe/London"
    assert settings.public_base_url == "http://localhost:8000"
    assert settings.notification_channels() == ()
    assert (settings.smtp_port, settings.smtp_starttls) == (587, True)
    assert (settings.notify_max_attempts, settings.notify_retry_seconds, settings.notify_poll_seconds) == (8, 30, 10)


def test_every_variable_is_read():
    settings = Settings.from_env(
        {
            "STAFF_SESSION_HOURS": "4",
            "STAFF_SESSION_IDLE_MINUTES": "20",
            "LOGIN_MAX_FAILURES": "3",
            "LOGIN_IP_MAX_FAILURES": "9",
            "LOGIN_LOCK_MINUTES": "30",
            "STAFF_TIME_ZONE": "Europe/Madrid",
            "PUBLIC_BASE_URL": "https://assistant.example/",
            "ADMISSIONS_NOTIFY_EMAIL": "leads@example.org",
            "SMTP_HOST": "smtp.example.org",
            "SMTP_PORT": "465",
            "SMTP_USER": "bot",
            "SMTP_PASSWORD": "pw",
            "SMTP_STARTTLS": "no",
            "SMTP_FROM": "assistant@example.org",
            "NOTIFY_WEBHOOK_URL": "https://hooks.example/leads",
            "NOTIFY_WEBHOOK_SECRET": "shh",
            "NOTIFY_MAX_ATTEMPTS": "4",
            "NOTIFY_RETRY_SECONDS": "5",
            "NOTIFY_POLL_SECONDS": "2.5",
        }
    )
    assert (settings.staff_session_hours, settings.staff_session_idle_minutes) == (4, 20)
    assert (settings.login_max_failures, settings.login_ip_max_failures, settings.login_lock_minutes) == (3, 9, 30)
    assert settings.staff_time_zone == "Europe/Madrid"
    assert settings.public_base_url == "https://assistant.example"
    assert settings.notification_channels() == ("email", "webhook")
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_user, settings.smtp_password) == (
        "smtp.example.org",
        465,
        "bot",
        "pw",
    )
    assert settings.smtp_starttls is False and settings.smtp_from == "assistant@example.org"
    assert settings.notify_webhook_secret == "shh"
    assert (settings.notify_max_attempts, settings.notify_retry_seconds, settings.notify_poll_seconds) == (4, 5, 2.5)


def test_public_base_url_follows_the_gateway_port():
    assert Settings.from_env({"GATEWAY_PORT": "9000"}).public_base_url == "http://localhost:9000"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ADMISSIONS_NOTIFY_EMAIL": "leads@example.org"}, "ADMISSIONS_NOTIFY_EMAIL is set but SMTP_HOST is not"),
        ({"ADMISSIONS_NOTIFY_EMAIL": "leads", "SMTP_HOST": "h"}, "ADMISSIONS_NOTIFY_EMAIL must be an email address"),
        ({"NOTIFY_WEBHOOK_URL": "ftp://x"}, "NOTIFY_WEBHOOK_URL must be an http:// or https:// URL"),
        ({"PUBLIC_BASE_URL": "assistant.example"}, "PUBLIC_BASE_URL must be an http:// or https:// URL"),
        ({"SMTP_STARTTLS": "maybe"}, "SMTP_STARTTLS must be true or false"),
        ({"STAFF_TIME_ZONE": "Mars/Olympus"}, "STAFF_TIME_ZONE must be a time zone"),
        ({"LOGIN_MAX_FAILURES": "0"}, "LOGIN_MAX_FAILURES must be at least 1"),
        ({"NOTIFY_RETRY_SECONDS": "-1"}, "NOTIFY_RETRY_SECONDS must be greater than zero"),
    ],
)
def test_bad_values_are_named(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_a_webhook_secret_in_the_url_is_not_echoed():
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"NOTIFY_WEBHOOK_URL": "gopher://user:topsecret@hooks"})
    assert "topsecret" not in str(error.value)
