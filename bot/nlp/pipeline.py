"""Builds the spaCy pipeline that Rasa's ``SpacyNLP`` loads by path.

Deterministic: no statistical components and no downloads, so the same
terms file always yields the same pipeline on every machine.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language

from bot.nlp.terms import Term

PIPELINE_NAME = "en_british_academy"


def _blank_with_lemmatizer() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lookup tables from spacy-lookups-data
    nlp.meta["name"] = PIPELINE_NAME.removeprefix("en_")
    nlp.meta["description"] = "British Academy assistant: lookup lemmas and domain entity ruler"
    return nlp


def _plural(word: str) -> str:
    return word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")


def token_patterns(nlp: Language, terms: Iterable[Term]) -> list[dict]:
    """One token pattern per surface form, over lowercased text (Rasa lowercases
    before spaCy). Phrases match on lemmas, so "practice managers" finds
    "practice manager"; single words match on the word or its plural only,
    because their lemmas are too broad ("billing" -> "bill", "staffing" -> "staff")."""
    patterns = []
    seen = set()
    for term in terms:
        for form in term.surface_forms:
            doc = nlp(form.lower())
            if len(doc) == 1:
                word = doc[0].lower_
                pattern = [{"LOWER": {"IN": sorted({word, _plural(word)})}}]
            else:
                pattern = [{"LEMMA": token.lemma_.lower()} for token in doc]
            key = (term.entity, repr(pattern))
            if not len(doc) or key in seen:
                continue
            seen.add(key)
            patterns.append({"label": term.entity, "pattern": pattern, "id": term.canonical})
    return patterns


def build_pipeline(terms: list[Term]) -> Language:
    nlp = _blank_with_lemmatizer()
    patterns = token_patterns(nlp, terms)
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(patterns)
    return nlp


def write_pipeline(nlp: Language, target: Path) -> None:
    """Write atomically so a running Rasa never loads a half-written model."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".tmp")
    if staging.exists():
        shutil.rmtree(staging)
    nlp.to_disk(staging)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
