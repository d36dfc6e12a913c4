"""Finds test sentences that copy training sentences.

A score on test sentences means something only if the model has not seen
them. A test example *leaks* when, after normalisation (lower case, Rasa's
entity markup reduced to its text, apostrophes dropped, every other
punctuation mark read as a space), either

- its words are the training example's words, in the same order (``exact``), or
- its word-set similarity with a training example is at least ``THRESHOLD``.

Word-set similarity is the Jaccard index of the two sets of distinct words,
``|A & B| / |A | B|``: word order and repeated words do not count, and one
changed word in a sentence of n distinct words gives (n-1)/(n+1), so it is a
leak from nine words on; one added word gives n/(n+1), a leak from four words
on. Character-based ratios such as rapidfuzz's ``token_set_ratio`` were not
chosen because they score any sentence containing all of a short training
sentence's words as 1.0 ("no" against "no degree, can i still apply?").

Training sentences are the ``intent:`` examples of every NLU file under
``data/`` (retrieval sub-intents such as ``faq/...`` included; lookup, synonym
and regex blocks are terms, not sentences) and the ``user:`` turns of its
stories and rules. Button payloads (``/intent{...}``) are not sentences either.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

THRESHOLD = 0.8

# Test sets checked by `bench/check_leaks.py` (and so by `make test`). Add a new
# one here; one that does not exist yet is skipped with a note. An entry is
#
# - a path relative to the project root: Rasa NLU (`nlu:` with `intent:`
#   examples), Rasa stories (`stories:` / `rules:` with `user:` steps), or any
#   other YAML, JSON or JSON-lines file, read by `conversation_texts`; or
# - `package.module:function` for a corpus generated in code: the function
#   takes no argument and returns the visitor's texts (an iterable of str).
TEST_SETS: tuple[str, ...] = (
    "tests/nlu_holdout.yml",
    "tests/nlu_fresh.yml",
    "tests/nlu_fresh2.yml",
    "tests/nlu_fresh3.yml",
    "tests/nlu_fresh4.yml",
    "tests/nlu_fresh5.yml",
    "tests/nlu_fresh6.yml",
    "tests/nlu_fresh7.yml",
    "tests/nlu_fresh8.yml",
    "tests/test_stories.yml",
    "tests/e2e/conversations.yml",
    "tests/e2e/conversations_fresh.yml",
    "tests/e2e/conversations_fresh2.yml",
    "tests.e2e.typed_enquiries.generator:typed_texts_to_check",
)

TRAINING_DIR = "data"

_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\}|\[[^\]]*\])")
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NON_WORD = re.compile(r"[^\w\s]|_")

# Keys whose string values are what a visitor types, and keys whose list of
# strings is a visitor's turns, in files that are neither NLU nor stories.
USER_TEXT_KEYS = frozenset({"user", "visitor", "user_text", "typed"})
USER_TURN_LIST_KEYS = frozenset({"turns", "user_turns", "messages"})


@dataclass(frozen=True)
class Example:
    text: str  # as written, entity markup removed
    label: str  # the intent, when the file names one
    source: str  # file the example comes from

    @property
    def words(self) -> tuple[str, ...]:
        return tokens(self.text)


@dataclass(frozen=True)
class Leak:
    example: Example
    closest: Example
    similarity: float
    exact: bool

    def describe(self) -> str:
        kind = "exact copy" if self.exact else f"similarity {self.similarity:.2f}"
        return (
            f"{self.example.source} [{self.example.label or '-'}] {self.example.text!r}\n"
            f"    {kind} of {self.closest.source} [{self.closest.label or '-'}] {self.closest.text!r}"
        )


def strip_markup(text: str) -> str:
    """Rasa's `[text](entity)` / `[text]{...}` annotations reduced to the text."""
    return _MARKUP.sub(r"\1", text)


def tokens(text: str) -> tuple[str, ...]:
    """The words of a sentence: lower case, no markup, no punctuation."""
    text = _APOSTROPHES.sub("", strip_markup(text).lower())
    return tuple(_NON_WORD.sub(" ", text).split())


def similarity(a: Iterable[str], b: Iterable[str]) -> float:
    """Jaccard index of the two word sets; 0.0 when both are empty."""
    set_a, set_b = set(a), set(b)
    union = set_a | set_b
    return len(set_a & set_b) / len(union) if union else 0.0


def _is_sentence(text: str) -> bool:
    text = text.strip()
    return bool(text) and not text.startswith("/") and bool(tokens(text))


def _example_lines(examples: object) -> Iterator[str]:
    """The `examples:` of an NLU block: a `- ` list in one string, or a list of `text:` items."""
    if isinstance(examples, str):
        for line in examples.splitlines():
            line = line.strip()
            if line.startswith("- "):
                yield line[2:].strip()
    elif isinstance(examples, list):
        for item in examples:
            text = item.get("text") if isinstance(item, dict) else item
            if isinstance(text, str):
                yield text.strip()


def nlu_examples(document: dict, source: str) -> list[Example]:
    """`intent:` examples of an NLU document (lookup, synonym and regex blocks are not sentences)."""
    found = []
    for block in document.get("nlu") or []:
        if isinstance(block, dict) and "intent" in block:
            for text in _example_lines(block.get("examples")):
                if _is_sentence(text):
                    found.append(Example(strip_markup(text), str(block["intent"]), source))
    return found


