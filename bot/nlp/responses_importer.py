"""Reads the training files as Rasa does, but gives ``data/responses.yml`` to the domain only.

Rasa reads any data file with a ``responses:`` key as NLU data, and the NLU
training data's fingerprint includes its responses. Left alone, an edited
response text would change the fingerprint of every NLU component and retrain
the intent classifier. The responses are the domain's business: with this
importer (``importers:`` in config.yml) a text edit retrains no model, and the
domain, the stories and ``rasa data validate`` still see every response.
"""

from __future__ import annotations

from rasa.shared.core.domain import Domain
from rasa.shared.importers.rasa import RasaFileImporter
from rasa.shared.nlu.training_data.training_data import TrainingData


def without_responses(data: TrainingData) -> TrainingData:
    """The same NLU data with its responses left out."""
    return TrainingData(
        training_examples=data.training_examples,
        entity_synonyms=data.entity_synonyms,
        regex_features=data.regex_features,
        lookup_tables=data.lookup_tables,
    )


class ResponsesInDomainImporter(RasaFileImporter):
    """Rasa's file importer, with the data files' responses moved from the NLU data to the domain."""

    def get_domain(self) -> Domain:
        domain = super().get_domain()
        responses = super().get_nlu_data().responses
        if not responses:
            return domain
        return domain.merge(Domain.from_dict({"responses": responses}), override=True)

    def get_nlu_data(self, language: str | None = "en") -> TrainingData:
        return without_responses(super().get_nlu_data(language))
