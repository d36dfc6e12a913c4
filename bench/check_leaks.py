"""Fail when a test set copies the training data.

    .venv/bin/python bench/check_leaks.py [EXTRA ...] [--threshold 0.8]

Checks every test set in ``TEST_SETS`` (``bot/nlp/leaks.py``; registered sets
that do not exist yet are skipped) and every file or ``package.module:function``
named on the command line against the training sentences under ``data/``.
Prints, per test set, the number of examples and leaks, then every leak with
its closest training example. Exits 1 on any leak, 2 when a test set named on
the command line does not exist or a
registered function is missing. Needs no trained model and no Rasa import,
so `make test` runs it before training.

A leak is a test sentence whose words, lower-cased and without punctuation,
equal a training sentence's, or whose word-set (Jaccard) similarity with one
is at least the threshold; see ``bot/nlp/leaks.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.nlp.leaks import TEST_SETS, THRESHOLD, LeakFinder, load_test_set, training_examples, training_files  # noqa: E402


def _project_relative(entry: str) -> str:
    """A file argument as `TEST_SETS` would name it, so that no set is checked twice."""
    path = Path(entry)
    if not path.exists():
        return entry
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path.resolve())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("extra", nargs="*", help="more test files (or package.module:function) to check")
    parser.add_argument("--threshold", type=float, default=THRESHOLD, help=f"word-set similarity (default {THRESHOLD})")
    args = parser.parse_args(argv)

    extra = [_project_relative(e) for e in args.extra]
    try:
        sets = {entry: load_test_set(entry, ROOT) for entry in [*TEST_SETS, *extra]}
    except LookupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    missing = [entry for entry in extra if sets[entry] is None]
    if missing:
        print(f"error: no such test set: {', '.join(missing)}", file=sys.stderr)
        return 2

    training = training_examples(training_files(ROOT), ROOT)
    finder = LeakFinder(training, args.threshold)
    print(f"training sentences: {len(training)} (data/), leak threshold: word-set similarity >= {args.threshold}")

    all_leaks = []
    for entry, examples in sets.items():
        if examples is None:
            print(f"  {entry}: skipped (does not exist yet)")
            continue
        leaks = finder.leaks(examples)
        all_leaks += leaks
        print(f"  {entry}: {len(examples)} examples, {len(leaks)} leaks")

    if all_leaks:
        print(f"\n{len(all_leaks)} leaks (test sentence, then its closest training sentence):")
        for leak in all_leaks:
            print(leak.describe())
        print("\nFAIL: rewrite these test sentences in new words (do not add them to data/).", file=sys.stderr)
        return 1
    print("OK: no test sentence copies the training data")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