def story_turns(document: dict, source: str) -> list[Example]:
    """`user:` steps of the stories and rules in a document, labelled with their `intent:`."""
    found = []
    for key in ("stories", "rules"):
        for story in document.get(key) or []:
            for step in (story or {}).get("steps") or []:
                text = step.get("user") if isinstance(step, dict) else None
                if isinstance(text, str) and _is_sentence(text):
                    found.append(Example(strip_markup(text.strip()), str(step.get("intent") or ""), source))
    return found


def conversation_texts(document: object, source: str) -> list[Example]:
    """Visitor texts anywhere in a document of another shape.

    Takes string values under the keys in ``USER_TEXT_KEYS`` and the strings in
    lists under ``USER_TURN_LIST_KEYS``, at any depth. A turn given as a
    mapping (``- user: ...``) is found through its own key.
    """
    found: list[Example] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in USER_TEXT_KEYS and isinstance(value, str):
                    if _is_sentence(value):
                        found.append(Example(strip_markup(value.strip()), "", source))
                elif key in USER_TURN_LIST_KEYS and isinstance(value, list):
                    for item in value:
                        if isinstance(item, str):
                            if _is_sentence(item):
                                found.append(Example(strip_markup(item.strip()), "", source))
                        else:
                            walk(item)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document)
    return found


def _load(path: Path) -> list[object]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return [yaml.safe_load(text)]  # YAML is a superset of JSON


def examples_in(path: Path, source: str | None = None) -> list[Example]:
    """Every visitor sentence in a test file, whatever its format."""
    source = source or str(path)
    found: list[Example] = []
    for document in _load(path):
        if isinstance(document, dict) and ("nlu" in document or "stories" in document or "rules" in document):
            found += nlu_examples(document, source) + story_turns(document, source)
        else:
            found += conversation_texts(document, source)
    return found


def training_examples(files: Iterable[Path], root: Path | None = None) -> list[Example]:
    """Intent examples and story/rule user turns of the training files."""
    found: list[Example] = []
    for path in files:
        source = str(path.relative_to(root)) if root else str(path)
        for document in _load(path):
            if isinstance(document, dict):
                found += nlu_examples(document, source) + story_turns(document, source)
    return found


def training_files(root: Path) -> list[Path]:
    """Every YAML file under `data/` (files without NLU or stories add nothing)."""
    data = root / TRAINING_DIR
    return sorted(p for p in data.rglob("*") if p.suffix in {".yml", ".yaml"})


class LeakFinder:
    """Compares test examples against one set of training examples."""

    def __init__(self, training: list[Example], threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._training = [(ex, ex.words, frozenset(ex.words)) for ex in training if ex.words]
        self._exact = {}
        self._postings: dict[str, list[int]] = defaultdict(list)  # word -> training examples that have it
        for index, (ex, words, word_set) in enumerate(self._training):
            self._exact.setdefault(words, ex)
            for word in word_set:
                self._postings[word].append(index)

    def closest(self, example: Example) -> tuple[Example, float, bool] | None:
        """The most similar training example (an exact copy first), its similarity, and whether it is exact.

        None when no training example shares a word with it.
        """
        words = example.words
        if words in self._exact:
            return self._exact[words], 1.0, True
        word_set = frozenset(words)
        shared = Counter(index for word in word_set for index in self._postings.get(word, ()))
        best: tuple[Example, float, bool] | None = None
        for index, common in sorted(shared.items()):  # training order breaks ties
            train, _, train_set = self._training[index]
            score = common / (len(word_set) + len(train_set) - common)
            if best is None or score > best[1]:
                best = (train, score, False)
        return best

    def leak(self, example: Example) -> Leak | None:
        found = self.closest(example)
        if found is None:
            return None
        train, score, exact = found
        if exact or score >= self.threshold:
            return Leak(example, train, score, exact)
        return None

    def leaks(self, examples: Iterable[Example]) -> list[Leak]:
        return [leak for leak in map(self.leak, examples) if leak is not None]


def is_function_spec(entry: str) -> bool:
    """`package.module:function`, as opposed to a file path."""
    module, sep, function = entry.partition(":")
    dotted = module.replace(".", "").replace("_", "")
    return bool(sep) and "/" not in entry and dotted.isalnum() and function.isidentifier()


def examples_from_function(spec: str) -> list[Example] | None:
    """The texts a `package.module:function` returns; None when the module does not exist yet.

    Raises LookupError when the module exists but the function does not: a
    registered corpus must not silently go unchecked.
    """
    module_name, _, function_name = spec.partition(":")
    try:
        if importlib.util.find_spec(module_name) is None:
            return None
    except ModuleNotFoundError:  # a parent package is missing
        return None
    function = getattr(importlib.import_module(module_name), function_name, None)
    if not callable(function):
        raise LookupError(f"{module_name} has no function {function_name}()")
    texts = function()
    return [Example(strip_markup(t.strip()), "", spec) for t in texts if isinstance(t, str) and _is_sentence(t)]


def load_test_set(entry: str, root: Path) -> list[Example] | None:
    """The examples of one `TEST_SETS` entry (or command-line argument); None when it does not exist yet."""
    if is_function_spec(entry) and not (root / entry).exists():
        return examples_from_function(entry)
    path = Path(entry) if Path(entry).is_absolute() else root / entry
    if not path.exists():
        return None
    try:
        name = str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        name = str(path)
    return examples_in(path, name)
