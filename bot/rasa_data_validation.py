"""``python -m bot validate``: Rasa's data validation, strict.

``rasa data validate --fail-on-warnings`` must pass, and every warning it
prints fails the check too, except one kind Rasa cannot know better about:
a response that only code uses looks "not used in any story or rule".
It is accepted only when the response really is used: chosen by
``bot.dialogue.knowledge``, asked by a form (``utter_ask_<slot>``), explained by the
form base (``utter_explain_<slot>``), uttered by Rasa's own default fallback
(``utter_default``), or named in the source of ``actions/`` or ``bot/``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from bot.dialogue.knowledge import all_answer_names
from bot.settings import Settings

WARNING = re.compile(r"UserWarning: (?P<message>.*)")
RESPONSE_NAME = re.compile(r"[\"'](utter_[a-z0-9_]+)[\"']")
UNUSED_UTTERANCE = re.compile(r"The utterance '(?P<name>[^']+)' is not used in any story or rule\.")


def unexpected_warnings(output: str, chosen_in_code: set[str]) -> list[str]:
    problems = []
    for match in WARNING.finditer(output):
        message = match["message"].strip()
        unused = UNUSED_UTTERANCE.fullmatch(message)
        if unused and unused["name"] in chosen_in_code:
            continue
        problems.append(message)
    return problems


def responses_used_in_code(project_root: Path) -> set[str]:
    used = {*all_answer_names(), "utter_default"}
    domain = yaml.safe_load((project_root / "domain.yml").read_text(encoding="utf-8")) or {}
    for form in (domain.get("forms") or {}).values():
        for slot in form.get("required_slots") or []:
            used |= {f"utter_ask_{slot}", f"utter_explain_{slot}"}
    for folder in ("actions", "bot"):
        for source in (project_root / folder).rglob("*.py"):
            used |= set(RESPONSE_NAME.findall(source.read_text(encoding="utf-8")))
    return used


def validate(settings: Settings) -> int:
    command = [sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings"]
    env = {**os.environ, **settings.rasa_environment()}
    result = subprocess.run(command, cwd=settings.project_root, env=env, capture_output=True, text=True)
    output = result.stdout + result.stderr
    problems = unexpected_warnings(output, responses_used_in_code(settings.project_root))
    if result.returncode != 0 or problems:
        print(output, file=sys.stderr)
        for problem in problems:
            print(f"warning: {problem}", file=sys.stderr)
        print("validation failed", file=sys.stderr)
        return 1
    print("rasa data validate --fail-on-warnings: clean (responses used only by code are accounted for)")
    return 0
