"""Rasa's LogisticRegressionClassifier, stored as plain arrays.

Rasa 3.6 stores the fitted scikit-learn model with skops. Importing
``skops.io`` walks every scikit-learn estimator (pytest included), and
checking and loading the file took about 12 s of a Rasa server's start and
tens of MiB (docs/benchmarks.md, "Where start-up goes"). A fitted logistic
regression is three arrays: the weights, the intercepts and the labels. They
are saved with ``numpy.savez`` and read back with ``allow_pickle=False``, so
loading a model runs no code from the file either. Training, features and
predictions are Rasa's own, unchanged.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

logger = logging.getLogger(__name__)

WEIGHTS_FILE = "weights.npz"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(LogisticRegressionClassifier):
    """Intents from a logistic regression on the sparse features, saved as arrays."""

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as model_dir:
            np.savez(
                model_dir / WEIGHTS_FILE,
                coef=self.clf.coef_,
                intercept=self.clf.intercept_,
                classes=np.asarray(self.clf.classes_, dtype=str),
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
        except ValueError:
            # Rasa's own behaviour: no stored weights (nothing was trained) gives an untrained classifier.
            logger.debug("no trained weights for %s in the model: an untrained classifier", resource.name)
            return component
        if coef.ndim != 2 or intercept.shape != (coef.shape[0],) or len(classes) < 2:
            raise ValueError(f"{resource.name}/{WEIGHTS_FILE} does not hold a fitted logistic regression")
        component.clf.coef_ = coef
        component.clf.intercept_ = intercept
        component.clf.classes_ = classes
        component.clf.n_features_in_ = coef.shape[1]
        return component
