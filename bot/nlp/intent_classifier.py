"""Rasa's LogisticRegressionClassifier, stored as plain arrays.

Rasa 3.6 stores the fitted scikit-learn model with skops. Importing
``skops.io`` walks every scikit-learn estimator (pytest included), and
checking and loading the file took about 12 s of a Rasa server's start and
tens of MiB (docs/benchmarks.md, "Where start-up goes"). A fitted logistic
regression is three arrays: the weights, the intercepts and the labels. They
are saved with ``numpy.savez`` and read back with ``allow_pickle=False``, so
loading a model runs no code from the file either.

Two settings Rasa's class lacks, chosen on the dev hold-out
(docs/benchmarks.md, "Single questions"): ``C``, the inverse strength of the
regularisation, and ``weighting: tfidf``, which turns the featurizers' raw
counts into sublinear tf-idf rows of unit length. Raw counts let a long
message's many character n-grams outvote the few words that carry its
meaning; tf-idf weighs rare, telling n-grams up and every row the same.
The idf weights are fitted on the training data and stored with the rest.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.preprocessing import normalize

logger = logging.getLogger(__name__)

WEIGHTS_FILE = "weights.npz"
WEIGHTINGS = ("counts", "tfidf")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(LogisticRegressionClassifier):
    """Intents from a logistic regression on the sparse features, saved as arrays."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # C 1.0 and raw counts are what Rasa's LogisticRegressionClassifier does.
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0, "weighting": "counts"}

    def __init__(self, config: dict[str, Any], *args: Any) -> None:
        super().__init__(config, *args)
        if self.config["weighting"] not in WEIGHTINGS:
            raise ValueError(f"weighting must be one of {', '.join(WEIGHTINGS)}, not {self.config['weighting']!r}")
        if not float(self.config["C"]) > 0:
            raise ValueError(f"C must be a positive number, not {self.config['C']!r}")
        self.clf.set_params(C=float(self.config["C"]))
        self.idf: np.ndarray | None = None

    def train(self, training_data: TrainingData) -> Resource:
        # The feature matrix is built once: Rasa's train() would build it again after the idf.
        self.idf = None
        counts, labels = self._create_training_matrix(training_data)
        if counts.shape[0] == 0:
            logger.debug("no training examples for %s: the classifier stays untrained", self._resource.name)
            return self._resource
        if self.config["weighting"] == "tfidf":
            self.idf = inverse_document_frequency(counts)
            counts = tfidf_rows(counts, self.idf)
        self.clf.fit(counts, labels)
        self.clf.coef_ = np.asfortranarray(self.clf.coef_)  # as load() does
        self.persist()
        return self._resource

    def _create_X(self, messages: list[Message]) -> scipy.sparse.csr_matrix:
        counts = sentence_features(messages)
        if self.idf is None:
            return counts
        return tfidf_rows(counts, self.idf)

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as model_dir:
            np.savez(
                model_dir / WEIGHTS_FILE,
                coef=self.clf.coef_,
                intercept=self.clf.intercept_,
                classes=np.asarray(self.clf.classes_, dtype=str),
                idf=self.idf if self.idf is not None else np.zeros(0),
            )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,  # noqa: ARG003 - Rasa's signature
    ) -> LinearIntentClassifier:
        component = cls(config, execution_context.node_name, model_storage, resource)
        try:
            with model_storage.read_from(resource) as model_dir:
                with np.load(model_dir / WEIGHTS_FILE, allow_pickle=False) as arrays:
                    coef, intercept, classes = arrays["coef"], arrays["intercept"], arrays["classes"]
                    idf = arrays["idf"] if "idf" in arrays.files else np.zeros(0)
        except ValueError:
            # Rasa's own behaviour: no stored weights (nothing was trained) gives an untrained classifier.
            logger.debug("no trained weights for %s in the model: an untrained classifier", resource.name)
            return component
        if coef.ndim != 2 or intercept.shape != (coef.shape[0],) or len(classes) < 2:
            raise ValueError(f"{resource.name}/{WEIGHTS_FILE} does not hold a fitted logistic regression")
        if idf.size not in (0, coef.shape[1]):
            raise ValueError(f"{resource.name}/{WEIGHTS_FILE}: the idf weights do not fit the features")
        # Column-major, so the transposed weights that predictions multiply by are contiguous: scipy
        # copied all of them (48 intents x every n-gram) for each message otherwise.
        component.clf.coef_ = np.asfortranarray(coef)
        component.clf.intercept_ = intercept
        component.clf.classes_ = classes
        component.clf.n_features_in_ = coef.shape[1]
        component.idf = idf if idf.size else None
        return component


def sentence_features(messages: list[Message]) -> scipy.sparse.csr_matrix:
    """One row per message: its sparse sentence features, then its dense ones, as Rasa's class builds them.

    Stacked once for all messages; Rasa's class joins each message's two parts into a matrix of
    its own first, which took most of the classifier's training time on 5,800 examples.
    """
    sparse_rows, dense_rows = [], []
    for message in messages:
        sparse = message.get_sparse_features(attribute=TEXT)[1]
        dense = message.get_dense_features(attribute=TEXT)[1]
        sparse_rows.append(scipy.sparse.csr_matrix(sparse.features) if sparse else None)
        dense_rows.append(scipy.sparse.csr_matrix(dense.features) if dense else None)
    parts = []
    for rows in (sparse_rows, dense_rows):
        present = [row for row in rows if row is not None]
        if not present:
            continue
        if len(present) < len(rows):
            raise ValueError("some messages have sentence features and some do not: featurize them all alike")
        parts.append(scipy.sparse.vstack(present, format="csr"))
    if not parts:
        return scipy.sparse.csr_matrix((len(messages), 0))
    return scipy.sparse.hstack(parts, format="csr")


def inverse_document_frequency(counts: scipy.sparse.spmatrix) -> np.ndarray:
    """Smoothed idf per feature column, as scikit-learn's TfidfTransformer computes it."""
    counts = scipy.sparse.csr_matrix(counts)
    documents_with = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.log((1 + counts.shape[0]) / (1 + documents_with)) + 1.0


def tfidf_rows(counts: scipy.sparse.spmatrix, idf: np.ndarray) -> scipy.sparse.csr_matrix:
    """Sublinear tf (1 + log count) times idf, each row scaled to unit length."""
    weighted = scipy.sparse.csr_matrix(counts, dtype=float, copy=True)
    positive = weighted.data > 0
    weighted.data[positive] = 1.0 + np.log(weighted.data[positive])
    # Scale the stored values in place: a diagonal matrix product costs a pass over every feature per message.
    weighted.data *= idf[weighted.indices]
    return normalize(weighted)
