"""``python -m bot ...``: the project's command line."""

from __future__ import annotations

import argparse
import os
import sys

from bot.cli_output import EXIT_BAD_INPUT, report_error
from bot.settings import Settings, SettingsError
from bot.staff.cli import register as register_staff
from bot.staff.leads_cli import register as register_leads


def _serve(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.privacy import install_personal_data_filter
    from bot.web.app import create_app

    # Staff search by email (in the URL) and errors may carry contact details: mask them in every log line.
    install_personal_data_filter()
    app = create_app(settings)
    app.run(host=settings.gateway_host, port=settings.gateway_port, access_log=False)
    return 0


def _run(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.runtime.stack import run_forever

    return run_forever(settings)


def _rasa(settings: Settings, args: argparse.Namespace) -> int:
    """Run the Rasa CLI with endpoints.yml's variables filled from settings."""
    env = {**os.environ, **settings.rasa_environment()}
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    os.chdir(settings.project_root)
    os.execvpe(sys.executable, [sys.executable, "-m", "bot.runtime.rasa_runtime", *args.rasa_args], env)
    return 0  # not reached


def _validate(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.rasa_data_validation import validate

    return validate(settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="British Academy assistant")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the public gateway").set_defaults(handler=_serve)
    commands.add_parser("run", help="start Rasa, the action server and the gateway").set_defaults(handler=_run)
    commands.add_parser("validate", help="strict rasa data validation").set_defaults(handler=_validate)
    rasa = commands.add_parser("rasa", help="run a rasa command with the project's environment")
    rasa.add_argument("rasa_args", nargs=argparse.REMAINDER)
    rasa.set_defaults(handler=_rasa)
    register_leads(commands)
    register_staff(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        return report_error(str(error), EXIT_BAD_INPUT)
    return args.handler(settings, args)
