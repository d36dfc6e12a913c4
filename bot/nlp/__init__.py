"""The project's own spaCy pipeline: blank English, lookup lemmatizer and an
entity ruler built from the domain terms in ``data/entities.yml``."""
