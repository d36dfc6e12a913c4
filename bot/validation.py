"""``python -m bot validate``: Rasa's data validation, strict.

``rasa data validate --fail-on-warnings`` must pass, and every warning it
prints fails the check too, except one kind it cannot know better about:
responses that ``action_answer_question`` chooses in code (bot.knowledge)
are "not used in any story or rule" as far as Rasa can see.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from bot.knowledge import all_answer_names
from bot.settings import Settings

WARNING = re.compile(r"UserWarning: (?P<message>.*)")
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


def validate(settings: Settings) -> int:
    command = [sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings"]
    env = {**os.environ, **settings.rasa_environment()}
    result = subprocess.run(command, cwd=settings.project_root, env=env, capture_output=True, text=True)
    output = result.stdout + result.stderr
    problems = unexpected_warnings(output, set(all_answer_names()))
    if result.returncode != 0 or problems:
        print(output, file=sys.stderr)
        for problem in problems:
            print(f"warning: {problem}", file=sys.stderr)
        print("validation failed", file=sys.stderr)
        return 1
    print(f"rasa data validate --fail-on-warnings: clean ({len(all_answer_names())} answers chosen in code)")
    return 0
