"""The leak checker: test sentences that copy training sentences are found."""

import json
import subprocess
import sys
import textwrap

import pytest

from bot.nlp.leaks import (
    TEST_SETS,
    THRESHOLD,
    Example,
    LeakFinder,
    examples_in,
    is_function_spec,
    load_test_set,
    similarity,
    strip_markup,
    tokens,
    training_examples,
    training_files,
)


def train(*texts: str) -> LeakFinder:
    return LeakFinder([Example(t, "intent", "data/nlu.yml") for t in texts])


def is_leak(finder: LeakFinder, text: str) -> bool:
    return finder.leak(Example(text, "intent", "tests/x.yml")) is not None


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(textwrap.dedent(content), encoding="utf-8")
    return path


# --- normalisation and similarity -------------------------------------------


def test_tokens_ignore_case_punctuation_and_entity_markup():
    assert tokens('What\'s [HM]{"entity": "field", "value": "healthcare management"}??') == ("whats", "hm")
    assert tokens("Tell me about [medical admin](field)!") == ("tell", "me", "about", "medical", "admin")
    assert tokens("day-to-day, £2,000") == ("day", "to", "day", "2", "000")


def test_strip_markup_keeps_the_annotated_text():
    assert strip_markup('courses in [Wien]{"entity": "location", "value": "Vienna"} please') == (
        "courses in Wien please"
    )


def test_similarity_is_jaccard_over_word_sets():
    assert similarity(["a", "b", "c"], ["a", "b", "d"]) == pytest.approx(2 / 4)
    assert similarity(["a", "a", "b"], ["b", "a"]) == 1.0
    assert similarity([], []) == 0.0


# --- what is and is not a leak ----------------------------------------------

FINDER = train(
    "what is healthcare management?",
    "what skills do healthcare managers need for the job in a hospital",
    "I changed my mind",
    "no",
)


@pytest.mark.parametrize(
    "text",
    [
        "What is Healthcare Management",  # case and punctuation only
        "what is [healthcare management](field)??",  # entity markup
        "healthcare management, what is it",  # word order changed, one word added (4 of 5 words)
        "what skills do healthcare managers need for the job in a clinic",  # one word of 12 changed
        "what skills do healthcare managers need for the job in hospital",  # one word dropped
        "hospital the in job the for need managers healthcare do skills what",  # same words, any order
        "i changed my mind",
    ],
)
def test_near_copies_are_leaks(text):
    assert is_leak(FINDER, text)


@pytest.mark.parametrize(
    "text",
    [
        "what does healthcare management mean",  # one word of 4 changed: 3/5 = 0.6
        "which abilities should a hospital manager have",
        "no degree, can i still get into medical administration?",  # contains a short training sentence
        "i've had second thoughts",
    ],
)
def test_fresh_sentences_are_not_leaks(text):
    assert not is_leak(FINDER, text)


def test_a_sentence_sharing_no_word_has_no_closest_example():
    assert FINDER.closest(Example("zebra crossing", "", "t")) is None
    assert FINDER.leak(Example("zebra crossing", "", "t")) is None


def test_threshold_is_inclusive():
    # 4 shared words of 5 distinct: exactly 0.8
    finder = train("a b c d")
    assert similarity(tokens("a b c d e"), tokens("a b c d")) == THRESHOLD
    assert is_leak(finder, "a b c d e")
    assert not is_leak(finder, "a b c e f")


def test_a_leak_names_the_closest_training_example():
    leak = FINDER.leak(Example("what skills do healthcare managers need for the job in a clinic", "ask_skills", "t"))
    assert leak is not None and not leak.exact
    assert leak.closest.text.startswith("what skills do healthcare managers")
    assert leak.similarity == pytest.approx(11 / 13)
    assert "similarity 0.85" in leak.describe()
    exact = FINDER.leak(Example("What is healthcare management", "ask_overview", "t"))
    assert exact is not None and exact.exact and "exact copy" in exact.describe()


# --- reading files ------------------------------------------------------------


