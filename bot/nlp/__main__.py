"""``python -m bot.nlp build``: build the spaCy pipeline into models/spacy/."""

from __future__ import annotations

import argparse
import sys

from bot.nlp.pipeline import build_pipeline, write_pipeline
from bot.nlp.terms import TermsFileError, load_terms
from bot.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.nlp")
    parser.add_argument("command", choices=["build"])
    parser.parse_args(argv)
    settings = Settings.from_env()
    terms_file = settings.project_root / "data" / "entities.yml"
    try:
        terms = load_terms(terms_file)
    except TermsFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    nlp = build_pipeline(terms)
    write_pipeline(nlp, settings.spacy_model_dir)
    print(f"spaCy pipeline with {len(terms)} domain terms written to {settings.spacy_model_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
