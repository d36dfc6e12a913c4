"""The README's "Adding an intent" example works when pasted.

Its snippets are pasted, as a reader would, into a copy of the files that
``python -m bot validate`` reads, and the strict validation must pass there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Adding an intent"
FENCE = re.compile(r"^(?P<indent> *)```yaml\n(?P<body>.*?)^(?P=indent)```", re.MULTILINE | re.DOTALL)
# What `bot validate` reads: Rasa's data and config, and the code that names responses.
VALIDATED = ("data", "domain.yml", "config.yml", "bot", "actions")


def readme_snippets() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(SECTION)
    end = readme.index("\n## ", start + len(SECTION))
    # Only the list item's indentation goes (the fence's): the rest is what the file needs.
    return [unindent(match["body"], len(match["indent"])) for match in FENCE.finditer(readme[start:end])]


def unindent(body: str, width: int) -> str:
    lines = body.splitlines(keepends=True)
    assert all(line[:width].strip() == "" for line in lines), "a README snippet line is left of its fence"
    return "".join(line[width:] if line.strip() else "\n" for line in lines)


def snippet(snippets: list[str], pattern: str) -> str:
    found = [text for text in snippets if re.search(pattern, text, re.MULTILINE)]
    assert len(found) == 1, f"expected one README snippet matching {pattern!r}, found {len(found)}"
    return found[0]


def copy_project(target: Path) -> None:
    for name in VALIDATED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)


def append(path: Path, text: str) -> None:
    content = path.read_text(encoding="utf-8")
    path.write_text(content.rstrip("\n") + "\n\n" + text, encoding="utf-8")


def paste_readme_example(project: Path) -> None:
    snippets = readme_snippets()
    append(project / "data" / "nlu.yml", snippet(snippets, r"^- intent: ask_language$"))
    domain = project / "domain.yml"
    intents_line = "\nintents:\n"
    text = domain.read_text(encoding="utf-8")
    assert intents_line in text, "domain.yml has no top-level intents: list to paste into"
    domain.write_text(text.replace(intents_line, intents_line + snippet(snippets, r"^ +- ask_language$"), 1))
    append(project / "data" / "responses.yml", snippet(snippets, r"^ +utter_language:$"))
    append(project / "data" / "rules.yml", snippet(snippets, r"^ +- rule: "))


@pytest.mark.timeout(300)  # Rasa's validation loads the whole domain and data: tens of seconds, more when busy
def test_the_add_an_intent_example_validates_when_pasted(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    copy_project(project)
    paste_readme_example(project)

    # The snippets landed where the README says, as YAML (not as text inside another key).
    domain = yaml.safe_load((project / "domain.yml").read_text(encoding="utf-8"))
    assert "ask_language" in domain["intents"]
    responses = yaml.safe_load((project / "data" / "responses.yml").read_text(encoding="utf-8"))["responses"]
    assert responses["utter_language"][0]["buttons"][0]["payload"] == "/recommend_course"
    rules = yaml.safe_load((project / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    assert {"intent": "ask_language"} in rules[-1]["steps"]
    nlu = yaml.safe_load((project / "data" / "nlu.yml").read_text(encoding="utf-8"))["nlu"]
    assert any(item.get("intent") == "ask_language" for item in nlu)

    env = {**os.environ, "BOT_PROJECT_ROOT": str(project), "BOT_VAR_DIR": str(tmp_path / "var")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "validate"], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
