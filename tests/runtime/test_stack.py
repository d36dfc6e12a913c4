"""The processes make run starts: addresses, and Rasa through bot.runtime.rasa_runtime."""

import sys
from pathlib import Path

import pytest

from bot.runtime.stack import ProcessSpec, Stack, StackError, cluster_problems, latest_model, process_specs, run_forever
from bot.settings import Settings
from tests.browser.gateway_process import free_ports
from tests.conftest import ROOT


def test_rasa_runs_through_the_runtime_that_answers_when_actions_fail(tmp_path):
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path)})
    rasa, actions, gateway = process_specs(settings, Path("models/m.tar.gz"))
    assert rasa.command[1:4] == ["-m", "bot.runtime.rasa_runtime", "run"]
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
    broken = ROOT / "tests" / "data" / "catalogue" / "bad_field.yml"
    (tmp_path / "data" / "courses.yml").write_text(broken.read_text())
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path)})
    assert run_forever(settings) == 2
    error = capsys.readouterr().err
    assert "courses.yml" in error and "HM-101" in error and "field" in error
    assert not (tmp_path / "var" / "log").exists()  # nothing was started


CLUSTER = {
    "RASA_URL": "http://127.0.0.1:5005,http://127.0.0.1:5006",
    "ACTION_SERVER_URL": "http://127.0.0.1:5055,http://127.0.0.1:5056",
    "TRACKER_STORE_URL": "postgresql://postgres@127.0.0.1:5432/test",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_every_listed_server_gets_its_own_process(tmp_path):
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path), **CLUSTER})
    specs = process_specs(settings, Path("models/m.tar.gz"))

    assert [spec.name for spec in specs] == [
        "Rasa server 1",
        "Rasa server 2",
        "Action server 1",
        "Action server 2",
        "Gateway",
    ]
    rasa_ports = [spec.command[spec.command.index("--port") + 1] for spec in specs[:2]]
    assert rasa_ports == ["5005", "5006"]
    assert [spec.ready_url for spec in specs[2:4]] == ["http://127.0.0.1:5055/health", "http://127.0.0.1:5056/health"]
    # Each Rasa server knows every action server, to spread custom actions over them.
    assert specs[0].env["ACTION_SERVER_URL"] == specs[1].env["ACTION_SERVER_URL"] == CLUSTER["ACTION_SERVER_URL"]
    assert specs[0].env["LOCK_STORE_TYPE"] == "redis"
    assert cluster_problems(settings) == []


def test_several_rasa_servers_need_the_shared_stores(tmp_path):
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path), "RASA_URL": CLUSTER["RASA_URL"]})
    problems = cluster_problems(settings)

    assert any("REDIS_URL" in problem for problem in problems)
    assert any("TRACKER_STORE_URL" in problem for problem in problems)
    assert cluster_problems(Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path)})) == []


def test_only_local_servers_can_be_started(tmp_path):
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path), **CLUSTER, "RASA_URL": "http://rasa-1:5005"})
    assert cluster_problems(settings) == [
        "http://rasa-1:5005: this command starts local processes; give 127.0.0.1 and a port"
    ]


def test_make_run_explains_a_cluster_without_shared_stores(tmp_path, capsys):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "courses.yml").write_text((ROOT / "data" / "courses.yml").read_text())
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.tar.gz").write_bytes(b"")
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path), "RASA_URL": CLUSTER["RASA_URL"]})

    assert run_forever(settings) == 2
    assert "set REDIS_URL" in capsys.readouterr().err
    assert not (tmp_path / "var" / "log").exists()


def slow_server(name: str, port: int, delay: float = 1.0) -> ProcessSpec:
    """A process that answers HTTP only after ``delay`` seconds, like a server loading its model."""
    serve = f"http.server.test(http.server.SimpleHTTPRequestHandler, port={port}, bind='127.0.0.1')"
    code = f"import time, http.server; time.sleep({delay}); {serve}"
    url = f"http://127.0.0.1:{port}/"
    return ProcessSpec(name=name, command=[sys.executable, "-c", code], ready_url=url, public_url=url)


def test_processes_start_side_by_side_and_each_records_when_it_answered(tmp_path):
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path)})
    specs = [slow_server(f"server {number}", port) for number, port in enumerate(free_ports(2), start=1)]

    with Stack(specs, settings, start_timeout=60) as stack:
        running = list(stack.running)
        assert all(process.ready_after is not None for process in running)
        # Every process was launched before the first one answered: nobody waited for another to load.
        first_answer = min(process.launched_at + process.ready_after for process in running)
        assert max(process.launched_at for process in running) < first_answer
    assert all(process.popen.poll() is not None for process in running)


def test_a_process_that_exits_stops_the_start_and_the_others(tmp_path):
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path)})
    (port,) = free_ports(1)
    crashing = ProcessSpec("Crashing server", [sys.executable, "-c", "raise SystemExit(3)"], "http://127.0.0.1:9/", "")
    stack = Stack([slow_server("Slow server", port, delay=30), crashing], settings, start_timeout=60)

    with pytest.raises(StackError, match="Crashing server exited with code 3"):
        with stack:
            pass
    assert stack.running == []
