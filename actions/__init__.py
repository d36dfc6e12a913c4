"""Custom actions for the Rasa action server. Each module covers one concern
and stays thin: read the tracker, call ``bot.*``, dispatch."""

from bot.privacy import install_personal_data_filter

# The action server handles names, emails and phone numbers: mask them in every log line.
install_personal_data_filter()
