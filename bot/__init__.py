"""The British Academy's website assistant: application code shared by the
Rasa action server, the web gateway and the command line."""

__version__ = "0.1.0"