def test_training_takes_intent_examples_and_user_turns_not_lookups_or_synonyms(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    write(
        data,
        "nlu.yml",
        """\
        version: "3.1"
        nlu:
        - intent: greet
          examples: |
            - hello there
        - intent: faq/same_thing
          examples: |
            - are [HM]{"entity": "field", "value": "healthcare management"} and med admin the same
        - lookup: field
          examples: |
            - healthcare management
        - synonym: healthcare management
          examples: |
            - hospital management
        - regex: course
          examples: |
            - HM-\\d{3}
        """,
    )
    write(
        data,
        "stories.yml",
        """\
        version: "3.1"
        stories:
        - story: typed
          steps:
          - user: |
              good evening
            intent: greet
          - action: utter_greet
          - intent: thank
        """,
    )
    write(data, "courses.yml", "courses:\n- code: HM-101\n  title: Healthcare management essentials\n")
    found = training_examples(training_files(tmp_path), tmp_path)
    assert [(e.text, e.label, e.source) for e in found] == [
        ("hello there", "greet", "data/nlu.yml"),
        ("are HM and med admin the same", "faq/same_thing", "data/nlu.yml"),
        ("good evening", "greet", "data/stories.yml"),
    ]


def test_test_stories_give_their_user_turns_and_skip_payloads(tmp_path):
    path = write(
        tmp_path,
        "stories.yml",
        """\
        stories:
        - story: s
          steps:
          - user: |
              which skills do [medical admins](field) need?
            intent: ask_skills
          - action: action_answer_question
          - user: |
              /affirm
            intent: affirm
        """,
    )
    assert [(e.text, e.label) for e in examples_in(path)] == [("which skills do medical admins need?", "ask_skills")]


def test_other_formats_give_visitor_texts_under_known_keys(tmp_path):
    conversations = write(
        tmp_path,
        "conversations.yml",
        """\
        conversations:
        - name: swap fields
          turns:
          - user: what do healthcare managers do
            expect: [strategic]
          - user: and medical administrators?
            forbid: [sorry]
        - name: plain list
          turns: ["hi", "/greet", "tell me more"]
        """,
    )
    assert [e.text for e in examples_in(conversations)] == [
        "what do healthcare managers do",
        "and medical administrators?",
        "hi",
        "tell me more",
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"turns": ["i want to enrol", "Will Turner"], "expected_lead": {"name": "Will Turner"}}) + "\n",
        encoding="utf-8",
    )
    assert [e.text for e in examples_in(corpus)] == ["i want to enrol", "Will Turner"]


def test_a_corpus_generated_in_code_is_named_by_module_and_function(tmp_path, monkeypatch):
    source = "def visitor_texts():\n    return ['I changed my mind', '/deny', 'Hope Mills']\n"
    write(tmp_path, "leak_corpus_sample.py", source)
    monkeypatch.syspath_prepend(str(tmp_path))
    examples = load_test_set("leak_corpus_sample:visitor_texts", tmp_path)
    assert [e.text for e in examples] == ["I changed my mind", "Hope Mills"]
    assert [leak.example.text for leak in FINDER.leaks(examples)] == ["I changed my mind"]
    with pytest.raises(LookupError, match="no function"):
        load_test_set("leak_corpus_sample:texts_not_written", tmp_path)


def test_test_sets_that_do_not_exist_yet_are_none(tmp_path):
    assert load_test_set("tests/e2e/not_written_yet.yml", tmp_path) is None
    assert load_test_set("no_such_package.generator:visitor_texts", tmp_path) is None
    assert is_function_spec("tests.e2e.typed_enquiries.generator:visitor_texts")
    assert not is_function_spec("tests/e2e/conversations.yml")


# --- the project's own files and the command ----------------------------------


def test_registered_files_are_all_project_relative_test_files():
    assert "tests/nlu_holdout.yml" in TEST_SETS and "tests/test_stories.yml" in TEST_SETS
    assert all(entry.startswith(("tests/", "tests.")) for entry in TEST_SETS)


def test_project_test_sets_do_not_copy_training_data(project_root):
    finder = LeakFinder(training_examples(training_files(project_root), project_root))
    for entry in TEST_SETS:
        examples = load_test_set(entry, project_root)
        if examples is not None:
            leaks = finder.leaks(examples)
            assert not leaks, "\n".join(leak.describe() for leak in leaks)


def run_checker(project_root, *args):
    return subprocess.run(
        [sys.executable, str(project_root / "bench" / "check_leaks.py"), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_command_reports_counts_and_fails_on_a_leak(project_root, tmp_path):
    leaky = write(
        tmp_path,
        "extra.yml",
        """\
        nlu:
        - intent: greet
          examples: |
            - Hello!
            - salutations, assistant of the academy
        """,
    )
    result = run_checker(project_root, leaky)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{leaky}: 2 examples, 1 leaks" in result.stdout
    assert f"{leaky} [greet] 'Hello!'\n    exact copy of data/" in result.stdout
    assert "tests/nlu_holdout.yml:" in result.stdout


def test_command_refuses_a_missing_file(project_root, tmp_path):
    result = run_checker(project_root, tmp_path / "nope.yml")
    assert result.returncode == 2
    assert "no such test set" in result.stderr
