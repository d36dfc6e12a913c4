"""Custom actions for the Rasa action server. Each module covers one concern
and stays thin: read the tracker, call ``bot.*``, dispatch."""
