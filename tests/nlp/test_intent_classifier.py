"""The intent classifier stored as arrays (bot/nlp/intent_classifier.py)."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix
from scipy.sparse import random as sparse_random

from bot.nlp.intent_classifier import (
    WEIGHTS_FILE,
    LinearIntentClassifier,
    inverse_document_frequency,
    sentence_features,
    tfidf_rows,
)

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


def featurized(texts_and_intents, width: int = 6, dense: bool = True) -> list[Message]:
    """Messages with sparse (and dense) sentence features, as the featurizers leave them."""
    rng = np.random.default_rng(3)
    messages = []
    for text, intent in texts_and_intents:
        message = Message(data={TEXT: text, INTENT: intent})
        counts = csr_matrix(rng.integers(0, 3, size=(1, width)).astype(float))
        message.add_features(Features(counts, FEATURE_TYPE_SENTENCE, TEXT, "counts"))
        if dense:
            message.add_features(Features(rng.random((1, 2)), FEATURE_TYPE_SENTENCE, TEXT, "dense"))
        messages.append(message)
    return messages


EXAMPLES = [(f"text {i}", ["greet", "ask_skills", "faq_salary"][i % 3]) for i in range(30)]


@pytest.mark.parametrize("dense", [True, False])
def test_features_are_stacked_as_rasas_classifier_stacks_them(tmp_path, dense):
    messages = featurized(EXAMPLES, dense=dense)
    rasas = LogisticRegressionClassifier.create({}, LocalModelStorage(tmp_path), Resource("rasa"), CONTEXT)

    ours = sentence_features(messages)

    np.testing.assert_array_equal(ours.toarray(), rasas._create_X(messages).toarray())


def test_messages_featurized_differently_are_refused():
    messages = featurized(EXAMPLES[:2]) + featurized(EXAMPLES[2:4], dense=False)

    with pytest.raises(ValueError, match="featurize them all alike"):
        sentence_features(messages)


def test_training_fits_the_idf_and_the_weights_on_the_same_tfidf_rows(tmp_path):
    storage = LocalModelStorage(tmp_path)
    classifier = LinearIntentClassifier.create(
        {"weighting": "tfidf", "random_state": 2026}, storage, Resource("intents"), CONTEXT
    )
    messages = featurized(EXAMPLES)

    classifier.train(TrainingData(messages))

    counts = sentence_features(messages)
    np.testing.assert_array_equal(classifier.idf, inverse_document_frequency(counts))
    by_hand = LogisticRegressionClassifier.create({"random_state": 2026}, storage, Resource("by_hand"), CONTEXT)
    by_hand.clf.set_params(C=classifier.clf.C)
    by_hand.clf.fit(tfidf_rows(counts, classifier.idf), [intent for _, intent in EXAMPLES])
    np.testing.assert_allclose(classifier.clf.coef_, by_hand.clf.coef_)
    loaded = LinearIntentClassifier.load({"weighting": "tfidf"}, storage, Resource("intents"), CONTEXT)
    np.testing.assert_array_equal(loaded.clf.coef_, classifier.clf.coef_)


def test_training_on_no_examples_leaves_the_classifier_untrained(tmp_path):
    classifier = LinearIntentClassifier.create({}, LocalModelStorage(tmp_path), Resource("intents"), CONTEXT)

    classifier.train(TrainingData([]))

    assert not hasattr(classifier.clf, "coef_")
