"""The intent classifier stored as arrays (bot/nlp/intent_classifier.py)."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from scipy.sparse import csr_matrix
from scipy.sparse import random as sparse_random

from bot.nlp.intent_classifier import WEIGHTS_FILE, LinearIntentClassifier, inverse_document_frequency, tfidf_rows

CONTEXT = ExecutionContext(GraphSchema({}), node_name="intent_classifier")


def fitted(tmp_path, intents: list[str]) -> tuple[LinearIntentClassifier, LocalModelStorage, object]:
    storage = LocalModelStorage(tmp_path)
    classifier = LinearIntentClassifier.create({"random_state": 2026}, storage, Resource("intents"), CONTEXT)
    features = sparse_random(60, 40, density=0.2, format="csr", random_state=7)
    labels = [intents[i % len(intents)] for i in range(60)]
    classifier.clf.fit(features, labels)
    classifier.persist()
    return classifier, storage, features


@pytest.mark.parametrize("intents", [["greet", "ask_skills", "faq_salary"], ["affirm", "deny"]])
def test_a_loaded_classifier_predicts_exactly_as_the_trained_one(tmp_path, intents):
    trained, storage, features = fitted(tmp_path, intents)

    loaded = LinearIntentClassifier.load({}, storage, Resource("intents"), CONTEXT)

    assert list(loaded.clf.classes_) == sorted(intents)
    np.testing.assert_array_equal(loaded.clf.predict_proba(features), trained.clf.predict_proba(features))


def test_the_weights_are_plain_arrays_not_pickles(tmp_path):
    _, storage, _ = fitted(tmp_path, ["greet", "goodbye", "thank"])

    with storage.read_from(Resource("intents")) as directory:
        with np.load(directory / WEIGHTS_FILE, allow_pickle=False) as arrays:
            assert sorted(arrays.files) == ["classes", "coef", "idf", "intercept"]


def test_nothing_trained_gives_an_untrained_classifier_as_rasa_does(tmp_path):
    loaded = LinearIntentClassifier.load({}, LocalModelStorage(tmp_path), Resource("never_trained"), CONTEXT)

    assert not hasattr(loaded.clf, "coef_")


def test_weights_that_do_not_fit_together_are_refused(tmp_path):
    storage = LocalModelStorage(tmp_path)
    with storage.write_to(Resource("intents")) as directory:
        np.savez(
            directory / WEIGHTS_FILE, coef=np.ones((3, 4)), intercept=np.ones(2), classes=np.array(["a", "b", "c"])
        )

    with pytest.raises(ValueError, match="does not hold a fitted logistic regression"):
        LinearIntentClassifier.load({}, storage, Resource("intents"), CONTEXT)


def test_rasas_defaults_stay_the_defaults(tmp_path):
    classifier = LinearIntentClassifier.create({}, LocalModelStorage(tmp_path), Resource("intents"), CONTEXT)

    assert classifier.config["weighting"] == "counts"
    assert classifier.clf.get_params()["C"] == 1.0


@pytest.mark.parametrize("config", [{"weighting": "bm25"}, {"C": 0}, {"C": -2.5}])
def test_a_bad_setting_is_refused_by_name(tmp_path, config):
    with pytest.raises(ValueError, match="weighting must be|C must be"):
        LinearIntentClassifier.create(config, LocalModelStorage(tmp_path), Resource("intents"), CONTEXT)


def test_tfidf_rows_have_unit_length_and_weigh_rare_features_up():
    counts = csr_matrix(np.array([[3, 1, 0], [1, 0, 0], [1, 0, 2]]))
    idf = inverse_document_frequency(counts)

    rows = tfidf_rows(counts, idf).toarray()

    assert idf[0] < idf[1] == idf[2]  # feature 0 is in every row, 1 and 2 in one each
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0)
    # Sublinear: three of a feature weigh less than three times one.
    assert rows[0, 0] / rows[0, 1] < 3 * idf[0] / idf[1]


def test_the_idf_is_stored_and_a_loaded_tfidf_classifier_predicts_as_the_trained_one(tmp_path):
    storage = LocalModelStorage(tmp_path)
    trained = LinearIntentClassifier.create(
        {"weighting": "tfidf", "C": 10, "random_state": 2026}, storage, Resource("intents"), CONTEXT
    )
    counts = sparse_random(60, 40, density=0.2, format="csr", random_state=7)
    counts.data = np.ceil(counts.data * 3)
    labels = [["greet", "ask_skills", "faq_salary"][i % 3] for i in range(60)]
    trained.idf = inverse_document_frequency(counts)
    trained.clf.fit(tfidf_rows(counts, trained.idf), labels)
    trained.persist()

    loaded = LinearIntentClassifier.load({"weighting": "tfidf"}, storage, Resource("intents"), CONTEXT)

    np.testing.assert_array_equal(loaded.idf, trained.idf)
    np.testing.assert_array_equal(
        loaded.clf.predict_proba(tfidf_rows(counts, loaded.idf)),
        trained.clf.predict_proba(tfidf_rows(counts, trained.idf)),
    )


def test_idf_weights_that_do_not_fit_the_features_are_refused(tmp_path):
    storage = LocalModelStorage(tmp_path)
    with storage.write_to(Resource("intents")) as directory:
        np.savez(
            directory / WEIGHTS_FILE,
            coef=np.ones((3, 4)),
            intercept=np.ones(3),
            classes=np.array(["a", "b", "c"]),
            idf=np.ones(7),
        )

    with pytest.raises(ValueError, match="idf weights do not fit"):
        LinearIntentClassifier.load({}, storage, Resource("intents"), CONTEXT)
