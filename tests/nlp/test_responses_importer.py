"""data/responses.yml reaches the domain, never the NLU training data: a text edit retrains no model."""

from __future__ import annotations

import shutil

import pytest
import yaml
from rasa.shared.importers.importer import TrainingDataImporter


def load(root):
    return TrainingDataImporter.load_from_config(
        str(root / "config.yml"), str(root / "domain.yml"), [str(root / "data")]
    )


EXAMPLES_KEPT = 3


def few_examples_per_intent(nlu_text: str) -> str:
    """data/nlu.yml with its first few examples per intent: what the importer does does not depend on how
    many there are, and Rasa's schema check of all 6,000 took a minute per load on a busy machine."""
    kept, count, in_intent = [], 0, False
    for line in nlu_text.splitlines(keepends=True):
        if line.startswith("- "):
            in_intent, count = line.startswith("- intent:"), 0
        elif in_intent and line.startswith("    - "):
            count += 1
            if count > EXAMPLES_KEPT:
                continue
        kept.append(line)
    return "".join(kept)


@pytest.fixture
def project_copy(project_root, tmp_path):
    for name in ("config.yml", "domain.yml"):
        shutil.copy(project_root / name, tmp_path / name)
    shutil.copytree(project_root / "data", tmp_path / "data")
    nlu = tmp_path / "data" / "nlu.yml"
    nlu.write_text(few_examples_per_intent(nlu.read_text(encoding="utf-8")), encoding="utf-8")
    return tmp_path


def test_the_copy_keeps_every_intent_with_a_few_examples(project_root, project_copy):
    def examples(root):
        return yaml.safe_load((root / "data" / "nlu.yml").read_text(encoding="utf-8"))["nlu"]

    full = {block["intent"]: block["examples"] for block in examples(project_root) if "intent" in block}
    trimmed = {block["intent"]: block["examples"] for block in examples(project_copy) if "intent" in block}

    assert trimmed.keys() == full.keys()
    assert all(0 < trimmed[i].count("\n- ") + 1 <= EXAMPLES_KEPT for i in trimmed)
    assert all(full[i].startswith(trimmed[i].rstrip("\n")) for i in trimmed)


def test_every_response_is_in_the_domain_and_none_in_the_nlu_data(project_copy):
    written = yaml.safe_load((project_copy / "data" / "responses.yml").read_text(encoding="utf-8"))["responses"]
    importer = load(project_copy)

    assert set(written) <= set(importer.get_domain().responses)
    assert "utter_default" in importer.get_domain().responses  # domain.yml's own responses stay
    assert importer.get_nlu_data().responses == {}
    assert importer.get_nlu_data().intent_examples


def test_a_changed_response_text_leaves_the_nlu_fingerprint_alone(project_copy):
    before = load(project_copy).get_nlu_data().fingerprint()
    path = project_copy / "data" / "responses.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["responses"]["utter_faq_visa"][0]["text"] = "A different text about visas."
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    importer = load(project_copy)

    assert importer.get_domain().responses["utter_faq_visa"][0]["text"] == "A different text about visas."
    assert importer.get_nlu_data().fingerprint() == before


def test_a_changed_training_example_changes_the_nlu_fingerprint(project_copy):
    before = load(project_copy).get_nlu_data().fingerprint()
    path = project_copy / "data" / "nlu.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "- intent: goodbye\n  examples: |\n", "- intent: goodbye\n  examples: |\n    - farewell for today\n", 1
        ),
        encoding="utf-8",
    )

    assert load(project_copy).get_nlu_data().fingerprint() != before
