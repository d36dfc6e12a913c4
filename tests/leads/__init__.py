"""Tests of bot.leads: repository, migrations, validation, export and CLI."""
