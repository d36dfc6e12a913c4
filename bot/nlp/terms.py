"""Domain terms (fields, qualifications, roles, topics, locations) read from
``data/entities.yml``, the single source for Rasa's synonyms and lookup
tables and for the spaCy entity ruler."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


class TermsFileError(ValueError):
    """``data/entities.yml`` cannot be turned into entity patterns."""


@dataclass(frozen=True)
class Term:
    entity: str
    canonical: str
    surface_forms: tuple[str, ...]


def _examples(block: dict, path: Path) -> list[str]:
    text = block.get("examples")
    if not isinstance(text, str):
        raise TermsFileError(f"{path}: block {block!r} has no 'examples' list")
    items = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif line:
            raise TermsFileError(f"{path}: example line {line!r} must start with '- '")
    return items


def load_terms(path: Path) -> list[Term]:
    """Each canonical value of each lookup table, with its synonyms."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise TermsFileError(f"{path}: cannot read terms: {error}") from error
    lookups: dict[str, list[str]] = {}
    synonyms: dict[str, list[str]] = {}
    for block in content.get("nlu", []):
        if "lookup" in block:
            lookups[block["lookup"]] = _examples(block, path)
        elif "synonym" in block:
            synonyms[str(block["synonym"])] = _examples(block, path)
    if not lookups:
        raise TermsFileError(f"{path}: no lookup tables; each entity needs '- lookup: NAME'")
    terms = []
    for entity, canonicals in lookups.items():
        for canonical in canonicals:
            forms = [canonical, *synonyms.get(canonical, [])]
            terms.append(Term(entity, canonical, tuple(dict.fromkeys(forms))))
    known = {t.canonical for t in terms}
    orphans = sorted(set(synonyms) - known)
    if orphans:
        raise TermsFileError(f"{path}: synonyms for values in no lookup table: {', '.join(orphans)}")
    return terms
