"""Defects 12 and 13: the gateway listens on loopback, and Rasa's telemetry is off, unless the operator says otherwise.

Before: the gateway bound 0.0.0.0 by default, and no process was told
RASA_TELEMETRY_ENABLED=false, so the first ``make run`` printed Rasa's telemetry
banner and the processes reported usage.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.runtime.stack import Stack, process_specs
from bot.settings import PROJECT_ROOT, Settings


def test_the_gateway_binds_loopback_by_default():
    assert Settings.from_env({}).gateway_host == "127.0.0.1"


def test_a_public_address_is_an_explicit_setting():
    assert Settings.from_env({"GATEWAY_HOST": "0.0.0.0"}).gateway_host == "0.0.0.0"


def test_no_process_make_run_starts_listens_on_a_public_address():
    specs = process_specs(Settings.from_env({}), Path("models/m.tar.gz"))
    rasa, actions, _gateway = specs
    assert rasa.command[rasa.command.index("--interface") + 1] == "127.0.0.1"
    assert actions.env["SANIC_HOST"] == "127.0.0.1"


@pytest.mark.parametrize("operator_env", [{}, {"RASA_TELEMETRY_ENABLED": ""}], ids=["unset", "empty"])
def test_every_process_the_stack_starts_has_telemetry_off(tmp_path, operator_env):
    settings = Settings.from_env({"BOT_PROJECT_ROOT": str(tmp_path), **operator_env})
    specs = process_specs(settings, Path("models/m.tar.gz"))
    stack = Stack(specs, settings, base_env={"PATH": os.environ.get("PATH", ""), **operator_env})
    assert [stack.process_environment(spec)["RASA_TELEMETRY_ENABLED"] for spec in specs] == ["false"] * 3
    # ``python -m bot rasa train|test|shell`` runs with this environment.
    assert settings.rasa_environment()["RASA_TELEMETRY_ENABLED"] == "false"


def test_the_operator_can_opt_in():
    settings = Settings.from_env({"RASA_TELEMETRY_ENABLED": "true"})
    assert settings.rasa_environment()["RASA_TELEMETRY_ENABLED"] == "true"


def test_rasa_itself_reads_the_switch_as_off():
    env = {**os.environ, **Settings.from_env({}).rasa_environment()}
    check = "import rasa.telemetry as t; print(t.is_telemetry_enabled())"
    result = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_make_and_ci_run_with_telemetry_off():
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    assert "export RASA_TELEMETRY_ENABLED ?= false" in makefile
