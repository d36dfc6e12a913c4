"""The intent classifier stored as arrays (bot/nlp/intent_classifier.py)."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from scipy.sparse import random as sparse_random

from bot.nlp.intent_classifier import WEIGHTS_FILE, LinearIntentClassifier

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
            assert sorted(arrays.files) == ["classes", "coef", "intercept"]


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
