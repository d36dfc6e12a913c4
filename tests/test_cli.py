import pytest

from bot.cli import build_parser, main


def test_unknown_command_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_bad_settings_are_reported_without_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv("GATEWAY_PORT", "abc")
    assert main(["serve"]) == 2
    assert "GATEWAY_PORT must be a whole number" in capsys.readouterr().err


def test_commands_are_listed():
    help_text = build_parser().format_help()
    for command in ("serve", "run", "rasa"):
        assert command in help_text


def test_serve_masks_personal_data_in_the_gateway_logs_before_starting(monkeypatch):
    calls = []

    class FakeApp:
        def run(self, **kwargs):
            calls.append(("run", kwargs["port"]))

    monkeypatch.setenv("GATEWAY_PORT", "8123")
    monkeypatch.setattr("bot.privacy.install_personal_data_filter", lambda: calls.append(("mask", None)))
    monkeypatch.setattr("bot.web.app.create_app", lambda _settings: FakeApp())
    assert main(["serve"]) == 0
    assert calls == [("mask", None), ("run", 8123)]
