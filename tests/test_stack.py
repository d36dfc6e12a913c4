"""The processes make run starts: addresses, and Rasa through bot.rasa_runtime."""

from pathlib import Path

from bot.settings import Settings
from bot.stack import latest_model, process_specs, run_forever


def test_rasa_runs_through_the_runtime_that_answers_when_actions_fail(tmp_path):
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path)})
    rasa, actions, gateway = process_specs(settings, Path("models/m.tar.gz"))
    assert rasa.command[1:4] == ["-m", "bot.rasa_runtime", "run"]
    assert rasa.command[rasa.command.index("--interface") + 1] == "127.0.0.1"
    assert rasa.public_url == "http://127.0.0.1:5005/webhooks/rest/webhook"
    assert actions.env == {"SANIC_HOST": "127.0.0.1"}
    assert actions.ready_url == "http://127.0.0.1:5055/health"
    assert gateway.public_url == "http://localhost:8000/"


def test_latest_model_is_the_newest_archive(tmp_path):
    import os

    assert latest_model(tmp_path) is None
    old, new = tmp_path / "a.tar.gz", tmp_path / "b.tar.gz"
    old.write_bytes(b"")
    new.write_bytes(b"")
    os.utime(old, (1, 1))
    assert latest_model(tmp_path) == new


def test_make_run_refuses_to_start_with_a_broken_catalogue(tmp_path, capsys):
    (tmp_path / "data").mkdir()
    broken = Path(__file__).resolve().parent / "data" / "catalogue" / "bad_field.yml"
    (tmp_path / "data" / "courses.yml").write_text(broken.read_text())
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path)})
    assert run_forever(settings) == 2
    error = capsys.readouterr().err
    assert "courses.yml" in error and "HM-101" in error and "field" in error
    assert not (tmp_path / "var" / "log").exists()  # nothing was started
