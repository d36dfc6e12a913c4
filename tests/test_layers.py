"""Imports point one way (design.md, "Layout"): a package imports only its own layer or lower ones.

Read from the source with ``ast``, so a lazy import inside a function counts
as much as one at the top. A new package or top-level module must be given a
layer here, which is the moment to decide where it sits.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

# Lowest first. Everything may use the first layer.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset(
        {"settings", "privacy", "private_files", "places", "courses", "organisations", "office_hours", "gateway_secret"}
    ),
    frozenset({"cli_output", "storage"}),
    frozenset({"leads"}),
    frozenset({"staff"}),
    frozenset({"dialogue"}),
    frozenset({"handoff"}),
    frozenset({"nlp", "rasa_data_validation"}),
    frozenset({"runtime"}),  # the processes and the rotation over upstream servers
    frozenset({"web"}),
    frozenset({"cli", "__main__", "__init__"}),
)
RANK = {unit: rank for rank, layer in enumerate(LAYERS) for unit in layer}


def unit_of(path: Path) -> str:
    """The package (``bot/leads/...`` -> ``leads``) or top-level module (``bot/privacy.py`` -> ``privacy``)."""
    return path.relative_to(ROOT / "bot").with_suffix("").parts[0]


def imported_bot_units(path: Path) -> set[str]:
    units = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "bot":
                units.update(alias.name for alias in node.names)
            elif node.module.startswith("bot."):
                units.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            units.update(alias.name.split(".")[1] for alias in node.names if alias.name.startswith("bot."))
    return units


def test_every_package_has_a_layer():
    units = {unit_of(path) for path in (ROOT / "bot").rglob("*.py")}
    assert units - RANK.keys() == set(), "give each new package a layer in tests/test_layers.py"


def test_no_import_points_upward():
    upward = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        unit = unit_of(path)
        for imported in imported_bot_units(path) - {unit}:
            if RANK.get(imported, len(LAYERS)) > RANK[unit]:
                upward.append(f"{path.relative_to(ROOT)}: {unit} -> {imported}")
    assert upward == []


def test_bot_never_imports_the_actions():
    offenders = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if any(name == "actions" or name.startswith("actions.") for name in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_checker_sees_an_upward_import(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("from bot.web.app import create_app\n\ndef later():\n    import bot.staff.audit\n")

    assert imported_bot_units(module) == {"web", "staff"}
