"""The project's spaCy pipeline: terms file, patterns, entity ruler."""

import pytest

from bot.nlp.pipeline import build_pipeline, write_pipeline
from bot.nlp.terms import Term, TermsFileError, load_terms


@pytest.fixture(scope="module")
def terms(project_root):
    return load_terms(project_root / "data" / "entities.yml")


@pytest.fixture(scope="module")
def nlp(terms):
    return build_pipeline(terms)


def ents(nlp, text):
    # Rasa lowercases text before spaCy; the ruler's id is the canonical value.
    return [(e.label_, e.ent_id_) for e in nlp(text.lower()).ents]


def test_terms_cover_every_entity_type(terms):
    assert {t.entity for t in terms} == {"field", "qualification", "role", "topic", "location"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What is healthcare management?", [("field", "healthcare management")]),
        ("tell me about med admin", [("field", "medical administration")]),
        ("what do medical administrators do", [("field", "medical administration")]),
        ("is an MHA worth it", [("qualification", "MHA")]),
        ("what does CMOM stand for", [("qualification", "CMOM")]),
        ("could I become a practice manager", [("role", "practice manager")]),
        ("jobs like practice managers", [("role", "practice manager")]),
        ("any courses in Madrid", [("location", "Madrid")]),
    ],
)
def test_entity_ruler_finds_domain_terms(nlp, text, expected):
    assert ents(nlp, text) == expected


def test_lemmas_come_from_lookup_tables(nlp):
    assert [t.lemma_ for t in nlp("courses budgets hospitals")] == ["course", "budget", "hospital"]


def test_pipeline_round_trips_through_disk(nlp, tmp_path):
    import spacy

    target = tmp_path / "pipeline"
    write_pipeline(nlp, target)
    write_pipeline(nlp, target)  # rebuilding over an existing one works
    loaded = spacy.load(target)
    assert ents(loaded, "medical admin jobs") == [("field", "medical administration")]
    assert not target.with_name("pipeline.tmp").exists()


def test_build_is_deterministic(terms):
    first = build_pipeline(terms).get_pipe("entity_ruler").patterns
    second = build_pipeline(terms).get_pipe("entity_ruler").patterns
    assert first == second


def test_terms_file_errors_name_the_problem(tmp_path):
    bad = tmp_path / "entities.yml"
    bad.write_text("nlu:\n- synonym: astrology\n  examples: |\n    - stars\n")
    with pytest.raises(TermsFileError, match="no lookup tables"):
        load_terms(bad)
    bad.write_text("nlu:\n- lookup: field\n  examples: |\n    - hm\n- synonym: astrology\n  examples: |\n    - stars\n")
    with pytest.raises(TermsFileError, match="synonyms for values in no lookup table: astrology"):
        load_terms(bad)
    bad.write_text("nlu: [unclosed")
    with pytest.raises(TermsFileError, match="cannot read terms"):
        load_terms(bad)


def test_terms_keep_canonical_first():
    term = Term("field", "healthcare management", ("healthcare management", "HM"))
    assert term.surface_forms[0] == term.canonical


@pytest.mark.parametrize("text", ["can I pay my bill here", "I write code for a living", "speak to your staff"])
def test_single_words_do_not_match_through_broad_lemmas(nlp, text):
    assert [label for label, _ in ents(nlp, text) if label == "topic"] == []


def test_single_word_terms_match_their_plural(nlp):
    assert ents(nlp, "do you teach budgets") == [("topic", "financial planning")]
