from datetime import date

import pytest

from bot.settings import Settings, SettingsError


def test_defaults_run_on_a_laptop(tmp_path):
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path)})
    assert settings.tracker_store_url == f"sqlite:///{tmp_path / 'var' / 'tracker.db'}"
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.gateway_port == 8000
    assert settings.require_services is False
    env = settings.rasa_environment()
    assert env["LOCK_STORE_TYPE"] == "in_memory"
    assert env["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:5055/webhook"


def test_several_rasa_and_action_servers_are_listed_with_commas():
    settings = Settings.from_env(
        {
            "RASA_URL": "http://10.0.0.1:5005/, http://10.0.0.2:5005",
            "ACTION_SERVER_URL": "http://10.0.0.1:5055,http://10.0.0.2:5055",
        }
    )
    assert settings.rasa_urls == ("http://10.0.0.1:5005", "http://10.0.0.2:5005")
    assert settings.rasa_url == "http://10.0.0.1:5005"
    env = settings.rasa_environment()
    assert env["ACTION_ENDPOINT_URL"] == "http://10.0.0.1:5055/webhook"
    assert env["ACTION_SERVER_URL"] == "http://10.0.0.1:5055,http://10.0.0.2:5055"


def test_the_conversation_lock_lifetime_reaches_rasa():
    assert Settings.from_env({}).rasa_environment()["TICKET_LOCK_LIFETIME"] == "20"
    assert Settings.from_env({"CONVERSATION_LOCK_SECONDS": "45"}).rasa_environment()["TICKET_LOCK_LIFETIME"] == "45"


def test_redis_url_switches_the_lock_store():
    env = Settings.from_env({"REDIS_URL": "redis://127.0.0.1:6390/3"}).rasa_environment()
    assert (env["LOCK_STORE_TYPE"], env["LOCK_STORE_HOST"], env["LOCK_STORE_PORT"], env["LOCK_STORE_DB"]) == (
        "redis",
        "127.0.0.1",
        "6390",
        "3",
    )


def test_redis_password_reaches_the_lock_store():
    env = Settings.from_env({"REDIS_URL": "redis://:s3cret@10.0.0.5:6379/1"}).rasa_environment()
    assert env["LOCK_STORE_PASSWORD"] == "s3cret"
    assert Settings.from_env({}).rasa_environment()["LOCK_STORE_PASSWORD"] == ""


def test_rediss_url_turns_on_tls_to_redis():
    assert (
        Settings.from_env({"REDIS_URL": "rediss://cache.internal:6380/0"}).rasa_environment()["LOCK_STORE_USE_SSL"]
        == "true"
    )
    assert (
        Settings.from_env({"REDIS_URL": "redis://cache.internal:6379/0"}).rasa_environment()["LOCK_STORE_USE_SSL"] == ""
    )


def test_postgres_tracker_store_url_is_passed_through():
    url = "postgresql://postgres@127.0.0.1:5432/test"
    assert Settings.from_env({"TRACKER_STORE_URL": url}).rasa_environment()["TRACKER_STORE_URL"] == url


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GATEWAY_PORT": "eighty"}, "GATEWAY_PORT must be a whole number"),
        ({"GATEWAY_PORT": "0"}, "GATEWAY_PORT must be at least 1"),
        ({"UPSTREAM_TIMEOUT": "-1"}, "UPSTREAM_TIMEOUT must be greater than zero"),
        ({"REDIS_URL": "http://localhost"}, "REDIS_URL must start with redis://"),
        ({"RASA_URL": "127.0.0.1:5005"}, "RASA_URL must list base URLs like http://"),
        ({"RASA_URL": "http://a:5005,http://a:5005"}, "RASA_URL lists http://a:5005 twice"),
        ({"RASA_URL": " , "}, "RASA_URL must list at least one URL"),
        ({"ACTION_SERVER_URL": "http://a:fifty"}, "ACTION_SERVER_URL has a URL with an invalid port"),
        ({"CONVERSATION_LOCK_SECONDS": "1"}, "CONVERSATION_LOCK_SECONDS must be at least 5"),
    ],
)
def test_bad_values_are_named_in_the_error(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_require_services_flag():
    assert Settings.from_env({"BOT_REQUIRE_SERVICES": "1"}).require_services is True
    assert Settings.from_env({"BOT_REQUIRE_SERVICES": "0"}).require_services is False


def test_a_wrong_redis_url_is_not_echoed_with_its_password():
    with pytest.raises(SettingsError, match="REDIS_URL must start with redis://") as error:
        Settings.from_env({"REDIS_URL": "http://:s3cret-pass@cache.internal:6379/0"})
    assert "s3cret-pass" not in str(error.value)


def test_bot_today_fixes_the_catalogue_date():
    assert Settings.from_env({"BOT_TODAY": "2026-12-02"}).today == date(2026, 12, 2)
    assert Settings.from_env({}).today is None


def test_bot_today_that_is_not_an_iso_date_is_refused():
    with pytest.raises(SettingsError, match="BOT_TODAY must be a date written YYYY-MM-DD"):
        Settings.from_env({"BOT_TODAY": "2/12/2026"})
