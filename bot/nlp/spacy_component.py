"""Rasa's ``SpacyNLP``, made to see the content of the project's spaCy pipeline.

Rasa fingerprints a spaCy pipeline by its path only, so rebuilding it with new
terms (data/entities.yml) would leave every component trained on the old one
in the cache. Here the pipeline's files are hashed: the hash is part of this
node's fingerprint and of the name every downstream component sees, so a
changed pipeline retrains exactly what depends on it, and an unchanged one
retrains nothing.

The class keeps the name ``SpacyNLP`` because Rasa wires the spaCy tokenizer,
featurizer and entity extractor to their model provider by that class name.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils import spacy_utils
from rasa.nlu.utils.spacy_utils import SpacyModel


def _files_signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple(
        (str(path.relative_to(directory)), path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    )


@lru_cache(maxsize=8)
def _content_hash(directory: str, signature: tuple) -> str:
    digest = hashlib.sha256()
    for name, _, _ in signature:
        digest.update(name.encode())
        digest.update((Path(directory) / name).read_bytes())
    return digest.hexdigest()[:16]


def pipeline_hash(model_path: str) -> str:
    """A hash of every file of the pipeline at ``model_path`` ("missing" when it is not there)."""
    directory = Path(model_path)
    if not directory.is_dir():
        return "missing"
    return _content_hash(str(directory.resolve()), _files_signature(directory))


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(spacy_utils.SpacyNLP):
    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        return pipeline_hash(str(config.get("model") or ""))

    def provide(self) -> SpacyModel:
        model = super().provide()
        return SpacyModel(model=model.model, model_name=f"{model.model_name}@{pipeline_hash(model.model_name)}")
